"""Every state change of marking: assessors' marks, second marking, moderation and the release
of results. The services of attempts (services.attempts) hand answers in; these mark them.

An answer a person marks moves through Response.marking: "to_mark" until its first mark; then
"second" when it was sampled for second marking, until a second assessor marks it blind; then
"moderation" when the two marks differ by more than the assessment's tolerance, until a
moderator decides; then "done", with the final mark as the response's score. When every such
answer of an attempt is done, the attempt is scored and its result released, at once or, when
the assessment holds results, when an assessor releases them. After release a mark changes only
by a moderator's correct_mark (an appeal upheld, a clerical error), which works the attempt's
result out again, keeps a MarkCorrection, and tells the learner.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from academy.audit import record
from academy.queueing import enqueue

from .. import scoring, selectors
from ..formatting import decimal_text
from ..models import MANUAL_KINDS, Assessment, Attempt, Mark, MarkCorrection, Response
from ..signals import attempt_regraded
from .answers import machine_score
from .attempts import release, score_attempt
from .errors import AssessmentError
from .notifications import CORRECTION_EMAIL_TASK, RESULT_EMAIL_TASK

MODERATE = "assessments.moderate_marks"
# The audit action of a correction after release (its MarkCorrection keeps it too).
CORRECTED = "mark.corrected"

# Which mark an assessor gives at each stage of an answer's marking.
STAGE_FOR = {
    Response.Marking.TO_MARK: Mark.Stage.FIRST,
    Response.Marking.SECOND: Mark.Stage.SECOND,
    Response.Marking.MODERATION: Mark.Stage.MODERATED,
}


@dataclass(frozen=True)
class MarkGiven:
    """What an assessor sends for one answer: a level per rubric criterion, or (for an essay
    without a rubric) an overall percentage; and feedback for the learner."""

    levels: dict[str, str]
    percent: str = ""
    feedback: str = ""


def score_of(response: Response, given: MarkGiven) -> Fraction:
    """The share of the mark (0 to 1) the assessor's choices give, or AssessmentError."""
    rubric = response.version.settings.get("rubric")
    if rubric:
        try:
            return scoring.score_rubric(rubric["criteria"], given.levels)
        except ValueError:
            raise AssessmentError("Choose one level for every criterion.") from None
    try:
        percent = Decimal(given.percent.strip())
    except (InvalidOperation, AttributeError):
        raise AssessmentError("Enter the mark as a percentage from 0 to 100.") from None
    if not percent.is_finite() or not 0 <= percent <= 100:
        raise AssessmentError("Enter the mark as a percentage from 0 to 100.")
    # A mark is kept to a thousandth of the question's mark: one decimal place of a percentage.
    if percent.as_tuple().exponent < -1 and percent != percent.quantize(Decimal("0.1")):
        raise AssessmentError("Give the percentage to one decimal place at most, like 62.5.")
    return Fraction(percent) / 100


def _locked(response: Response) -> Response:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("version", "attempt__assessment")
        .get(pk=response.pk)
    )


def _locked_for_marking(response: Response) -> tuple[Attempt, Response]:
    """The answer's attempt and the answer, locked in the order handing in, marking and releasing
    use (the attempt first); refused for an answer the machine scores."""
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=response.attempt_id)
    )
    response = _locked(response)
    if response.version.kind not in MANUAL_KINDS or not response.marking:
        raise AssessmentError("This answer is scored automatically; there is nothing to mark.")
    return attempt, response


def _mark_values(mark: Mark | None) -> dict | None:
    if mark is None:
        return None
    return {
        "stage": mark.stage,
        "marker_id": mark.marker_id,
        "levels": mark.levels,
        "score": str(mark.score),
        "feedback": mark.feedback,
        "marked_at": mark.marked_at.isoformat(),
    }


def _mark_fields(response: Response, marker, given: MarkGiven) -> dict:
    """The fields of the Mark the marker's choices make (AssessmentError when they make none)."""
    rubric = response.version.settings.get("rubric")
    return {
        "marker": marker,
        "levels": dict(given.levels) if rubric else {},
        "score": scoring.to_decimal(score_of(response, given)),
        "feedback": (given.feedback or "").strip(),
        "marked_at": timezone.now(),
    }


def stage_for(*, response: Response, marks: dict[str, Mark], marker, can_moderate: bool):
    """The stage of the answer's marking this marker may write now, or None: a change to their
    own mark if they gave one, else the answer's next stage (moderation only with the right)."""
    own = next((mark for mark in marks.values() if mark.marker_id == marker.pk), None)
    if own:
        return own.stage
    stage = STAGE_FOR.get(response.marking)
    if stage is None and Mark.Stage.MODERATED in marks:
        stage = Mark.Stage.MODERATED  # another moderator may revisit the decision
    if stage == Mark.Stage.MODERATED and not can_moderate:
        return None
    return stage


@transaction.atomic
def record_mark(
    *,
    response: Response,
    marker,
    stage: str,
    given: MarkGiven,
    reason: str = "",
    can_moderate: bool = False,
) -> Mark:
    """Record the marker's mark at the stage they were shown, then move the answer on.

    The stage must still be the one stage_for gives this marker once the attempt and the answer
    are locked: an answer marked by someone else meanwhile is refused, not silently given a
    different kind of mark. Nobody marks their own attempt; a second marker is not the first; a
    moderator is neither (both follow from stage_for, which gives a marker their own stage). A
    mark already given can be changed by its marker, or a moderated one by another moderator,
    with a reason, until the result is released (then correct_mark); the audit log keeps who,
    when, old, new and why.
    """
    attempt, response = _locked_for_marking(response)
    if attempt.user_id == marker.pk:
        raise AssessmentError("You cannot mark your own attempt.")
    if attempt.is_released:
        raise AssessmentError(
            "This result has been released to the learner, so only a moderator can change its "
            "mark now, by correcting it."
        )
    marks = {mark.stage: mark for mark in response.marks.all()}
    if stage != stage_for(response=response, marks=marks, marker=marker, can_moderate=can_moderate):
        raise AssessmentError(
            "Someone else marked this answer after you opened it, so your mark was not saved. "
            "Open it again to see where it is now."
        )
    existing = marks.get(stage)
    reason = (reason or "").strip()
    if existing and not reason:
        raise AssessmentError("Give the reason for changing this mark.")
    values = _mark_fields(response, marker, given)
    old = _mark_values(existing)
    mark, _ = Mark.objects.update_or_create(response=response, stage=stage, defaults=values)
    record(
        actor=marker,
        action="mark.changed" if existing else "mark.given",
        target=mark,
        reason=reason,
        response_id=response.pk,
        attempt_id=attempt.pk,
        old=old,
        new=_mark_values(mark),
    )
    marks[stage] = mark
    response.attempt = attempt
    _advance(response, marks)
    _after_marking(attempt)
    return mark


def _advance(response: Response, marks: dict[str, Mark]) -> None:
    """Set the answer's marking stage and final score from the marks it has."""
    final = None
    if Mark.Stage.MODERATED in marks:
        final = marks[Mark.Stage.MODERATED]
    elif Mark.Stage.FIRST not in marks:
        state = Response.Marking.TO_MARK
    elif response.second_marking and Mark.Stage.SECOND not in marks:
        state = Response.Marking.SECOND
    elif response.second_marking and scoring.marks_disagree(
        Fraction(marks[Mark.Stage.FIRST].score),
        Fraction(marks[Mark.Stage.SECOND].score),
        tolerance_percent=response.attempt.assessment.moderation_tolerance,
    ):
        state = Response.Marking.MODERATION
    else:
        final = marks[Mark.Stage.FIRST]  # the second mark agrees with it, or none was needed
    if final is not None:
        state = Response.Marking.DONE
    response.marking = state
    response.score = final.score if final else None
    response.save(update_fields=["marking", "score"])


def _after_marking(attempt: Attempt) -> None:
    """Score the locked attempt once every answer is marked; release it unless results are
    held."""
    responses = _scored_responses(attempt)
    if any(r.score is None for r in responses):
        if attempt.percent is not None:  # a changed mark reopened marking
            attempt.points = attempt.percent = attempt.passed = None
            attempt.save(update_fields=["points", "percent", "passed"])
        return
    scored = score_attempt(attempt, [(exact_score(r), r.max_marks) for r in responses])
    if attempt.assessment.hold_results:
        attempt.save(update_fields=scored)
    else:
        _release_marked(attempt, also=scored)


def _scored_responses(attempt: Attempt) -> list[Response]:
    """The attempt's answers with what exact_score reads loaded."""
    return list(
        attempt.responses.select_related("version", "regraded_against").prefetch_related("marks")
    )


def exact_score(response: Response) -> Fraction:
    """An answer's score without the rounding of its stored decimal: from the final mark's
    rubric levels, or the machine's scoring."""
    if response.version.kind not in MANUAL_KINDS:
        return machine_score(response)
    if not response.selected:
        return Fraction(0)  # an essay left blank earns nothing and is not marked
    final = selectors.final_mark(response)
    rubric = response.version.settings.get("rubric")
    if rubric:
        return scoring.score_rubric(rubric["criteria"], final.levels)
    return Fraction(final.score)


def final_mark_version(mark: Mark) -> str:
    """What a correction form carries of the final mark it showed. Every mark written after it
    (another correction) has another, so a form opened before that is refused, not applied."""
    return f"{mark.stage}:{mark.pk}:{mark.marked_at.isoformat()}"


def _result(attempt: Attempt) -> dict:
    return {
        "points": decimal_text(attempt.points),
        "percent": decimal_text(attempt.percent),
        "passed": attempt.passed,
    }


@transaction.atomic
def correct_mark(*, response: Response, by, given: MarkGiven, reason: str, shown: str) -> Mark:
    """Correct the final mark of an answer whose result has been released (an appeal upheld, a
    clerical error), and the attempt's result with it.

    Only a moderator (moderate_marks), never on their own attempt, and with a reason. shown is
    final_mark_version of the mark the moderator was shown: if it has been corrected since, the
    correction is refused once the attempt and the answer are locked, as record_mark refuses a
    stage that moved on. The correction is written as the answer's moderator's mark (new, or
    replacing an earlier one), which is the final mark from then on. The attempt keeps its
    release; its points, percentage and pass are worked out again from exact fractions. A
    MarkCorrection and the audit log keep who, when, why, the old and new mark and the old and
    new result. Once the transaction commits, the learner's e-mail is queued and a changed
    result is announced with signals.attempt_regraded, as a regrade announces it.
    """
    attempt, response = _locked_for_marking(response)
    if attempt.user_id == by.pk:
        raise AssessmentError("You cannot correct the mark of your own attempt.")
    if not by.has_perm(MODERATE):
        raise AssessmentError("Only a moderator can correct a mark after the result is released.")
    if not attempt.is_released:
        raise AssessmentError(
            "This result has not been released yet, so change the mark by marking it as usual."
        )
    prefetch_related_objects([response], "marks")
    final = selectors.final_mark(response)
    if final is None or shown != final_mark_version(final):
        raise AssessmentError(
            "Someone corrected this mark after you opened it, so your correction was not saved. "
            "Look at the mark it has now before you correct it."
        )
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError("Give the reason for correcting this mark.")
    values = _mark_fields(response, by, given)
    if (values["levels"], values["score"], values["feedback"]) == (
        final.levels,
        final.score,
        final.feedback,
    ):
        raise AssessmentError(
            "That is the mark it already has. Change a level, the mark or the feedback, or "
            "leave the mark as it is."
        )
    old, result_before = _mark_values(final), _result(attempt)
    percent_before, passed_before = attempt.percent, attempt.passed
    marks = {mark.stage: mark for mark in response.marks.all()}
    mark, _ = Mark.objects.update_or_create(
        response=response, stage=Mark.Stage.MODERATED, defaults=values
    )
    marks[mark.stage] = mark
    response.attempt = attempt
    _advance(response, marks)
    responses = _scored_responses(attempt)
    attempt.save(
        update_fields=score_attempt(attempt, [(exact_score(r), r.max_marks) for r in responses])
    )
    record(
        actor=by,
        action=CORRECTED,
        target=mark,
        reason=reason,
        response_id=response.pk,
        attempt_id=attempt.pk,
        learner_id=attempt.user_id,
        position=response.position,
        old=old,
        new=_mark_values(mark),
        old_result=result_before,
        new_result=_result(attempt),
    )
    correction = MarkCorrection.objects.create(
        response=response,
        corrected_by=by,
        corrected_at=mark.marked_at,
        reason=reason,
        old_score=final.score,
        new_score=mark.score,
        old_percent=percent_before,
        new_percent=attempt.percent,
        old_passed=passed_before,
        new_passed=attempt.passed,
        feedback=mark.feedback,
    )
    transaction.on_commit(lambda: enqueue(CORRECTION_EMAIL_TASK, correction.pk))
    # Announced as a regrade announces a changed released result, so a course completes when a
    # fail becomes a pass (and, completion being permanent, is never taken away).
    if (attempt.percent, attempt.passed) != (percent_before, passed_before):
        announce_changed_result(
            attempt=attempt, percent_before=percent_before, passed_before=passed_before
        )
    return mark


def announce_changed_result(*, attempt: Attempt, percent_before, passed_before) -> None:
    """Tell other apps, once committed, that a released result changed (signals.attempt_regraded).

    Robust: a listener that fails must not undo the change, which has committed by then.
    """

    # A named function, not a partial: Django logs a failing robust callback by its
    # __qualname__, which a partial does not have.
    def announce_changed_result():
        attempt_regraded.send(
            sender=Attempt,
            attempt=attempt,
            passed_before=passed_before,
            percent_before=percent_before,
        )

    transaction.on_commit(announce_changed_result, robust=True)


def _release_marked(attempt: Attempt, *, also: list[str]) -> None:
    release(attempt, also=also)
    transaction.on_commit(lambda: enqueue(RESULT_EMAIL_TASK, attempt.pk))


def ready_to_release(*, assessment: Assessment):
    """Attempts of the assessment whose answers are all marked and whose result is held."""
    return Attempt.objects.filter(
        assessment=assessment, status=Attempt.Status.MARKING, percent__isnull=False
    )


@transaction.atomic
def release_results(*, assessment: Assessment, by, reason: str = "") -> int:
    """Release every held result of the assessment whose answers are all marked; the number
    released. Answers still being marked or moderated wait for a later release."""
    attempts = list(ready_to_release(assessment=assessment).select_for_update())
    for attempt in attempts:
        attempt.assessment = assessment
        _release_marked(attempt, also=[])
    if attempts:
        record(
            actor=by,
            action="results.released",
            target=assessment,
            reason=reason,
            attempt_ids=[a.pk for a in attempts],
        )
    return len(attempts)
