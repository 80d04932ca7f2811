"""The learner's record of assessments: every attempt they made, with what they may see of it."""

from dataclasses import dataclass

from ..models import Assessment, Attempt
from .review import review_rules


@dataclass(frozen=True)
class AttemptRecord:
    attempt: Attempt
    # "in_progress", "marking" (handed in, waiting for a marker or for release), "passed",
    # "not_passed", or "released" when the review options hide the marks for now.
    state: str

    @property
    def shows_score(self) -> bool:
        return self.state in ("passed", "not_passed")


def _state(attempt: Attempt) -> str:
    if not attempt.is_submitted:
        return "in_progress"
    if not attempt.is_released:
        return "marking"
    if not review_rules(attempt=attempt).marks:
        return "released"
    return "passed" if attempt.passed else "not_passed"


@dataclass(frozen=True)
class AssessmentRecord:
    assessment: Assessment
    attempts: list[AttemptRecord]  # newest first


def attempt_record(*, user) -> list[AssessmentRecord]:
    """Every assessment the learner has attempted (a course's or one on its own) with each of
    their attempts, the most recently started first, in one query."""
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("assessment")
        .order_by("-started_at", "-pk")
    )
    by_assessment: dict[int, AssessmentRecord] = {}
    for attempt in attempts:
        record = by_assessment.setdefault(
            attempt.assessment_id, AssessmentRecord(assessment=attempt.assessment, attempts=[])
        )
        record.attempts.append(AttemptRecord(attempt=attempt, state=_state(attempt)))
    return list(by_assessment.values())
