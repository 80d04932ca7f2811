"""Appeals. A candidate appeals the decision that stands on their unit, once, within the
programme's days to appeal, giving their grounds. A panel member who had no part in the work or
its decisions upholds the appeal, recording a new decision that supersedes the one appealed, or
dismisses it; either way with reasons, once, and the candidate is e-mailed."""

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from academy.audit import record
from academy.queueing import enqueue

from .. import selectors
from ..errors import AccreditationError, AlreadyTakenError, ConflictOfInterestError, WrongStateError
from ..models import Appeal, Decision
from .quality import (
    CriterionFinding,
    checked_reasons,
    is_live,
    lock_decision,
    replace_decision,
)

APPEAL_EMAIL_TASK = "accreditation.tasks.email_appeal_decided"
GROUNDS_MAX = 5000


@transaction.atomic
def lodge_appeal(*, decision: Decision, candidate, grounds: str) -> Appeal:
    """The candidate's appeal against a decision about their own work (selectors.quality.
    appeal_problem says when one may be made)."""
    grounds = grounds.strip()
    if not grounds:
        raise AccreditationError("Give your grounds for appealing.")
    if len(grounds) > GROUNDS_MAX:
        raise AccreditationError(f"Keep your grounds to {GROUNDS_MAX:,} characters.")
    locked = lock_decision(decision.pk)
    if locked.submission.work.candidacy.candidate_id != candidate.pk:
        raise WrongStateError("You can only appeal a decision about your own work.")
    problem = selectors.appeal_problem(locked, timezone.now())
    if problem:
        raise WrongStateError(problem)
    appeal = Appeal.objects.create(decision=locked, grounds=grounds)
    record(
        actor=candidate,
        action="appeal.lodged",
        target=appeal,
        reason=Truncator(grounds).chars(200),
        decision=locked.pk,
    )
    return appeal


def _locked_appeal(appeal: Appeal, member) -> tuple[Appeal, Decision]:
    """The appeal and its decision, locked (the decision first, as IQA reviews lock it), once
    checked that it waits for a panel and the member may hear it."""
    decision = lock_decision(appeal.decision_id)
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.decided_at is not None:
        raise AlreadyTakenError(
            f"{selectors.staff_name(locked.panel_member)} already "
            f"{locked.get_outcome_display().lower()} this appeal, at "
            f"{timezone.localtime(locked.decided_at):%H:%M on %d %B %Y}. An appeal is decided "
            "once."
        )
    problem = selectors.may_hear(member=member, appeal=locked)
    if problem:
        raise ConflictOfInterestError(problem)
    return locked, decision


def _decided(appeal: Appeal, *, member, outcome: str, reasons: str) -> None:
    appeal.panel_member = member
    appeal.outcome = outcome
    appeal.reasons = reasons
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["panel_member", "outcome", "reasons", "decided_at"])
    transaction.on_commit(lambda: enqueue(APPEAL_EMAIL_TASK, appeal.pk))


@transaction.atomic
def uphold_appeal(
    *,
    appeal: Appeal,
    member,
    reasons: str,
    outcome: str,
    feedback: str,
    to_resubmit: str = "",
    findings: Mapping[int, CriterionFinding] | None = None,
) -> Appeal:
    """The panel agrees with the candidate: its own decision (outcome and feedback) supersedes
    the one appealed and becomes the candidate's; the panel's decision is final."""
    reasons = checked_reasons(reasons)
    locked, decision = _locked_appeal(appeal, member)
    if not is_live(decision):
        raise WrongStateError(
            "The candidate has handed this unit in again since appealing, so the appealed "
            "decision no longer stands to be replaced. Dismiss the appeal, saying so."
        )
    new = replace_decision(
        old=decision,
        kind=Decision.Kind.APPEAL,
        by=member,
        outcome=outcome,
        feedback=feedback,
        to_resubmit=to_resubmit,
        findings=findings or {},
    )
    _decided(locked, member=member, outcome=Appeal.Outcome.UPHELD, reasons=reasons)
    record(
        actor=member,
        action="appeal.upheld",
        target=locked,
        reason=reasons,
        decision=decision.pk,
        new_decision=new.pk,
        outcome=new.outcome,
    )
    return locked


@transaction.atomic
def dismiss_appeal(*, appeal: Appeal, member, reasons: str) -> Appeal:
    """The panel finds no grounds to change the decision; it stands."""
    reasons = checked_reasons(reasons)
    locked, decision = _locked_appeal(appeal, member)
    _decided(locked, member=member, outcome=Appeal.Outcome.DISMISSED, reasons=reasons)
    record(
        actor=member,
        action="appeal.dismissed",
        target=locked,
        reason=reasons,
        decision=decision.pk,
    )
    return locked
