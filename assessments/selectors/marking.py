"""Read paths for marking: the queue of answers to mark, an answer as its marker opens it, the
name markers see under anonymous marking, and an answer's final mark."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404

from ..models import Attempt, Mark, MarkCorrection, Response


def final_mark(response: Response) -> Mark | None:
    """The mark that made a marked answer's score (prefetched marks): the moderator's, else
    the first."""
    marks = {mark.stage: mark for mark in response.marks.all()}
    return marks.get(Mark.Stage.MODERATED) or marks.get(Mark.Stage.FIRST)


def candidate_number(attempt_id: int) -> str:
    """The name markers see under anonymous marking: the same for every answer of an attempt,
    and not derivable from the attempt's id without the site's secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"candidate:{attempt_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"Candidate {digest[:10].upper()}"


@dataclass(frozen=True)
class QueueRow:
    response_id: int
    candidate: str
    assessment: str
    question: str
    position: int
    submitted_at: datetime
    marking: str
    marking_label: str
    released: bool


def _markable(marker):
    """Answers a person marks, handed in, never the marker's own."""
    return (
        Response.objects.exclude(marking=Response.Marking.NONE)
        .exclude(attempt__status=Attempt.Status.IN_PROGRESS)
        .exclude(attempt__user=marker)
    )


def marking_queue(*, marker, assessment_id: int | None = None, marking: str | None = None):
    """Answers to mark, oldest submission first, filtered by assessment and by stage ("to_mark",
    "second", "moderation", "done"; every stage when marking is empty)."""
    responses = (
        _markable(marker)
        .select_related("attempt__assessment", "attempt__user", "version__question")
        .order_by("attempt__submitted_at", "attempt_id", "position")
    )
    if assessment_id:
        responses = responses.filter(attempt__assessment_id=assessment_id)
    if marking:
        responses = responses.filter(marking=marking)
    return responses


@dataclass(frozen=True)
class StageCount:
    """One stage of the marking queue with how many answers are at it, and how many of those
    this marker could mark now (not ones they have marked already at an earlier stage)."""

    value: str
    label: str
    answers: int
    theirs: int


# The stages an assessor's queue opens on, the one nearest release first: each answer moderated
# or second-marked lets a result go out, so that work waits least.
OPENING_ORDER = (
    Response.Marking.MODERATION,
    Response.Marking.SECOND,
    Response.Marking.TO_MARK,
)


def stage_counts(*, marker, assessment_id: int | None = None) -> list[StageCount]:
    """Every stage of marking with its counts for this marker, in the queue's order. One
    query."""
    responses = _markable(marker)
    if assessment_id:
        responses = responses.filter(attempt__assessment_id=assessment_id)
    marked_before = Exists(Mark.objects.filter(response=OuterRef("pk"), marker=marker))
    rows = {
        row["marking"]: row
        for row in responses.annotate(marked_before=marked_before)
        .values("marking")
        .annotate(answers=Count("pk"), theirs=Count("pk", filter=Q(marked_before=False)))
        .order_by()
    }
    return [
        StageCount(
            value=value,
            label=label,
            answers=rows.get(value, {}).get("answers", 0),
            theirs=rows.get(value, {}).get("theirs", 0),
        )
        for value, label in Response.Marking.choices
        if value
    ]


def opening_stage(*, counts: list[StageCount], can_moderate: bool) -> str:
    """The stage a marker's queue opens on: moderation for a moderator with answers to moderate,
    else second marking when there are answers they did not first-mark, else first marking."""
    theirs = {count.value: count.theirs for count in counts}
    for stage in OPENING_ORDER:
        if stage == Response.Marking.MODERATION and not can_moderate:
            continue
        if theirs.get(stage):
            return stage
    return Response.Marking.TO_MARK


def held_results(*, assessment_id: int | None = None) -> list[dict]:
    """Assessments with results marked and held until released: {"assessment_id", "title",
    "held"}, by title. One query."""
    attempts = Attempt.objects.filter(status=Attempt.Status.MARKING, percent__isnull=False)
    if assessment_id:
        attempts = attempts.filter(assessment_id=assessment_id)
    return list(
        attempts.values("assessment_id", title=F("assessment__title"))
        .annotate(held=Count("pk"))
        .order_by("title", "assessment_id")
    )


def queue_rows(responses) -> list[QueueRow]:
    """One page of marking_queue as the marker sees it: names hidden under anonymous marking."""
    return [
        QueueRow(
            response_id=r.pk,
            candidate=candidate_label(r.attempt),
            assessment=r.attempt.assessment.title,
            question=r.version.question.title,
            position=r.position,
            submitted_at=r.attempt.submitted_at,
            marking=r.marking,
            marking_label=r.get_marking_display(),
            released=r.attempt.is_released,
        )
        for r in responses
    ]


def candidate_label(attempt: Attempt) -> str:
    if attempt.assessment.anonymous_marking:
        return candidate_number(attempt.pk)
    return attempt.user.get_full_name() or attempt.user.email


def response_to_mark(*, response_id: int, marker) -> Response:
    """An answer the marker may open, with its marks and markers, or 404 (also for the marker's
    own attempt)."""
    try:
        return (
            _markable(marker)
            .select_related("attempt__assessment", "attempt__user", "version__question")
            .prefetch_related(Prefetch("marks", queryset=Mark.objects.select_related("marker")))
            .get(pk=response_id)
        )
    except Response.DoesNotExist:
        raise Http404("No answer to mark found.") from None


def corrections_of(response: Response) -> list[MarkCorrection]:
    """The corrections of an answer's released mark, oldest first, with who made them."""
    return list(
        MarkCorrection.objects.filter(response=response)
        .select_related("corrected_by")
        .order_by("corrected_at", "pk")
    )
