"""An organisation's compliance figures: who is trained to the Complaint Standards and up to
date, per role tier; which expectations its staff's learning covers; and the share trained at
the end of each month.

The definitions (docs/organisations.md, "Compliance and exports"):

- A current member (`Membership.left_at` empty) is **trained to the Standards** when they hold
  a current certificate (active, not superseded, not expired) or have met an assignment of the
  organisation whose current cycle is met (a cycle met, and no later open cycle overdue):
  organisations.training, kept as spans of each membership (models.TrainedSpan).
- **Up to date**: no open personal assignment overdue (open: neither met nor ended; overdue:
  due before today). An assignment the organisation withdrew counts for neither.

The database counts the figures (the spans, the overdue cycles) in a fixed number of queries
whatever the number of staff, certificates or months; only the coverage reads rows, one per
completed tagged course or held tagged certificate, as pairs of ids.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page

from academy.models import Membership, Organisation, RoleTier
from certificates.models import Award, Certificate
from complaint_standards.models import Expectation, Framework
from courses.models import CoursePage, Enrolment, LessonPage

from ..models import PersonalAssignment, TrainedSpan

# Organisations of these kinds answer to the government's Complaint Standards; every other kind
# (the NHS kinds, and the PHSO, whose own staff start on the NHS ones) to the NHS's.
GOVERNMENT_KINDS = {Organisation.Kind.GOVERNMENT_DEPARTMENT, Organisation.Kind.OTHER_PUBLIC_BODY}
TREND_MONTHS = 12


def share(part: int, whole: int) -> int | None:
    """`part` as a whole percentage of `whole`, halves rounded up; None when there is no whole."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date, *, now: datetime) -> datetime:
    """The moment a month's trend figure is taken: midnight (UK time) as the month ends, or now
    for the month still running."""
    ends = timezone.make_aware(datetime.combine(add_months(month, 1), time.min))
    return min(ends, now)


def framework_for(*, organisation: Organisation, frameworks: list[Framework]) -> Framework | None:
    """The framework an organisation answers to, by its kind: the newest version of its sector's
    (by version, then the most recently added); any framework when its sector has none."""
    sector = (
        Framework.Sector.GOVERNMENT
        if organisation.kind in GOVERNMENT_KINDS
        else Framework.Sector.NHS
    )
    ranked = sorted(frameworks, key=lambda each: (each.sector == sector, each.version, each.pk))
    return ranked[-1] if ranked else None


@dataclass(frozen=True)
class Filters:
    """What the manager narrowed the figures to. Tier and team narrow the people; the framework
    chooses the expectations; the months choose the trend's range."""

    first_month: date
    last_month: date
    framework: Framework | None = None
    tier: str = ""
    team: str = ""

    def described(self) -> list[tuple[str, str]]:
        """The filters in words, as the page and every export print them."""
        return [
            ("Role tier", RoleTier(self.tier).label if self.tier else "All role tiers"),
            ("Team", self.team or "All teams"),
            ("Framework", str(self.framework) if self.framework else "None published"),
            (
                "Trend",
                f"{self.first_month:%B %Y} to {self.last_month:%B %Y}"
                if self.first_month != self.last_month
                else f"{self.first_month:%B %Y}",
            ),
        ]


@dataclass
class Person:
    """A current member, with their figures."""

    user_id: int
    name: str
    email: str
    tier: str
    team: str
    trained: bool = False
    up_to_date: bool = True
    overdue: int = 0
    never_expires: bool = False
    certificate_expiry: datetime | None = None

    @property
    def tier_label(self) -> str:
        return RoleTier(self.tier).label

    @property
    def expiry_text(self) -> str:
        """When their certificates stop keeping them trained, in words for a report."""
        if self.never_expires:
            return "Does not expire"
        if self.certificate_expiry is None:
            return "No current certificate"
        return f"{timezone.localtime(self.certificate_expiry):%-d %B %Y}"


@dataclass
class TierRow:
    label: str
    staff: int = 0
    trained: int = 0
    up_to_date: int = 0
    overdue: int = 0

    @property
    def trained_share(self) -> int | None:
        return share(self.trained, self.staff)

    @property
    def up_to_date_share(self) -> int | None:
        return share(self.up_to_date, self.staff)

    def add(self, person: Person):
        self.staff += 1
        self.trained += person.trained
        self.up_to_date += person.up_to_date
        self.overdue += person.overdue


@dataclass
class ExpectationRow:
    code: str
    text: str
    principle: str
    staff: int
    covered: int

    @property
    def share(self) -> int | None:
        return share(self.covered, self.staff)


@dataclass
class PrincipleRow:
    number: int
    title: str
    staff: int
    covered: int
    expectations: list[ExpectationRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def share(self) -> int | None:
        return share(self.covered, self.staff)


@dataclass
class TrendPoint:
    month: date
    at: datetime
    staff: int
    trained: int

    @property
    def share(self) -> int | None:
        return share(self.trained, self.staff)


@dataclass
class Compliance:
    organisation: Organisation
    filters: Filters
    produced_at: datetime
    people: list[Person]
    tiers: list[TierRow]  # one per role tier, then the total
    principles: list[PrincipleRow]
    trend: list[TrendPoint]

    @property
    def total(self) -> TierRow:
        return self.tiers[-1]

    @property
    def gaps(self) -> list[ExpectationRow]:
        """Expectations no current member's learning covers, in framework order."""
        return [row for p in self.principles for row in p.expectations if row.covered == 0]


# The report ------------------------------------------------------------------------------------


def _valid_at(at: datetime) -> Q:
    """Certificates valid at `at` (training.certificate_valid_at, in SQL)."""
    return (
        Q(issued_at__lte=at)
        & (Q(valid_until__isnull=True) | Q(valid_until__gt=at))
        & (Q(status=Certificate.Status.ACTIVE) | Q(status_changed_at__gt=at))
        & (Q(superseded_at__isnull=True) | Q(superseded_at__gt=at))
    )


def _spans_at(at: datetime, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_at__lte": at}) & (
        Q(**{f"{prefix}ends_at__isnull": True}) | Q(**{f"{prefix}ends_at__gt": at})
    )


def _trained(at: datetime) -> Exists:
    """The membership (OuterRef) has a trained span at `at`."""
    return Exists(TrainedSpan.objects.filter(_spans_at(at), membership=OuterRef("pk")))


def _overdue(*, organisation: Organisation, now: datetime, today: date) -> Coalesce:
    """How many of the membership's (OuterRef) cycles of the organisation's assignments are open
    and overdue now, leaving out withdrawn assignments (training.open_at)."""
    cycles = (
        PersonalAssignment.objects.filter(
            assignment__organisation=organisation,
            assignment__withdrawn_at__isnull=True,
            user_id=OuterRef("user_id"),
            created_at__lte=now,
            due_on__lt=today,
        )
        .filter(Q(met_at__isnull=True) | Q(met_at__gt=now))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .order_by()
        .values("user_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(cycles), 0)


def compliance(
    *, organisation: Organisation, filters: Filters, now=None, with_people: bool = False
) -> Compliance:
    """The organisation's compliance figures under `filters`, at `now` (default: now), in a
    fixed number of queries: the figures are counted by the database from the trained spans
    (models.TrainedSpan). `with_people`: also each current member's line, for the exports."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = _months(filters.first_month, filters.last_month)
    moments = [month_end(month, now=now) for month in months]

    memberships = Membership.objects.filter(organisation=organisation, joined_at__lte=now).filter(
        Q(left_at__isnull=True) | Q(left_at__gt=moments[0])
    )
    if filters.tier:
        memberships = memberships.filter(role_tier=filters.tier)
    if filters.team:
        memberships = memberships.filter(team=filters.team)
    current = memberships.filter(left_at__isnull=True)

    tiers = {tier: TierRow(label) for tier, label in RoleTier.choices}
    total = TierRow("All staff in the organisation")
    for row in (
        current.annotate(
            trained=_trained(now), overdue=_overdue(organisation=organisation, now=now, today=today)
        )
        .order_by()
        .values("role_tier")
        .annotate(
            staff=Count("pk"),
            trained_staff=Count("pk", filter=Q(trained=True)),
            up_to_date=Count("pk", filter=Q(overdue=0)),
            overdue_items=Sum("overdue"),
        )
    ):
        for tier in (tiers[row["role_tier"]], total):
            tier.staff += row["staff"]
            tier.trained += row["trained_staff"]
            tier.up_to_date += row["up_to_date"]
            tier.overdue += row["overdue_items"] or 0

    present = memberships.aggregate(
        **{
            f"m{i}": Count("pk", filter=Q(joined_at__lte=at) & ~Q(left_at__lte=at))
            for i, at in enumerate(moments)
        }
    )
    # Spans lie within their membership, so a span at a moment means a member then.
    trained = TrainedSpan.objects.filter(membership__in=memberships).aggregate(
        **{f"m{i}": Count("pk", filter=_spans_at(at)) for i, at in enumerate(moments)}
    )
    trend = [
        TrendPoint(month=month, at=at, staff=present[f"m{i}"], trained=trained[f"m{i}"])
        for i, (month, at) in enumerate(zip(months, moments, strict=True))
    ]

    return Compliance(
        organisation=organisation,
        filters=filters,
        produced_at=now,
        people=_people(current, organisation=organisation, now=now, today=today)
        if with_people
        else [],
        tiers=[*tiers.values(), total],
        principles=_coverage(
            framework=filters.framework,
            staff=total.staff,
            people_ids=current.values("user_id"),
            now=now,
        ),
        trend=trend,
    )


def _people(current, *, organisation, now, today) -> list[Person]:
    """Each current member's line, in one query."""
    held = Certificate.objects.filter(_valid_at(now), learner_id=OuterRef("user_id"))
    return [
        Person(
            user_id=row["user_id"],
            name=row["user__full_name"],
            email=row["user__email"],
            tier=row["role_tier"],
            team=row["team"],
            trained=row["trained"],
            up_to_date=row["overdue"] == 0,
            overdue=row["overdue"],
            never_expires=row["never_expires"],
            certificate_expiry=None if row["never_expires"] else row["certificate_expiry"],
        )
        for row in current.annotate(
            trained=_trained(now),
            overdue=_overdue(organisation=organisation, now=now, today=today),
            never_expires=Exists(held.filter(valid_until__isnull=True)),
            certificate_expiry=Subquery(held.order_by("-valid_until").values("valid_until")[:1]),
        )
        .order_by("user__full_name", "user__email", "pk")
        .values(
            "user_id",
            "user__full_name",
            "user__email",
            "role_tier",
            "team",
            "trained",
            "overdue",
            "never_expires",
            "certificate_expiry",
        )
    ]


def _months(first: date, last: date) -> list[date]:
    months = [month_start(first)]
    while months[-1] < month_start(last):
        months.append(add_months(months[-1], 1))
    return months


def _coverage(*, framework, staff: int, people_ids, now) -> list[PrincipleRow]:
    """For each principle of the framework and each of its expectations, how many of the
    `staff` current members (`people_ids`) completed learning tagged with it: the courses they
    completed (the course's own tags and its lessons'), and the awards of the certificates they
    hold now. Only the learning that carries a tag is read."""
    if framework is None:
        return []
    expectations = list(
        Expectation.objects.filter(principle__framework=framework)
        .select_related("principle")
        .order_by("principle__number", "number")
    )
    in_framework = Q(expectation__principle__framework=framework)
    by_course = defaultdict(set)
    for course_id, expectation_id in CoursePage.expectations.through.objects.filter(
        in_framework
    ).values_list("coursepage_id", "expectation_id"):
        by_course[course_id].add(expectation_id)
    by_course_path = defaultdict(set)
    for path, expectation_id in LessonPage.expectations.through.objects.filter(
        in_framework
    ).values_list("lessonpage__path", "expectation_id"):
        # A lesson is a child of its course: the course's path is the lesson's less one step.
        by_course_path[path[: -Page.steplen]].add(expectation_id)
    if by_course_path:
        for course_id, path in CoursePage.objects.filter(path__in=list(by_course_path)).values_list(
            "pk", "path"
        ):
            by_course[course_id] |= by_course_path[path]
    by_award = defaultdict(set)
    for award_id, expectation_id in Award.expectations.through.objects.filter(
        in_framework
    ).values_list("award_id", "expectation_id"):
        by_award[award_id].add(expectation_id)

    covered = defaultdict(set)  # expectation id -> user ids
    if by_course:
        for user_id, course_id in Enrolment.objects.filter(
            user_id__in=people_ids, course_id__in=list(by_course), completed_at__isnull=False
        ).values_list("user_id", "course_id"):
            for expectation_id in by_course[course_id]:
                covered[expectation_id].add(user_id)
    if by_award:
        for user_id, award_id in Certificate.objects.filter(
            _valid_at(now), learner_id__in=people_ids, award_id__in=list(by_award)
        ).values_list("learner_id", "award_id"):
            for expectation_id in by_award[award_id]:
                covered[expectation_id].add(user_id)

    principles: dict[int, PrincipleRow] = {}
    principle_people = defaultdict(set)
    for expectation in expectations:
        principle = expectation.principle
        row = principles.setdefault(
            principle.pk, PrincipleRow(principle.number, principle.title, staff, 0)
        )
        row.expectations.append(
            ExpectationRow(
                code=expectation.code,
                text=expectation.text,
                principle=row.label,
                staff=staff,
                covered=len(covered[expectation.pk]),
            )
        )
        principle_people[principle.pk] |= covered[expectation.pk]
    for pk, row in principles.items():
        row.covered = len(principle_people[pk])
    return list(principles.values())


# What the filters offer ------------------------------------------------------------------------


def frameworks() -> list[Framework]:
    """Every framework, by name and version."""
    return list(Framework.objects.order_by("name", "version"))
