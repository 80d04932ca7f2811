from celery import shared_task

from . import marking, services
from .models import Attempt


@shared_task(acks_late=True)
def finalise_overdue_attempts() -> int:
    """Finalise open attempts whose time is up; idempotent, so overlapping runs are harmless."""
    return services.finalise_overdue_attempts()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_result_released(attempt_id: int) -> bool:
    """Tell the learner their marked result is ready, once; running again does nothing."""
    attempt = Attempt.objects.filter(pk=attempt_id).first()
    if attempt is None or attempt.result_emailed_at is not None:
        return False
    return marking.email_result_released(attempt=attempt)


@shared_task(acks_late=True)
def sweep_unsent_result_emails() -> int:
    """Queue again the result e-mails that were never sent; the number queued."""
    ids = marking.unsent_result_emails()
    for attempt_id in ids:
        marking.enqueue_result_email(attempt_id)
    return len(ids)
