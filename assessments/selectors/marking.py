"""Read paths for marking: the queue of answers to mark, an answer as its marker opens it, the
name markers see under anonymous marking, and an answer's final mark."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404

from ..models import Attempt, Mark, Response


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
