"""Every state change of marking: assessors' marks, second marking, moderation and the release
of results. The services of attempts (assessments.services) hand answers in; these mark them.

An answer a person marks moves through Response.marking: "to_mark" until its first mark; then
"second" when it was sampled for second marking, until a second assessor marks it blind; then
"moderation" when the two marks differ by more than the assessment's tolerance, until a
moderator decides; then "done", with the final mark as the response's score. When every such
answer of an attempt is done, the attempt is scored and its result released, at once or, when
the assessment holds results, when an assessor releases them.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from academy.audit import record

from . import scoring
from .models import MANUAL_KINDS, Assessment, Attempt, Mark, Response
from .services import AssessmentError, machine_score, release, score_attempt

logger = logging.getLogger(__name__)

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
    return Fraction(percent) / 100


def _locked(response: Response) -> Response:
    return (
        Response.objects.select_for_update(of=("self",))
        .select_related("version", "attempt__assessment")
        .get(pk=response.pk)
    )


def _mark_values(mark: Mark | None) -> dict | None:
    if mark is None:
        return None
    return {
        "stage": mark.stage,
        "marker_id": mark.marker_id,
        "levels": mark.levels,
        "score": str(mark.score),
        "feedback": mark.feedback,
    }


@transaction.atomic
def record_mark(*, response: Response, marker, given: MarkGiven, reason: str = "") -> Mark:
    """Record the marker's mark for the answer at the stage it is at, then move it on.

    A second marker must not be the first; a moderator must be neither. A stage already marked
    can be marked again, before the result is released, by the same marker (or, for a moderated
    mark, another moderator) with a reason; the audit log keeps who, when, old, new and why.
    """
    response = _locked(response)
    attempt = response.attempt
    if response.version.kind not in MANUAL_KINDS or not response.marking:
        raise AssessmentError("This answer is scored automatically; there is nothing to mark.")
    if attempt.is_released:
        raise AssessmentError(
            "This result has been released to the learner, so its marks can no longer be changed."
        )
    marks = {mark.stage: mark for mark in response.marks.all()}
    stage = STAGE_FOR.get(response.marking) or _stage_to_change(marks)
    existing = marks.get(stage)
    reason = (reason or "").strip()
    if existing and not reason:
        raise AssessmentError("Give the reason for changing this mark.")
    if existing and stage != Mark.Stage.MODERATED and existing.marker_id != marker.pk:
        raise AssessmentError("Only the assessor who gave this mark can change it.")
    others = {m.marker_id for s, m in marks.items() if s != stage}
    if stage == Mark.Stage.SECOND and marker.pk in others:
        raise AssessmentError(
            "You gave the first mark for this answer: another assessor must second-mark it."
        )
    if stage == Mark.Stage.MODERATED and marker.pk in others:
        raise AssessmentError("You marked this answer, so another assessor must moderate it.")
    score = score_of(response, given)
    rubric = response.version.settings.get("rubric")
    values = {
        "marker": marker,
        "levels": dict(given.levels) if rubric else {},
        "score": scoring.to_decimal(score),
        "feedback": (given.feedback or "").strip(),
        "marked_at": timezone.now(),
    }
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
    _advance(response, marks)
    _after_marking(attempt)
    return mark


def _stage_to_change(marks: dict[str, Mark]) -> str:
    """For an answer already marked: the stage whose mark made its final mark."""
    for stage in (Mark.Stage.MODERATED, Mark.Stage.FIRST):
        if stage in marks:
            return stage
    raise AssessmentError("This answer has no mark to change.")


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
    """Score the attempt once every answer is marked; release it unless results are held."""
    attempt = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=attempt.pk)
    )
    responses = list(attempt.responses.select_related("version").prefetch_related("marks"))
    if any(r.score is None for r in responses):
        if attempt.percent is not None:  # a changed mark reopened marking
            attempt.points = attempt.percent = attempt.passed = None
            attempt.save(update_fields=["points", "percent", "passed"])
        return
    scored = score_attempt(attempt, [_exact_score(r) for r in responses])
    if attempt.assessment.hold_results:
        attempt.save(update_fields=scored)
    else:
        _release_marked(attempt, also=scored)


def _exact_score(response: Response) -> Fraction:
    """An answer's score without the rounding of its stored decimal: from the final mark's
    rubric levels, or the machine's scoring."""
    if response.version.kind not in MANUAL_KINDS:
        return machine_score(response)
    marks = {mark.stage: mark for mark in response.marks.all()}
    final = marks.get(Mark.Stage.MODERATED) or marks[Mark.Stage.FIRST]
    rubric = response.version.settings.get("rubric")
    if rubric:
        return scoring.score_rubric(rubric["criteria"], final.levels)
    return Fraction(final.score)


def _release_marked(attempt: Attempt, *, also: list[str]) -> None:
    release(attempt, also=also)
    transaction.on_commit(lambda: enqueue_result_email(attempt.pk))


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


def enqueue_result_email(attempt_id: int) -> bool:
    """Queue the learner's e-mail; a broker that cannot be reached is logged, never raised (the
    learner sees the result on their next visit either way)."""
    from . import tasks  # tasks import this module

    try:
        tasks.email_result_released.delay(attempt_id)
    except (OperationalError, OSError):
        logger.exception("Could not queue the result e-mail for attempt %s.", attempt_id)
        return False
    return True


def email_result_released(*, attempt: Attempt) -> bool:
    """Tell the learner their marked result is ready, once; True if it was sent. The row is
    locked, the e-mail sent, then result_emailed_at set, as certificate e-mails are."""
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("user", "assessment")
            .get(pk=attempt.pk)
        )
        if locked.result_emailed_at is not None or not locked.is_released:
            return False
        url = settings.ACADEMY_SITE_URL + reverse("assessments:result", args=[locked.pk])
        context = {"attempt": locked, "learner": locked.user, "result_url": url}
        EmailMessage(
            subject=f"[PHSO Academy] Your result is ready: {locked.assessment.title}",
            body=render_to_string("assessments/email/result_released.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[locked.user.email],
        ).send()
        locked.result_emailed_at = timezone.now()
        locked.save(update_fields=["result_emailed_at"])
    return True
