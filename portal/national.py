"""The PHSO's national view: learners, enrolments, completions and certificates month by month,
split by organisation kind, region and framework; pass rates; the accreditation pipeline;
expectation coverage; organisations and memberships. Read from the aggregate that
portal.national_refresh rebuilds, in a fixed number of queries whatever the data."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from academy import selectors as people
from academy.models import Organisation, Region
from assessments import selectors as assessments
from complaint_standards import selectors as standards

from . import programme_reports
from .models import ALL, NONE, NationalCoverage, NationalFigure, NationalRefresh
from .national_refresh import UNRECORDED

PERMISSION = "organisations.view_national_figures"
MONTHS_BY_DEFAULT = 12
MEASURES = [
    ("learners", "New learners"),
    ("enrolments", "Enrolments"),
    ("completions", "Completions"),
    ("certificates", "Certificates issued"),
]
NO_ORGANISATION = "No organisation"
KIND_LABELS = {**dict(Organisation.Kind.choices), NONE: NO_ORGANISATION}
REGION_LABELS = {
    **dict(Region.choices),
    UNRECORDED: "Region not recorded",
    NONE: NO_ORGANISATION,
}
NO_FRAMEWORK = "Not tagged with a framework"


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last MONTHS_BY_DEFAULT months, this one included."""
    this_month = (today or timezone.localdate()).replace(day=1)
    return add_months(this_month, 1 - MONTHS_BY_DEFAULT), this_month


@dataclass(frozen=True)
class Filters:
    start: date  # first days of months
    end: date
    kind: str = ALL
    region: str = ALL
    framework: str = ALL

    @property
    def months(self) -> list[date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months


@dataclass
class Counts:
    learners: int = 0
    enrolments: int = 0
    completions: int = 0
    certificates: int = 0

    def get(self, measure: str) -> int:
        return getattr(self, measure)

    @property
    def values(self) -> list[int]:
        """The counts in the order of MEASURES."""
        return [getattr(self, measure) for measure, _label in MEASURES]


@dataclass
class Row:
    key: str
    label: str
    counts: Counts


@dataclass
class PassRate:
    label: str
    attempts: int
    passed: int

    @property
    def rate(self) -> float | None:
        return 100 * self.passed / self.attempts if self.attempts else None


@dataclass
class CoverageRow:
    framework: str
    principle: str
    code: str
    expectation: str
    learners: int
    share: float | None


@dataclass
class NationalFigures:
    filters: Filters
    labels: dict[str, str]  # the filters, as printed
    refreshed_at: object
    months: list[Row]
    total: Counts
    splits: dict[str, list[Row]]
    pass_rates: list[PassRate]
    overall_pass_rate: PassRate
    pipeline: list = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)
    learners_with_learning: int = 0
    organisations: dict[str, int] = field(default_factory=dict)


SPLITS = [("kind", "Organisation kind"), ("region", "Region"), ("framework", "Framework")]
SUMS = {measure: Sum(measure) for measure, _label in MEASURES}


def framework_labels() -> dict[str, str]:
    """Each framework's filter key and name, then the untagged. One query."""
    return {str(framework.pk): str(framework) for framework in standards.frameworks()} | {
        NONE: NO_FRAMEWORK
    }


def choices() -> dict[str, list[tuple[str, str]]]:
    """What each filter offers, "" (every one) first. One query."""
    return {
        "kind": [(ALL, "All kinds"), *KIND_LABELS.items()],
        "region": [(ALL, "All regions"), *REGION_LABELS.items()],
        "framework": [(ALL, "All frameworks"), *framework_labels().items()],
    }


def refreshed_at():
    """When the aggregate was last rebuilt, or None if never. One query."""
    state = NationalRefresh.objects.filter(pk=1).first()
    return state.refreshed_at if state else None


def _counts(row: dict) -> Counts:
    return Counts(**{measure: row.get(measure) or 0 for measure, _label in MEASURES})


def national_figures(*, filters: Filters) -> NationalFigures:
    """Everything the national view shows for these filters. A fixed number of queries."""
    frameworks = framework_labels()
    labels = {"kind": KIND_LABELS, "region": REGION_LABELS, "framework": frameworks}
    cell = {"kind": filters.kind, "region": filters.region, "framework": filters.framework}
    learning = NationalFigure.objects.filter(
        assessment_id=0, month__gte=filters.start, month__lte=filters.end
    )

    by_month = {
        row["month"]: _counts(row)
        for row in learning.filter(**cell).values("month").annotate(**SUMS).order_by()
    }
    months = [
        Row(month.isoformat()[:7], f"{month:%b %Y}", by_month.get(month, Counts()))
        for month in filters.months
    ]
    total = Counts(
        **{measure: sum(row.counts.get(measure) for row in months) for measure, _label in MEASURES}
    )

    splits = {}
    for dimension, _title in SPLITS:
        others = {key: value for key, value in cell.items() if key != dimension}
        rows = learning.filter(**others).exclude(**{dimension: ALL})
        if cell[dimension] != ALL:
            rows = rows.filter(**{dimension: cell[dimension]})
        found = {
            row[dimension]: _counts(row)
            for row in rows.values(dimension).annotate(**SUMS).order_by()
        }
        splits[dimension] = [
            Row(key, label, found[key]) for key, label in labels[dimension].items() if key in found
        ]

    attempts = (
        NationalFigure.objects.filter(month__gte=filters.start, month__lte=filters.end, **cell)
        .exclude(assessment_id=0)
        .values("assessment_id")
        .annotate(attempts=Sum("attempts"), passed=Sum("passed"))
        .order_by()
    )
    attempts = {row["assessment_id"]: row for row in attempts}
    titles = assessments.assessment_titles(ids=attempts)
    pass_rates = sorted(
        (
            PassRate(titles.get(pk, f"Assessment {pk}"), row["attempts"], row["passed"])
            for pk, row in attempts.items()
        ),
        key=lambda rate: rate.label,
    )
    overall = PassRate(
        "All assessments",
        sum(rate.attempts for rate in pass_rates),
        sum(rate.passed for rate in pass_rates),
    )

    coverage = dict(
        NationalCoverage.objects.filter(kind=filters.kind, region=filters.region).values_list(
            "expectation_id", "learners"
        )
    )
    base = coverage.get(0, 0)
    framework_id = None
    if filters.framework not in (ALL, NONE):
        framework_id = int(filters.framework)
    expectations = (
        []
        if filters.framework == NONE
        else standards.expectations_in_order(framework_id=framework_id)
    )
    coverage_rows = [
        CoverageRow(
            framework=str(expectation.principle.framework),
            principle=str(expectation.principle),
            code=expectation.code,
            expectation=expectation.text,
            learners=coverage.get(expectation.pk, 0),
            share=100 * coverage.get(expectation.pk, 0) / base if base else None,
        )
        for expectation in expectations
    ]

    if NONE in (filters.kind, filters.region):
        organisations = {"organisations": 0, "memberships": 0}
    else:
        organisations = people.organisation_totals(
            kind=filters.kind or None,
            region={ALL: None, UNRECORDED: ""}.get(filters.region, filters.region),
        )
    return NationalFigures(
        filters=filters,
        labels={
            "Organisation kind": labels["kind"].get(filters.kind, "All kinds"),
            "Region": labels["region"].get(filters.region, "All regions"),
            "Framework": frameworks.get(filters.framework, "All frameworks"),
            "From": f"{filters.start:%B %Y}",
            "To": f"{filters.end:%B %Y}",
        },
        refreshed_at=refreshed_at(),
        months=months,
        total=total,
        splits=splits,
        pass_rates=pass_rates,
        overall_pass_rate=overall,
        pipeline=programme_reports.pipelines(learner_ids=_people(filters)),
        coverage=coverage_rows,
        learners_with_learning=base,
        organisations=organisations,
    )


def _people(filters: Filters):
    """Whose accreditations the pipeline counts under the kind and region filters: None for
    everyone."""
    if filters.kind == ALL and filters.region == ALL:
        return None
    if NONE in (filters.kind, filters.region):
        return people.unaffiliated_ids()
    return people.member_ids(
        kind=filters.kind or None,
        region={ALL: None, UNRECORDED: ""}.get(filters.region, filters.region),
    )


def export_rows(figures: NationalFigures, *, produced) -> list[list]:
    """The same figures as one table for a spreadsheet: a title, when and with which filters
    they were produced, then a row per section, group and measure."""
    rows = [
        ["PHSO Academy national figures"],
        ["Produced", f"{timezone.localtime(produced):%d %B %Y %H:%M}"],
    ]
    if figures.refreshed_at:
        rows.append(["Figures as at", f"{timezone.localtime(figures.refreshed_at):%d %B %Y %H:%M}"])
    rows += [["Filter", name, value] for name, value in figures.labels.items()]
    rows += [[], ["Section", "Group", "Measure", "Value"]]
    for row in figures.months:
        for measure, label in MEASURES:
            rows.append(["By month", row.key, label, row.counts.get(measure)])
    for measure, label in MEASURES:
        rows.append(["Whole range", "All", label, figures.total.get(measure)])
    for dimension, title in SPLITS:
        for row in figures.splits[dimension]:
            for measure, label in MEASURES:
                rows.append([f"By {title.lower()}", row.label, label, row.counts.get(measure)])
    for rate in [*figures.pass_rates, figures.overall_pass_rate]:
        rows.append(["Pass rates", rate.label, "Released attempts", rate.attempts])
        rows.append(["Pass rates", rate.label, "Passed", rate.passed])
        rows.append(["Pass rates", rate.label, "Pass rate (%)", rate.rate])
    for report in figures.pipeline:
        for key, label in programme_reports.PIPELINE:
            name = report.programme.name
            rows.append(["Accreditation pipeline", name, label, report.pipeline[key]])
    rows.append(["Expectation coverage", "All", "Learners", figures.learners_with_learning])
    for row in figures.coverage:
        group = f"{row.framework} {row.code}"
        rows.append(["Expectation coverage", group, "Learners who completed it", row.learners])
        rows.append(["Expectation coverage", group, "Share of learners (%)", row.share])
    rows.append(["Organisations", "All", "Organisations", figures.organisations["organisations"]])
    rows.append(
        ["Organisations", "All", "Current memberships", figures.organisations["memberships"]]
    )
    return rows
