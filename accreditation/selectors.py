"""Reads for pages and reports, each in a fixed number of queries whatever the rows."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
)

from assessments import selectors as assessment_selectors
from complaint_standards.models import Expectation
from courses import selectors as course_selectors

from .models import (
    Appeal,
    Candidacy,
    CaseworkReview,
    Competency,
    Decision,
    PortfolioUnit,
    Programme,
    ProgrammeVersion,
    QualitySample,
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


# Reports for programme managers -------------------------------------------------------------


def pipeline_counts() -> dict[int, dict[str, int]]:
    """For each programme (by id): candidates working towards it with nothing in assessment,
    with a unit in assessment (submitted or being assessed), awarded, and withdrawn. One
    query."""
    open_submission = Submission.objects.filter(
        work__candidacy=OuterRef("pk"),
        status__in=[Submission.Status.SUBMITTED, Submission.Status.IN_ASSESSMENT],
    )
    active = Q(status=Candidacy.Status.ACTIVE)
    rows = (
        Candidacy.objects.annotate(in_assessment=Exists(open_submission))
        .values("programme_id")
        .annotate(
            working=Count("pk", filter=active & Q(in_assessment=False)),
            in_assessment=Count("pk", filter=active & Q(in_assessment=True)),
            awarded=Count("pk", filter=Q(status=Candidacy.Status.AWARDED)),
            withdrawn=Count("pk", filter=Q(status=Candidacy.Status.WITHDRAWN)),
        )
        .order_by()
    )
    return {row.pop("programme_id"): row for row in rows}


@dataclass(frozen=True)
class UnitFigures:
    programme_id: int
    unit: str
    decisions: int
    competent: int
    first_submissions: int
    first_time_competent: int
    average_days: float | None
    waiting: int
    oldest_waiting: datetime | None

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.competent / self.decisions if self.decisions else None

    @property
    def first_time_rate(self) -> float | None:
        if not self.first_submissions:
            return None
        return 100 * self.first_time_competent / self.first_submissions


def unit_figures() -> list[UnitFigures]:
    """For each programme and unit: assessors' decisions and how many were competent (all, and
    on first submission), the average days from submission to decision, and submissions waiting
    with the oldest. Three queries whatever the number of submissions."""
    unit = "work__requirement__unit_id"
    programme = "work__candidacy__programme_id"
    wait = ExpressionWrapper(F("decided_at") - F("submission__submitted_at"), DurationField())
    competent = Q(outcome=Decision.Outcome.COMPETENT)
    first = Q(submission__number=1)
    decided = {
        (row["programme"], row["unit"]): row
        for row in Decision.objects.filter(kind=Decision.Kind.ASSESSMENT)
        .values(programme=F(f"submission__{programme}"), unit=F(f"submission__{unit}"))
        .annotate(
            decisions=Count("pk"),
            competent=Count("pk", filter=competent),
            first_submissions=Count("pk", filter=first),
            first_time_competent=Count("pk", filter=first & competent),
            average=Avg(wait),
        )
        .order_by()
    }
    waiting = {
        (row["programme"], row["unit"]): row
        for row in Submission.objects.filter(
            status__in=[Submission.Status.SUBMITTED, Submission.Status.IN_ASSESSMENT]
        )
        .values(programme=F(programme), unit=F(unit))
        .annotate(waiting=Count("pk"), oldest=Min("submitted_at"))
        .order_by()
    }
    keys = sorted(set(decided) | set(waiting))
    names = {
        unit.pk: str(unit) for unit in PortfolioUnit.objects.filter(pk__in={k[1] for k in keys})
    }
    figures = []
    for key in keys:
        done, open_ = decided.get(key, {}), waiting.get(key, {})
        average = done.get("average")
        figures.append(
            UnitFigures(
                programme_id=key[0],
                unit=names[key[1]],
                decisions=done.get("decisions", 0),
                competent=done.get("competent", 0),
                first_submissions=done.get("first_submissions", 0),
                first_time_competent=done.get("first_time_competent", 0),
                average_days=average.total_seconds() / 86400 if average is not None else None,
                waiting=open_.get("waiting", 0),
                oldest_waiting=open_.get("oldest"),
            )
        )
    return figures


def quality_figures() -> dict[int, dict[str, int]]:
    """For each programme: decisions sampled for IQA, reviewed, confirmed and overturned. One
    query."""
    rows = (
        QualitySample.objects.values(
            programme=F("decision__submission__work__candidacy__programme_id")
        )
        .annotate(
            sampled=Count("pk"),
            confirmed=Count("pk", filter=Q(outcome=QualitySample.Outcome.CONFIRMED)),
            overturned=Count("pk", filter=Q(outcome=QualitySample.Outcome.OVERTURNED)),
        )
        .order_by()
    )
    return {row.pop("programme"): row for row in rows}


def appeal_figures() -> dict[int, dict[str, int]]:
    """For each programme: appeals lodged, upheld, dismissed and waiting. One query."""
    rows = (
        Appeal.objects.values(programme=F("decision__submission__work__candidacy__programme_id"))
        .annotate(
            lodged=Count("pk"),
            upheld=Count("pk", filter=Q(outcome=Appeal.Outcome.UPHELD)),
            dismissed=Count("pk", filter=Q(outcome=Appeal.Outcome.DISMISSED)),
            waiting=Count("pk", filter=Q(outcome="")),
        )
        .order_by()
    )
    return {row.pop("programme"): row for row in rows}
