"""The candidacy dashboard: every requirement of the candidate's version and where they stand on
it, in a fixed number of queries whatever the number of requirements."""

from dataclasses import dataclass
from datetime import datetime

from assessments import selectors as assessment_selectors
from courses import selectors as course_selectors

from ..models import Candidacy, CaseworkReview, Requirement
from .portfolio import UnitState, UnitStatus, unit_states
from .programmes import requirements_of


class State:
    """Where a candidate stands on a course, an assessment or a casework review, as the
    dashboard names it; portfolio units name theirs with UnitStatus."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    AWAITING_MARKING = "Waiting for marking"
    NOT_YET_COMPETENT = "Not yet competent"
    COMPETENT = "Competent"
    COMPLETED = "Completed"
    PASSED = "Passed"
    NOT_PASSED = "Not passed yet"


@dataclass(frozen=True)
class RequirementRow:
    requirement: Requirement
    state: str
    met: bool
    detail: str = ""
    met_at: datetime | None = None


def requirement_rows(*, candidacy: Candidacy) -> list[RequirementRow]:
    """Every requirement of the candidacy's version with where the candidate stands on it, in a
    fixed number of queries whatever the number of requirements."""
    requirements = requirements_of(candidacy.version)
    person = candidacy.candidate
    courses = [r.course for r in requirements if r.kind == Requirement.Kind.COURSE]
    assessments = [r.assessment for r in requirements if r.kind == Requirement.Kind.ASSESSMENT]
    enrolments = (
        course_selectors.enrolments_by_course(user=person, courses=courses) if courses else {}
    )
    standings = (
        assessment_selectors.standings(user=person, assessments=assessments) if assessments else {}
    )
    units = (
        unit_states(candidacy) if any(r.kind == Requirement.Kind.UNIT for r in requirements) else {}
    )
    reviews = {}
    if any(r.kind == Requirement.Kind.CASEWORK_REVIEW for r in requirements):
        for review in CaseworkReview.objects.filter(candidacy=candidacy).order_by("recorded_at"):
            reviews[review.requirement_id] = review  # the latest stands
    rows = []
    for requirement in requirements:
        if requirement.kind == Requirement.Kind.COURSE:
            rows.append(_course_row(requirement, enrolments.get(requirement.course_id)))
        elif requirement.kind == Requirement.Kind.ASSESSMENT:
            rows.append(_assessment_row(requirement, standings[requirement.assessment_id]))
        elif requirement.kind == Requirement.Kind.UNIT:
            rows.append(_unit_row(requirement, units[requirement.pk]))
        else:
            rows.append(_review_row(requirement, reviews.get(requirement.pk)))
    return rows


def _unit_row(requirement: Requirement, state: UnitState) -> RequirementRow:
    detail = ""
    if state.status in (UnitStatus.NOT_YET_COMPETENT, UnitStatus.RESUBMISSION_DUE):
        left = state.resubmissions_left
        detail = f"{left} resubmission{'' if left == 1 else 's'} left"
    decision = state.current_decision
    return RequirementRow(
        requirement,
        state.label,
        state.status == UnitStatus.COMPETENT,
        detail=detail,
        met_at=decision.decided_at if state.status == UnitStatus.COMPETENT else None,
    )


def _course_row(requirement: Requirement, enrolment) -> RequirementRow:
    if enrolment is None:
        return RequirementRow(requirement, State.NOT_STARTED, False)
    if enrolment.completed_at:
        return RequirementRow(requirement, State.COMPLETED, True, met_at=enrolment.completed_at)
    done = enrolment.lessons_done
    return RequirementRow(
        requirement,
        State.IN_PROGRESS,
        False,
        detail=f"{done} lesson{'' if done == 1 else 's'} done" if done else "",
    )


def _assessment_row(requirement: Requirement, standing) -> RequirementRow:
    if standing.grade.passed:
        return RequirementRow(requirement, State.PASSED, True, met_at=standing.passed_at)
    if standing.awaiting_marking:
        return RequirementRow(requirement, State.AWAITING_MARKING, False)
    if standing.in_progress:
        return RequirementRow(requirement, State.IN_PROGRESS, False)
    if standing.grade.attempts_counted:
        return RequirementRow(requirement, State.NOT_PASSED, False)
    return RequirementRow(requirement, State.NOT_STARTED, False)


def _review_row(requirement: Requirement, review: CaseworkReview | None) -> RequirementRow:
    if review is None:
        return RequirementRow(
            requirement, State.NOT_STARTED, False, "An assessor will review one of your case files."
        )
    if review.outcome == CaseworkReview.Outcome.COMPETENT:
        return RequirementRow(requirement, State.COMPETENT, True, met_at=review.recorded_at)
    return RequirementRow(requirement, State.NOT_YET_COMPETENT, False, "Another review is needed.")


def needed_for_award(rows: list[RequirementRow]) -> list[RequirementRow]:
    return [row for row in rows if row.requirement.stage != Requirement.Stage.RENEWAL]
