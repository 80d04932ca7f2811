"""Internal quality assurance. Assessors' decisions are sampled as they are made (the assessing
services do that); an IQA may also choose any decision that still stands. An IQA confirms or
overturns each sampled decision with reasons, once. An overturn records a new decision that
supersedes the sampled one and becomes the candidate's, and the candidate is e-mailed that their
decision changed; a unit it makes competent may complete the award."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from academy.audit import record
from academy.queueing import enqueue

from .. import selectors
from ..errors import AccreditationError, AlreadyTakenError, ConflictOfInterestError, WrongStateError
from ..models import Decision, QualitySample, Submission
from .awarding import check_award

OVERTURN_EMAIL_TASK = "accreditation.tasks.email_decision_overturned"
REASONS_MAX = 5000


@dataclass(frozen=True)
class CriterionFinding:
    """What an IQA or appeal panel found on one rubric criterion of the work: met or not, with a
    comment for the candidate. Optional: a new decision may leave the criteria unjudged."""

    met: bool
    comment: str = ""


def new_decision_problems(
    *,
    outcome: str,
    feedback: str,
    to_resubmit: str,
    findings: Mapping[int, CriterionFinding],
    criteria: list,
) -> list[str]:
    """What is missing or contradictory in a decision an IQA or panel is about to record."""
    problems = []
    if outcome not in Decision.Outcome.values:
        problems.append("Choose the new outcome: competent or not yet competent.")
    if not feedback.strip():
        problems.append("Write feedback for the candidate with the new decision.")
    if outcome == Decision.Outcome.NOT_YET_COMPETENT and not to_resubmit.strip():
        problems.append("Say what the candidate should do and resubmit.")
    unknown = set(findings) - {criterion.pk for criterion in criteria}
    if unknown:
        problems.append("A criterion judged is not in this unit's rubric.")
    not_met = [
        str(number)
        for number, criterion in enumerate(criteria, start=1)
        if criterion.pk in findings and not findings[criterion.pk].met
    ]
    if outcome == Decision.Outcome.COMPETENT and not_met:
        problems.append(
            f"Competent needs every criterion judged to be met, and criterion "
            f"{', '.join(not_met)} is not. Choose not yet competent, or judge it again."
        )
    return problems


def _criteria_found(criteria: list, findings: Mapping[int, CriterionFinding]) -> list[dict]:
    """The criteria judged, as Decision.criteria keeps them (the rubric as it reads now)."""
    return [
        {
            "criterion": criterion.pk,
            "competency": criterion.competency.name,
            "statement": criterion.statement,
            "met": findings[criterion.pk].met,
            "comment": findings[criterion.pk].comment.strip(),
        }
        for criterion in criteria
        if criterion.pk in findings
    ]


def is_live(decision: Decision) -> bool:
    """Whether the decision is still what the candidate has for the unit: nothing superseded
    it, and they have not handed the unit in again since. Read under the decision's lock."""
    if Decision.objects.filter(supersedes=decision).exists():
        return False
    submission = decision.submission
    return (
        not Submission.objects.filter(work_id=submission.work_id, number__gt=submission.number)
        .exclude(status=Submission.Status.WITHDRAWN)
        .exists()
    )


def replace_decision(
    *,
    old: Decision,
    kind: str,
    by,
    outcome: str,
    feedback: str,
    to_resubmit: str,
    findings: Mapping[int, CriterionFinding],
) -> Decision:
    """Record the decision that supersedes `old` (which the caller holds locked and has checked
    is live), and award the candidacy if that was its last requirement."""
    criteria = selectors.unit_criteria(old.submission.work.requirement.unit_id)
    problems = new_decision_problems(
        outcome=outcome,
        feedback=feedback,
        to_resubmit=to_resubmit,
        findings=findings,
        criteria=criteria,
    )
    if problems:
        raise AccreditationError(" ".join(problems))
    decision = Decision.objects.create(
        submission_id=old.submission_id,
        kind=kind,
        outcome=outcome,
        feedback=feedback.strip(),
        to_resubmit=to_resubmit.strip() if outcome == Decision.Outcome.NOT_YET_COMPETENT else "",
        criteria=_criteria_found(criteria, findings),
        decided_by=by,
        supersedes=old,
    )
    if outcome == Decision.Outcome.COMPETENT:
        check_award(candidacy=old.submission.work.candidacy)
    return decision


def lock_decision(decision_id: int) -> Decision:
    # The row alone, then its relations: a joined row would be read as it was before the wait.
    Decision.objects.select_for_update().filter(pk=decision_id).first()
    return Decision.objects.select_related(
        "submission__work__candidacy__programme", "submission__work__requirement"
    ).get(pk=decision_id)


def checked_reasons(reasons: str) -> str:
    reasons = reasons.strip()
    if not reasons:
        raise AccreditationError("Give your reasons: they are kept with the record.")
    if len(reasons) > REASONS_MAX:
        raise AccreditationError(f"Keep your reasons to {REASONS_MAX:,} characters.")
    return reasons


def _locked_sample(sample: QualitySample, reviewer) -> tuple[QualitySample, Decision]:
    """The sample and its decision, locked (the decision first, as appeals lock it), once
    checked that the sample is still waiting and the reviewer may review it."""
    decision = lock_decision(sample.decision_id)
    locked = QualitySample.objects.select_for_update().get(pk=sample.pk)
    if locked.reviewed_at is not None:
        who = selectors.staff_name(locked.reviewer)
        raise AlreadyTakenError(
            f"{who} already {locked.get_outcome_display().lower()} this decision, at "
            f"{timezone.localtime(locked.reviewed_at):%H:%M on %d %B %Y}. A review is made once."
        )
    locked.decision = decision
    problem = selectors.may_review(reviewer=reviewer, sample=locked)
    if problem:
        raise ConflictOfInterestError(problem)
    return locked, decision


@transaction.atomic
def choose_for_sample(*, decision: Decision, reviewer) -> QualitySample:
    """Sample an assessor's decision that still stands and has not been sampled (an IQA's own
    choice, beyond the programme's share)."""
    locked = lock_decision(decision.pk)
    if locked.kind != Decision.Kind.ASSESSMENT:
        raise WrongStateError("Only an assessor's decision is sampled.")
    if QualitySample.objects.filter(decision=locked).exists():
        raise WrongStateError("This decision has been sampled already.")
    if not is_live(locked):
        raise WrongStateError("This decision no longer stands, so there is nothing to review.")
    sample = QualitySample(decision=locked, reason=QualitySample.Reason.CHOSEN)
    problem = selectors.may_review(reviewer=reviewer, sample=sample)
    if problem:
        raise ConflictOfInterestError(problem)
    sample.save()
    record(actor=reviewer, action="decision.sampled", target=locked, sample=sample.pk)
    return sample


def _reviewed(sample: QualitySample, *, reviewer, outcome: str, reasons: str) -> None:
    sample.reviewer = reviewer
    sample.outcome = outcome
    sample.reasons = reasons
    sample.reviewed_at = timezone.now()
    sample.save(update_fields=["reviewer", "outcome", "reasons", "reviewed_at"])


@transaction.atomic
def confirm_decision(*, sample: QualitySample, reviewer, reasons: str) -> QualitySample:
    """The IQA agrees with the sampled decision; it stands as it is."""
    reasons = checked_reasons(reasons)
    locked, decision = _locked_sample(sample, reviewer)
    _reviewed(locked, reviewer=reviewer, outcome=QualitySample.Outcome.CONFIRMED, reasons=reasons)
    record(
        actor=reviewer,
        action="decision.confirmed",
        target=decision,
        reason=reasons,
        sample=locked.pk,
    )
    return locked


@transaction.atomic
def overturn_decision(
    *,
    sample: QualitySample,
    reviewer,
    reasons: str,
    outcome: str,
    feedback: str,
    to_resubmit: str = "",
    findings: Mapping[int, CriterionFinding] | None = None,
) -> QualitySample:
    """The IQA disagrees with the sampled decision. While it is still the candidate's decision
    for the unit, a new decision with the IQA's outcome and feedback supersedes it, and the
    candidate is e-mailed that it changed. If the unit has moved on since (a decision on appeal
    replaced it, or the candidate handed the unit in again), the finding is recorded for quality
    assurance and the candidate's decision is left as it is. While an appeal against it waits
    for the panel, the panel decides first."""
    reasons = checked_reasons(reasons)
    locked, decision = _locked_sample(sample, reviewer)
    if selectors.appeal_waiting(decision):
        raise WrongStateError(
            "The candidate has appealed this decision, and the appeal panel decides first. "
            "Review it again once the appeal is decided."
        )
    new = None
    if is_live(decision):
        new = replace_decision(
            old=decision,
            kind=Decision.Kind.IQA_OVERTURN,
            by=reviewer,
            outcome=outcome,
            feedback=feedback,
            to_resubmit=to_resubmit,
            findings=findings or {},
        )
    _reviewed(locked, reviewer=reviewer, outcome=QualitySample.Outcome.OVERTURNED, reasons=reasons)
    record(
        actor=reviewer,
        action="decision.overturned",
        target=decision,
        reason=reasons,
        sample=locked.pk,
        new_decision=new.pk if new else None,
        outcome=new.outcome if new else "",
    )
    if new is not None:
        transaction.on_commit(lambda: enqueue(OVERTURN_EMAIL_TASK, locked.pk))
    return locked
