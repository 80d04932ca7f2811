"""The e-mail that tells a candidate a decision was made on a unit they submitted. It carries no
feedback and no outcome, only a link to the unit's page (and, when the unit has no
resubmissions left, that). Each decision's e-mail is sent once, and when is kept on the decision
(Decision.emailed_at); the periodic sweep queues again those never sent."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from academy.queueing import enqueue

from .. import selectors
from ..models import Decision
from .assessing import DECISION_EMAIL_TASK


def _unit_url(decision: Decision) -> str:
    work = decision.submission.work
    path = reverse(
        "accreditation:unit",
        kwargs={"candidacy_pk": work.candidacy_id, "requirement_pk": work.requirement_id},
    )
    return settings.ACADEMY_SITE_URL + path


def email_decision_made(*, decision_id: int) -> bool:
    """Tell the candidate a decision was made, once; True if the e-mail was sent. The decision's
    row is locked, the e-mail sent, then emailed_at set, as the other apps' e-mails are: a task
    run twice, or twice at once, sends one."""
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related(
                "submission__work__candidacy__candidate",
                "submission__work__candidacy__programme",
                "submission__work__requirement__unit",
            )
            .filter(pk=decision_id)
            .first()
        )
        if decision is None or decision.emailed_at is not None:
            return False
        submission = decision.submission
        candidate = submission.work.candidacy.candidate
        no_resubmissions_left = (
            decision.outcome == Decision.Outcome.NOT_YET_COMPETENT
            and selectors.resubmissions_left_after(submission) == 0
        )
        context = {
            "candidate": candidate,
            "unit": submission.work.requirement.unit,
            "programme": submission.work.candidacy.programme,
            "unit_url": _unit_url(decision),
            "no_resubmissions_left": no_resubmissions_left,
        }
        EmailMessage(
            subject=f"[PHSO Academy] A decision on your unit {context['unit'].code}",
            body=render_to_string("accreditation/email/decision_made.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[candidate.email],
        ).send()
        decision.emailed_at = timezone.now()
        decision.save(update_fields=["emailed_at"])
    return True


def queue_unsent_decision_emails() -> int:
    """Queue again the e-mails of assessors' decisions of the last ACADEMY_SWEEP_WINDOW_DAYS
    never sent (the broker was down, or the task was lost); the number queued. Older ones are
    for a person to look at."""
    since = timezone.now() - timedelta(days=settings.ACADEMY_SWEEP_WINDOW_DAYS)
    unsent = list(
        Decision.objects.filter(
            kind=Decision.Kind.ASSESSMENT, decided_at__gte=since, emailed_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for decision_id in unsent:
        enqueue(DECISION_EMAIL_TASK, decision_id)
    return len(unsent)
