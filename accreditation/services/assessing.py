"""Assessing portfolio units. An assessor opens a waiting submission (from then on it is theirs,
and the candidate can no longer withdraw it), may hand it back to the queue, and records a
decision against the unit's rubric. Decisions are sampled for internal quality assurance as they
are made, and the candidate is e-mailed that one was made."""

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from academy import selectors as people
from academy.audit import record
from academy.queueing import enqueue

from .. import selectors
from ..errors import (
    AccreditationError,
    AlreadyTakenError,
    ConflictOfInterestError,
    DecisionIncompleteError,
    WrongStateError,
)
from ..models import Candidacy, Decision, Programme, QualitySample, RubricCriterion, Submission
from .awarding import check_award

DECISION_EMAIL_TASK = "accreditation.tasks.email_decision_made"

_SYSTEM_RANDOM = random.SystemRandom()


def share_draw() -> int:
    """A whole number from 0 to 99 from the operating system's randomness. A decision is sampled
    for IQA when it falls below the programme's share: never at 0%, always at 100%."""
    return _SYSTEM_RANDOM.randrange(100)


@dataclass(frozen=True)
class Judgement:
    """An assessor's judgement of one rubric criterion: met or not (None while not said), and a
    comment for the candidate."""

    met: bool | None
    comment: str = ""


def _locked(submission: Submission) -> Submission:
    # The row alone: a joined row would be read as it was before the lock was waited for.
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _refuse_conflict(submission: Submission, assessor) -> None:
    candidate_id = Candidacy.objects.filter(unit_work=submission.work_id).values_list(
        "candidate_id", flat=True
    )[0]
    if people.is_too_close_to_judge(judge=assessor, person_id=candidate_id):
        raise ConflictOfInterestError(
            "You may not assess this work: it is your own, or the candidate is in your "
            "organisation or your team."
        )


def _opened_by(submission: Submission) -> str:
    who = submission.assessor
    return who.get_full_name() or who.email


@transaction.atomic
def open_submission(*, submission: Submission, assessor) -> Submission:
    """Take a waiting submission to assess. It becomes the assessor's alone, and the candidate
    can no longer withdraw it. Opening one already yours again changes nothing."""
    locked = _locked(submission)
    _refuse_conflict(locked, assessor)
    if locked.assessor_id == assessor.pk:
        return locked
    if locked.status in (Submission.Status.IN_ASSESSMENT, Submission.Status.DECIDED):
        raise AlreadyTakenError(
            f"{_opened_by(locked)} opened this submission first, at "
            f"{timezone.localtime(locked.opened_at):%H:%M on %d %B %Y}."
        )
    if locked.status == Submission.Status.WITHDRAWN:
        raise WrongStateError("The candidate withdrew this submission before it was opened.")
    locked.status = Submission.Status.IN_ASSESSMENT
    locked.assessor = assessor
    locked.opened_at = timezone.now()
    locked.save(update_fields=["status", "assessor", "opened_at"])
    record(actor=assessor, action="submission.opened", target=locked)
    return locked


@transaction.atomic
def release_submission(*, submission: Submission, assessor, reason: str) -> Submission:
    """Hand a submission the assessor opened, and has not decided, back to the queue (for
    example on finding they know the candidate): it waits for any assessor again, and the
    candidate may withdraw it again. The reason is kept in the audit log."""
    if not reason.strip():
        raise AccreditationError("Say why you are handing this submission back to the queue.")
    locked = _locked(submission)
    if locked.assessor_id != assessor.pk or locked.status != Submission.Status.IN_ASSESSMENT:
        raise WrongStateError("Only a submission you opened and have not decided can go back.")
    locked.status = Submission.Status.SUBMITTED
    locked.assessor = None
    locked.opened_at = None
    locked.save(update_fields=["status", "assessor", "opened_at"])
    record(actor=assessor, action="submission.released", target=locked, reason=reason.strip())
    return locked


def _criteria_judged(
    *,
    criteria: list[RubricCriterion],
    judgements: Mapping[int, Judgement],
    outcome: str,
    feedback: str,
    to_resubmit: str,
) -> list[dict]:
    """Each criterion as it reads now with its judgement, for Decision.criteria; or
    DecisionIncompleteError naming everything to put right."""
    problems = []
    if outcome not in Decision.Outcome.values:
        problems.append("Choose an outcome: competent or not yet competent.")
    not_judged, not_met = [], []
    for number, criterion in enumerate(criteria, start=1):
        judgement = judgements.get(criterion.pk)
        name = f"criterion {number} ({criterion.competency.name})"
        if judgement is None or judgement.met is None:
            not_judged.append(name)
        elif not judgement.met:
            not_met.append(name)
    if not_judged:
        problems.append(f"Say whether each criterion is met: {', '.join(not_judged)}.")
    if outcome == Decision.Outcome.COMPETENT and not_met:
        problems.append(
            "Competent needs every criterion met, and "
            f"{' and '.join(not_met)} {'is' if len(not_met) == 1 else 'are'} not. Choose not yet "
            "competent, or judge the criteria again."
        )
    if not feedback.strip():
        problems.append("Write feedback for the candidate.")
    if outcome == Decision.Outcome.NOT_YET_COMPETENT and not to_resubmit.strip():
        problems.append("Say what the candidate should do and resubmit.")
    if problems:
        raise DecisionIncompleteError(problems)
    return [
        {
            "criterion": criterion.pk,
            "competency": criterion.competency.name,
            "statement": criterion.statement,
            "met": judgements[criterion.pk].met,
            "comment": judgements[criterion.pk].comment.strip(),
        }
        for criterion in criteria
    ]


def _sample(decision: Decision, *, programme: Programme, draw: Callable[[], int]):
    """Choose the decision for IQA when it is its assessor's first, or by the programme's
    share; the QualitySample, or None."""
    earlier = (
        Decision.objects.filter(kind=Decision.Kind.ASSESSMENT, decided_by_id=decision.decided_by_id)
        .exclude(pk=decision.pk)
        .exists()
    )
    if not earlier:
        reason = QualitySample.Reason.FIRST_DECISION
    elif draw() < programme.iqa_sample_percent:
        reason = QualitySample.Reason.SHARE
    else:
        return None
    return QualitySample.objects.create(decision=decision, reason=reason)


@transaction.atomic
def record_decision(
    *,
    submission: Submission,
    assessor,
    outcome: str,
    judgements: Mapping[int, Judgement],
    feedback: str,
    to_resubmit: str = "",
    draw: Callable[[], int] = share_draw,
) -> Decision:
    """The assessor's decision on a submission they opened, judged criterion by criterion
    (`judgements` by RubricCriterion id): competent only when every criterion is met; not yet
    competent with what to resubmit; feedback always. Recorded once, however often it is sent;
    never changed afterwards. `draw` picks the random IQA share (tests give their own)."""
    locked = _locked(submission)
    _refuse_conflict(locked, assessor)
    if locked.assessor_id != assessor.pk:
        if locked.status == Submission.Status.SUBMITTED:
            raise WrongStateError("Open this submission before deciding it.")
        raise AlreadyTakenError("Another assessor opened this submission: only they decide it.")
    if locked.status == Submission.Status.DECIDED:
        raise WrongStateError(
            "This submission has been decided already. A decision is never changed: internal "
            "quality assurance or an appeal may supersede it."
        )
    work = locked.work
    programme = Programme.objects.get(candidacies__unit_work=work)
    criteria = _criteria_judged(
        criteria=selectors.rubric(work.requirement.unit),
        judgements=judgements,
        outcome=outcome,
        feedback=feedback,
        to_resubmit=to_resubmit,
    )
    decision = Decision.objects.create(
        submission=locked,
        kind=Decision.Kind.ASSESSMENT,
        outcome=outcome,
        feedback=feedback.strip(),
        to_resubmit=to_resubmit.strip() if outcome == Decision.Outcome.NOT_YET_COMPETENT else "",
        criteria=criteria,
        decided_by=assessor,
    )
    locked.status = Submission.Status.DECIDED
    locked.save(update_fields=["status"])
    sample = _sample(decision, programme=programme, draw=draw)
    record(
        actor=assessor,
        action="decision.recorded",
        target=decision,
        reason=Truncator(decision.feedback).chars(200),
        outcome=outcome,
        submission=locked.pk,
        sampled=sample.reason if sample else "",
    )
    transaction.on_commit(lambda: enqueue(DECISION_EMAIL_TASK, decision.pk))
    if outcome == Decision.Outcome.COMPETENT:
        check_award(candidacy=work.candidacy)
    return decision
