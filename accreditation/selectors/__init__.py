"""Reads for pages and reports, each in a fixed number of queries whatever the rows."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q

from assessments import selectors as assessment_selectors
from complaint_standards.models import Expectation
from courses import selectors as course_selectors

from ..models import (
    Candidacy,
    CaseworkReview,
    Competency,
    Decision,
    Programme,
    ProgrammeVersion,
    Requirement,
    Submission,
    UnitWork,
)


def current_version(programme: Programme) -> ProgrammeVersion | None:
    """The published version new candidates enrol on, or None."""
    return programme.versions.filter(status=ProgrammeVersion.Status.PUBLISHED).first()


def open_programmes():
    """Programmes open for enrolment with a published version, each with that version and its
    requirements, in three queries."""
    published = ProgrammeVersion.objects.filter(status=ProgrammeVersion.Status.PUBLISHED)
    return (
        Programme.objects.filter(is_open=True, versions__in=published)
        .prefetch_related(
            Prefetch("versions", queryset=published, to_attr="published"),
        )
        .order_by("name")
    )


def requirements_of(version: ProgrammeVersion) -> list[Requirement]:
    """The version's requirements in order, with what each names, in one query."""
    return list(
        version.requirements.select_related("course", "assessment", "unit", "checklist").order_by(
            "sort_order", "pk"
        )
    )


def candidacies_of(*, person) -> list[Candidacy]:
    """The person's candidacies, withdrawn ones last, in one query."""
    return list(
        Candidacy.objects.filter(candidate=person)
        .select_related("programme", "version")
        .order_by("status", "-enrolled_at")
    )


def candidacy_for(*, person, pk: int) -> Candidacy | None:
    """The person's own candidacy with this id, or None (someone else's reads as missing)."""
    return (
        Candidacy.objects.filter(candidate=person, pk=pk)
        .select_related("programme", "version")
        .first()
    )


class State:
    """Where a candidate stands on one requirement, as the dashboard names it."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    AWAITING_MARKING = "Waiting for marking"
    SUBMITTED = "Submitted"
    BEING_ASSESSED = "Being assessed"
    RESUBMISSION_DUE = "Resubmission due"
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


def current_decision(submission: Submission) -> Decision | None:
    """The decision that stands on a submission (from its prefetched decisions): the latest
    one no other decision superseded."""
    superseded = {d.supersedes_id for d in submission.decisions.all() if d.supersedes_id}
    standing = [d for d in submission.decisions.all() if d.pk not in superseded]
    return standing[-1] if standing else None


def _unit_row(requirement: Requirement, work: UnitWork | None) -> RequirementRow:
    submissions = list(work.submissions.all()) if work else []
    active = [s for s in submissions if s.status != Submission.Status.WITHDRAWN]
    latest = active[-1] if active else None
    if latest is None:
        started = work is not None and (work.statement.strip() or work.evidence_count)
        return RequirementRow(
            requirement, State.IN_PROGRESS if started else State.NOT_STARTED, met=False
        )
    if latest.status == Submission.Status.SUBMITTED:
        return RequirementRow(requirement, State.SUBMITTED, False)
    if latest.status == Submission.Status.IN_ASSESSMENT:
        return RequirementRow(requirement, State.BEING_ASSESSED, False)
    decision = current_decision(latest)
    if decision and decision.outcome == Decision.Outcome.COMPETENT:
        return RequirementRow(requirement, State.COMPETENT, True, met_at=decision.decided_at)
    resubmissions_used = len(active) - 1
    if resubmissions_used < requirement.unit.resubmission_limit:
        left = requirement.unit.resubmission_limit - resubmissions_used
        return RequirementRow(
            requirement,
            State.RESUBMISSION_DUE,
            False,
            detail=f"{left} resubmission{'' if left == 1 else 's'} left",
        )
    return RequirementRow(requirement, State.NOT_YET_COMPETENT, False, "No resubmissions left")


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
    work_by_requirement = {}
    if any(r.kind == Requirement.Kind.UNIT for r in requirements):
        work_by_requirement = {
            work.requirement_id: work
            for work in UnitWork.objects.filter(candidacy=candidacy)
            .annotate(evidence_count=Count("evidence"))
            .prefetch_related(
                Prefetch(
                    "submissions",
                    queryset=Submission.objects.order_by("number").prefetch_related(
                        Prefetch("decisions", queryset=Decision.objects.order_by("decided_at"))
                    ),
                )
            )
        }
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
            rows.append(_unit_row(requirement, work_by_requirement.get(requirement.pk)))
        else:
            rows.append(_review_row(requirement, reviews.get(requirement.pk)))
    return rows


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


def active_candidacy(*, person, programme: Programme) -> Candidacy | None:
    """The person's candidacy on the programme that is not withdrawn, or None."""
    return (
        Candidacy.objects.filter(candidate=person, programme=programme)
        .exclude(status=Candidacy.Status.WITHDRAWN)
        .select_related("version")
        .first()
    )


def competencies_of(*, programme: Programme) -> list[Competency]:
    """The competencies any version of the programme assesses (through its units' rubrics and
    its casework checklists), in framework order, in one query."""
    return list(
        Competency.objects.filter(
            Q(criteria__unit__requirements__version__programme=programme)
            | Q(checklist_items__checklist__requirements__version__programme=programme)
        )
        .distinct()
        .order_by("position", "name")
    )


def expectations_of(*, programme: Programme):
    """The Complaint Standards expectations the programme's competencies are aligned to."""
    return Expectation.objects.filter(competencies__in=competencies_of(programme=programme))
