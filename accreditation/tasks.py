from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_decision_made(decision_id: int) -> bool:
    """Tell the candidate a decision was made on their unit, once; running again does nothing."""
    return services.email_decision_made(decision_id=decision_id)


@shared_task(acks_late=True)
def sweep_unsent_decision_emails() -> int:
    """Queue again the decision e-mails that were never sent; the number queued."""
    return services.queue_unsent_decision_emails()


@shared_task(acks_late=True)
def check_due_renewals() -> int:
    """Renew the accreditations whose renewal window opened after their needs were met, then
    record those whose period ended unrenewed; the number renewed. Running again changes
    nothing more."""
    renewed = services.check_due_renewals()
    services.record_lapses()
    return renewed


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_decision_overturned(sample_id: int) -> bool:
    """Tell the candidate an IQA's overturn changed their decision, once; running again does
    nothing."""
    return services.email_decision_overturned(sample_id=sample_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_appeal_decided(appeal_id: int) -> bool:
    """Tell the candidate the panel decided their appeal, once; running again does nothing."""
    return services.email_appeal_decided(appeal_id=appeal_id)


@shared_task(acks_late=True)
def sweep_unsent_quality_emails() -> int:
    """Queue again the overturn and appeal e-mails that were never sent; the number queued."""
    return services.queue_unsent_quality_emails()
