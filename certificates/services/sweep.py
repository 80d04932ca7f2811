"""The sweep: queue again the work whose task went missing."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from academy.queueing import enqueue

from ..models import BulkIssue, Certificate, StatusNotice
from .bulk import enqueue_chunks

logger = logging.getLogger(__name__)


def sweep_unfinished(*, now=None) -> dict[str, int]:
    """Queue again every task whose work is missing: PDFs, e-mails (certificates and status
    notices) and bulk-issue chunks.

    Only work older than the grace period (its task may still be on its way) and younger than the
    window (something that keeps failing needs a person) is swept. Every task is idempotent, so
    queuing one twice costs a little time and changes nothing.
    """
    now = now or timezone.now()
    settled = now - timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES)
    since = now - timedelta(days=settings.ACADEMY_SWEEP_WINDOW_DAYS)
    current = Certificate.objects.filter(superseded_at__isnull=True)
    without_pdf = current.filter(pdf="", issued_at__lte=settled, issued_at__gte=since)
    not_emailed = current.filter(
        status=Certificate.Status.ACTIVE,
        emailed_at__isnull=True,
        pdf_rendered_at__lte=settled,
        pdf_rendered_at__gte=since,
    ).exclude(pdf="")
    notices = StatusNotice.objects.filter(
        emailed_at__isnull=True, changed_at__lte=settled, changed_at__gte=since
    )
    unfinished = BulkIssue.objects.exclude(status=BulkIssue.Status.FINISHED).filter(
        created_at__lte=settled, created_at__gte=since
    )
    # Read everything first: with eager tasks (tests, development) queuing does the work at once.
    work = {
        "pdf": list(without_pdf.values_list("pk", flat=True)),
        "email": list(not_emailed.values_list("pk", flat=True)),
        "status_notice": list(notices.values_list("pk", flat=True)),
        "bulk_chunks": list(unfinished.values_list("pk", flat=True)),
    }
    counts = {"pdf": 0, "email": 0, "status_notice": 0, "bulk_chunks": 0}
    for pk in work["pdf"]:
        counts["pdf"] += enqueue("certificates.tasks.render_certificate_pdf", pk)
    for pk in work["email"]:
        counts["email"] += enqueue("certificates.tasks.email_certificate", pk)
    for pk in work["status_notice"]:
        counts["status_notice"] += enqueue("certificates.tasks.email_status_notice", pk)
    for pk in work["bulk_chunks"]:
        counts["bulk_chunks"] += enqueue_chunks(pk)
    if any(counts.values()):
        logger.warning("The sweep queued again: %s", counts)
    return counts
