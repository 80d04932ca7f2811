"""The e-mails that tell a candidate their decision changed after internal quality assurance,
and that the appeal panel has decided their appeal. Like the decision e-mail, they carry no
outcome or feedback, only a link to the unit's page. Each is sent once, and when is kept on the
sample or appeal (emailed_at); the periodic sweep queues again those never sent."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from academy.queueing import enqueue

from .. import selectors
from ..models import Appeal, Decision, QualitySample, Submission
from .appeals import APPEAL_EMAIL_TASK
from .quality import OVERTURN_EMAIL_TASK

SUBMISSION_RELATED = (
    "work__candidacy__candidate",
    "work__candidacy__programme",
    "work__requirement__unit",
)


def _send(submission: Submission, *, subject: str, template: str, **context) -> None:
    candidacy = submission.work.candidacy
    unit = submission.work.requirement.unit
    context = {
        "candidate": candidacy.candidate,
        "programme": candidacy.programme,
        "unit": unit,
        "unit_url": settings.ACADEMY_SITE_URL + selectors.unit_path(submission.work),
        **context,
    }
    EmailMessage(
        subject=f"[PHSO Academy] {subject}: unit {unit.code}",
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[candidacy.candidate.email],
    ).send()


def email_decision_overturned(*, sample_id: int) -> bool:
    """Tell the candidate their decision changed after an IQA overturned it, once; True if the
    e-mail was sent. The sample's row is locked, the e-mail sent, then emailed_at set: a task
    run twice, or twice at once, sends one."""
    with transaction.atomic():
        sample = QualitySample.objects.select_for_update().filter(pk=sample_id).first()
        if sample is None or sample.emailed_at is not None:
            return False
        new = (
            Decision.objects.select_related(*(f"submission__{n}" for n in SUBMISSION_RELATED))
            .filter(supersedes_id=sample.decision_id, kind=Decision.Kind.IQA_OVERTURN)
            .first()
        )
        if new is None:  # the finding was recorded without changing the candidate's decision
            return False
        _send(
            new.submission,
            subject="Your decision has changed",
            template="accreditation/email/decision_overturned.txt",
            appeal_window_days=new.submission.work.candidacy.programme.appeal_window_days,
            can_appeal=new.outcome == Decision.Outcome.NOT_YET_COMPETENT,
        )
        sample.emailed_at = timezone.now()
        sample.save(update_fields=["emailed_at"])
    return True


def email_appeal_decided(*, appeal_id: int) -> bool:
    """Tell the candidate the panel has decided their appeal, once; True if it was sent."""
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().filter(pk=appeal_id).first()
        if appeal is None or appeal.emailed_at is not None or appeal.decided_at is None:
            return False
        submission = (
            Submission.objects.select_related(*SUBMISSION_RELATED)
            .filter(decisions=appeal.decision_id)
            .get()
        )
        _send(
            submission,
            subject="Your appeal has been decided",
            template="accreditation/email/appeal_decided.txt",
        )
        appeal.emailed_at = timezone.now()
        appeal.save(update_fields=["emailed_at"])
    return True


def queue_unsent_quality_emails() -> int:
    """Queue again the overturn and appeal e-mails of the last ACADEMY_SWEEP_WINDOW_DAYS never
    sent (the broker was down, or the task was lost); the number queued. Older ones are for a
    person to look at."""
    since = timezone.now() - timedelta(days=settings.ACADEMY_SWEEP_WINDOW_DAYS)
    samples = list(
        QualitySample.objects.filter(
            outcome=QualitySample.Outcome.OVERTURNED,
            reviewed_at__gte=since,
            emailed_at__isnull=True,
            decision__superseded_by__kind=Decision.Kind.IQA_OVERTURN,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    appeals = list(
        Appeal.objects.filter(decided_at__gte=since, emailed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for sample_id in samples:
        enqueue(OVERTURN_EMAIL_TASK, sample_id)
    for appeal_id in appeals:
        enqueue(APPEAL_EMAIL_TASK, appeal_id)
    return len(samples) + len(appeals)
