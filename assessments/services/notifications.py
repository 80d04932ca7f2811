"""The e-mails that tell a learner about their result: "your result is ready" once a marked
result is released, and "your result was corrected" for each MarkCorrection. Each is sent once,
and when it was sent is kept on the object it concerns (Attempt.result_emailed_at,
MarkCorrection.emailed_at); the periodic sweep queues again those never sent."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from academy.queueing import enqueue

from .. import selectors
from ..models import Attempt, MarkCorrection, Response

# The tasks that send them, queued once the change they follow commits.
RESULT_EMAIL_TASK = "assessments.tasks.email_result_released"
CORRECTION_EMAIL_TASK = "assessments.tasks.email_mark_corrected"


def unsent_result_emails() -> list[int]:
    """Released results of marked attempts whose e-mail was never sent (its task was not queued,
    for example while the broker was down, or was lost). Found through the marked answers, which
    an index keeps few, rather than through every attempt."""
    marked = Response.objects.filter(marking=Response.Marking.DONE).values("attempt_id")
    return list(
        Attempt.objects.filter(
            pk__in=marked, status=Attempt.Status.SUBMITTED, result_emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )


def unsent_correction_emails() -> list[int]:
    """Corrections of the last ACADEMY_SWEEP_WINDOW_DAYS whose e-mail to the learner was never
    sent; older ones are for a person to look at."""
    since = timezone.now() - timedelta(days=settings.ACADEMY_SWEEP_WINDOW_DAYS)
    return list(
        MarkCorrection.objects.filter(corrected_at__gte=since, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def queue_unsent_emails() -> int:
    """Queue again the result and corrected-result e-mails that were never sent; the number
    queued."""
    attempts = unsent_result_emails()
    for attempt_id in attempts:
        enqueue(RESULT_EMAIL_TASK, attempt_id)
    corrections = unsent_correction_emails()
    for correction_id in corrections:
        enqueue(CORRECTION_EMAIL_TASK, correction_id)
    return len(attempts) + len(corrections)


def _locked_attempt(attempt_id: int) -> Attempt | None:
    return (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("user", "assessment")
        .filter(pk=attempt_id)
        .first()
    )


def _send(attempt: Attempt, *, subject: str, template: str, **context) -> None:
    """E-mail the attempt's learner, with a link to its result."""
    url = settings.ACADEMY_SITE_URL + reverse("assessments:result", args=[attempt.pk])
    context = {"attempt": attempt, "learner": attempt.user, **context, "result_url": url}
    EmailMessage(
        subject=f"[PHSO Academy] {subject}: {attempt.assessment.title}",
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[attempt.user.email],
    ).send()


def email_result_released(*, attempt: Attempt) -> bool:
    """Tell the learner their marked result is ready, once; True if it was sent. The row is
    locked, the e-mail sent, then result_emailed_at set, as certificate e-mails are."""
    with transaction.atomic():
        locked = _locked_attempt(attempt.pk)
        if locked is None or locked.result_emailed_at is not None or not locked.is_released:
            return False
        _send(
            locked,
            subject="Your result is ready",
            template="assessments/email/result_released.txt",
        )
        locked.result_emailed_at = timezone.now()
        locked.save(update_fields=["result_emailed_at"])
    return True


def email_mark_corrected(*, correction_id: int) -> bool:
    """Tell the learner a mark in their released result was corrected, once per correction; True
    if it was sent. The attempt's row is locked, the e-mail sent, then the correction's
    emailed_at set (send, then mark, as result_released): a task run twice, or twice at once,
    sends one.

    The e-mail gives the result as it is now, and whether it changed between pass and fail, only
    when the assessment's review options let the learner see marks now; otherwise it only says
    that a mark was corrected."""
    correction = MarkCorrection.objects.select_related("response").filter(pk=correction_id).first()
    if correction is None:
        return False
    with transaction.atomic():
        attempt = _locked_attempt(correction.response.attempt_id)
        # Read again under the attempt's lock: another run may have sent it meanwhile.
        correction.refresh_from_db(fields=["emailed_at"])
        if attempt is None or not attempt.is_released or correction.emailed_at is not None:
            return False
        _send(
            attempt,
            subject="Your result was corrected",
            template="assessments/email/mark_corrected.txt",
            position=correction.response.position,
            marks_shown=selectors.review_rules(attempt=attempt).marks,
            percent_before=correction.old_percent,
            pass_changed=attempt.passed != correction.old_passed,
        )
        correction.emailed_at = timezone.now()
        correction.save(update_fields=["emailed_at"])
    return True
