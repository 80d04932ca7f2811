"""Figures for the accreditation report: each one aggregate query whatever the number of rows."""

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
    Q,
)

from ..models import Appeal, Candidacy, Decision, PortfolioUnit, QualitySample, Submission


def pipeline_counts(*, candidate_ids=None) -> dict[int, dict[str, int]]:
    """For each programme (by id): candidates working towards it with nothing in assessment,
    with a unit in assessment (submitted or being assessed), awarded, and withdrawn; only the
    candidates in `candidate_ids` (a query of user ids) when given. One query."""
    open_submission = Submission.objects.filter(
        work__candidacy=OuterRef("pk"),
        status__in=[Submission.Status.SUBMITTED, Submission.Status.IN_ASSESSMENT],
    )
    active = Q(status=Candidacy.Status.ACTIVE)
    candidacies = Candidacy.objects.all()
    if candidate_ids is not None:
        candidacies = candidacies.filter(candidate_id__in=candidate_ids)
    rows = (
        candidacies.annotate(in_assessment=Exists(open_submission))
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
