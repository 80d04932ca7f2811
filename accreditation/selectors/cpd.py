"""The CPD log: a person's entries, and their hours by year against what their accreditation
asks."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from complaint_standards.models import Expectation, Framework, Principle

from ..models import Candidacy, CPDEntry

# The CPD log ------------------------------------------------------------------------------------

# Without an accreditation, CPD years are the UK public sector's financial year, from 1 April.
FINANCIAL_YEAR_START_MONTH = 4


@dataclass(frozen=True)
class CPDYear:
    """One year of someone's CPD log, with the hours logged in it and, in a year of an
    accreditation, the hours its programme asks for."""

    key: str  # in the log's address: "2025-26", "year-2", or "before" the accreditation
    label: str
    starts: date
    ends: date
    hours: Decimal
    entries: int
    required: Decimal | None
    is_current: bool

    @property
    def hours_to_go(self) -> Decimal:
        return max(Decimal(0), (self.required or 0) - self.hours)

    @property
    def met(self) -> bool:
        return self.required is not None and self.hours >= self.required


@dataclass(frozen=True)
class CPDOverview:
    """Someone's CPD log in years, newest first: the years of their accreditation when they hold
    one (counted from the day it was awarded), financial years otherwise."""

    years: list[CPDYear]
    programme: str  # the accreditation the years follow, or ""
    awarded_on: date | None
    required: Decimal | None

    @property
    def current(self) -> CPDYear:
        return self.years[0]

    @property
    def total_hours(self) -> Decimal:
        return sum((year.hours for year in self.years), Decimal(0))

    @property
    def total_entries(self) -> int:
        return sum(year.entries for year in self.years)

    def year(self, key: str) -> CPDYear | None:
        return next((year for year in self.years if year.key == key), None)


def anniversary(day, years: int):
    """The same day (or moment) `years` later; 29 February falls on 28 February in other
    years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _financial_year_start(day: date) -> date:
    year = day.year if day.month >= FINANCIAL_YEAR_START_MONTH else day.year - 1
    return date(year, FINANCIAL_YEAR_START_MONTH, 1)


def _year_spans(*, first: date, today: date, awarded_on: date | None):
    """(key, label, starts, ends, is a year of the accreditation) for each year from the one
    holding `first` to the one holding today, newest first."""
    spans = []
    if awarded_on is None:
        start = _financial_year_start(today)
        while True:
            ends = date(start.year + 1, start.month, 1) - timedelta(days=1)
            key = f"{start.year}-{str(start.year + 1)[-2:]}"
            spans.append((key, f"{start.year} to {start.year + 1}", start, ends, False))
            if start <= first:
                return spans
            start = date(start.year - 1, start.month, 1)
    number = 1
    while anniversary(awarded_on, number) <= today:
        number += 1
    for n in range(number, 0, -1):
        starts = anniversary(awarded_on, n - 1)
        ends = anniversary(awarded_on, n) - timedelta(days=1)
        spans.append((f"year-{n}", f"Year {n} of your accreditation", starts, ends, True))
    if first < awarded_on:
        before = awarded_on - timedelta(days=1)
        spans.append(("before", "Before your accreditation", first, before, False))
    return spans


def cpd_overview(*, user, today: date | None = None) -> CPDOverview:
    """The learner's CPD hours and entries in each year, in one query whatever the entries: the
    hours of each day they logged, and their awarded accreditations (the latest one sets the
    years and the hours they need)."""
    today = today or timezone.localdate()
    by_day = (
        CPDEntry.objects.filter(learner=user)
        .order_by()
        .values("activity_date")
        .annotate(total=Sum("hours"), count=Count("pk"), programme=Value(""))
        .values_list("activity_date", "total", "count", "programme")
    )
    awards = (
        Candidacy.objects.filter(
            candidate=user, status=Candidacy.Status.AWARDED, awarded_at__isnull=False
        )
        .order_by()
        .annotate(
            day=TruncDate("awarded_at"),
            total=F("version__cpd_hours_per_year"),
            count=Value(-1),
            name=F("programme__name"),
        )
        .values_list("day", "total", "count", "name")
    )
    days: dict[date, tuple[Decimal, int]] = {}
    latest = None
    for day, total, count, programme in by_day.union(awards, all=True):
        if programme:
            if latest is None or day > latest[0]:
                latest = (day, total, programme)
        else:
            days[day] = (total, count)
    awarded_on, required, programme = latest if latest else (None, None, "")
    years = []
    first = min([today, *days])
    for key, label, starts, ends, counts in _year_spans(
        first=first, today=today, awarded_on=awarded_on
    ):
        inside = [value for day, value in days.items() if starts <= day <= ends]
        years.append(
            CPDYear(
                key=key,
                label=label,
                starts=starts,
                ends=ends,
                hours=sum((hours for hours, _ in inside), Decimal(0)),
                entries=sum(count for _, count in inside),
                required=required if counts else None,
                is_current=starts <= today <= ends,
            )
        )
    return CPDOverview(years=years, programme=programme, awarded_on=awarded_on, required=required)


def cpd_entries(*, user, year: CPDYear | None = None):
    """The learner's CPD entries, newest first, in the year or all of them, with their
    expectations (two queries)."""
    entries = CPDEntry.objects.filter(learner=user).prefetch_related(
        Prefetch(
            "expectations",
            queryset=Expectation.objects.select_related("principle__framework"),
        )
    )
    if year is not None:
        entries = entries.filter(activity_date__range=(year.starts, year.ends))
    return entries


def own_reflective_entries(*, user):
    """The entries the learner may change or delete: their own reflective ones."""
    return CPDEntry.objects.filter(learner=user, kind=CPDEntry.Kind.REFLECTIVE)


def expectation_groups() -> list[tuple[Framework, list[tuple[Principle, list[Expectation]]]]]:
    """Every framework's expectations under their principles, for choosing some, in one
    query."""
    groups: list = []
    expectations = Expectation.objects.select_related("principle__framework").order_by(
        "principle__framework__name", "principle__framework__version", "principle__number", "number"
    )
    for expectation in expectations:
        principle = expectation.principle
        if not groups or groups[-1][0].pk != principle.framework_id:
            groups.append((principle.framework, []))
        principles = groups[-1][1]
        if not principles or principles[-1][0].pk != principle.pk:
            principles.append((principle, []))
        principles[-1][1].append(expectation)
    return groups
