"""Celery tasks: each takes ids, loads, calls one service and does nothing when the work is done.

Every task is safe to run twice or to retry (acks late, see settings): the services check what is
already done under a row lock.
"""

from celery import shared_task
from kombu.exceptions import OperationalError

from academy.queueing import enqueue

from . import services
from .models import BulkIssue, Certificate, StatusList, StatusNotice

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError, OperationalError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def render_certificate_pdf(certificate_id: int) -> bool:
    """Render the PDF once; running again after success does nothing."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return False
    return services.render_pdf(certificate=certificate)


@shared_task(**RETRY)
def email_certificate(certificate_id: int) -> bool:
    """E-mail the learner their PDF once; running again after success does nothing."""
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None or certificate.emailed_at is not None:
        return False
    return services.email_certificate(certificate=certificate)


@shared_task(**RETRY)
def email_status_notice(notice_id: int) -> bool:
    """Tell the learner of a revocation, suspension or reinstatement once."""
    notice = StatusNotice.objects.filter(pk=notice_id).first()
    if notice is None or notice.emailed_at is not None:
        return False
    return services.email_status_notice(notice=notice)


@shared_task(**RETRY)
def issue_bulk_chunk(bulk_issue_id: int, learner_ids: list[int]) -> int:
    """Issue to the chunk's learners still waiting; returns how many it dealt with."""
    bulk_issue = BulkIssue.objects.select_related("award", "requested_by").filter(pk=bulk_issue_id)
    bulk_issue = bulk_issue.first()
    if bulk_issue is None or bulk_issue.status == BulkIssue.Status.FINISHED:
        return 0
    return services.issue_bulk_chunk(bulk_issue=bulk_issue, learner_ids=learner_ids)


@shared_task(**RETRY)
def send_expiry_reminder(certificate_id: int, days_before: int) -> bool:
    certificate = Certificate.objects.filter(pk=certificate_id).first()
    if certificate is None:
        return False
    return services.send_expiry_reminder(certificate=certificate, days_before=days_before)


@shared_task
def send_expiry_reminders() -> int:
    """Beat, daily: queue one task per reminder due (90, 30 and 7 days before expiry)."""
    due = services.due_expiry_reminders()
    for certificate_id, days_before in due:
        enqueue("certificates.tasks.send_expiry_reminder", certificate_id, days_before)
    return len(due)


@shared_task
def sweep_unfinished_certificates() -> dict[str, int]:
    """Beat, every few minutes: queue again PDFs, e-mails and bulk chunks that went missing."""
    return services.sweep_unfinished()


@shared_task(**RETRY)
def publish_status_list(status_list_id: int) -> bool:
    """Sign a status list again after a status on it changed; a fresh list is left alone."""
    status_list = StatusList.objects.filter(pk=status_list_id).first()
    if status_list is None or not status_list.is_stale:
        return False
    services.publish_status_list(status_list=status_list)
    return True
