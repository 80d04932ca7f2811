"""The learner's record of assessments: every attempt they made, with what they may see of it."""

from dataclasses import dataclass

from complaint_standards.models import Expectation

from ..models import Adjustment, Assessment, Attempt
from .review import review_rules, tries_remain


@dataclass(frozen=True)
class AttemptRecord:
    attempt: Attempt
    # "in_progress", "marking" (handed in, waiting for a marker or for release), "passed",
    # "not_passed", or "released" when the review options hide the marks for now.
    state: str

    @property
    def shows_score(self) -> bool:
        return self.state in ("passed", "not_passed")


def _state(attempt: Attempt, *, may_try_again: bool) -> str:
    if not attempt.is_submitted:
        return "in_progress"
    if not attempt.is_released:
        return "marking"
    if not review_rules(attempt=attempt, may_try_again=may_try_again).marks:
        return "released"
    return "passed" if attempt.passed else "not_passed"


@dataclass(frozen=True)
class AssessmentRecord:
    assessment: Assessment
    attempts: list[AttemptRecord]  # newest first


def attempt_record(*, user) -> list[AssessmentRecord]:
    """Every assessment the learner has attempted (a course's or one on its own) with each of
    their attempts, the most recently started first, in two queries at most (the attempts, and
    the learner's extra attempts where a limit makes them count for what they may see)."""
    attempts = list(
        Attempt.objects.filter(user=user)
        .select_related("assessment")
        .order_by("-started_at", "-pk")
    )
    extra = {}
    if any(attempt.assessment.max_attempts is not None for attempt in attempts):
        extra = dict(
            Adjustment.objects.filter(learner=user).values_list("assessment_id", "extra_attempts")
        )
    by_assessment: dict[int, list[Attempt]] = {}
    for attempt in attempts:
        by_assessment.setdefault(attempt.assessment_id, []).append(attempt)
    records = []
    for assessment_id, made in by_assessment.items():
        assessment = made[0].assessment
        may_try_again = tries_remain(
            assessment=assessment,
            made=len(made),
            in_progress=sum(not attempt.is_submitted for attempt in made),
            extra=extra.get(assessment_id, 0),
        )
        records.append(
            AssessmentRecord(
                assessment=assessment,
                attempts=[
                    AttemptRecord(attempt=a, state=_state(a, may_try_again=may_try_again))
                    for a in made
                ],
            )
        )
    return records


def first_pass(*, user_id: int, assessment_id: int) -> Attempt | None:
    """The learner's earliest handed-in attempt at the assessment whose released result is a
    pass, or None (a held result does not count until it is released)."""
    return (
        Attempt.objects.filter(
            user_id=user_id,
            assessment_id=assessment_id,
            status=Attempt.Status.SUBMITTED,
            passed=True,
        )
        .order_by("submitted_at", "pk")
        .first()
    )


def expectations_tested(*, attempt: Attempt):
    """The Complaint Standards expectations the attempt's questions are tagged with."""
    return Expectation.objects.filter(
        questions__versions__in=attempt.responses.values("version_id")
    ).distinct()
