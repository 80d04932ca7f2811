"""An organisation's compliance figures: who is trained to the Complaint Standards and up to
date, per role tier; which expectations its staff's learning covers; and the share trained at
the end of each month.

The definitions (docs/organisations.md, "Compliance and exports"):

- A current member (`Membership.left_at` empty) is **trained to the Standards** when they hold
  a current certificate (active, not superseded, not expired) or have met an assignment of the
  organisation whose current cycle is met (a cycle met, and no later open cycle overdue).
- **Up to date**: no open personal assignment overdue (open: neither met nor ended; overdue:
  due before today). An assignment the organisation withdrew counts for neither.

Everything is read in a fixed number of queries (about eight, whatever the number of staff,
certificates or months) and worked out in Python, so the page and the exports cost the same
for 5 people as for 5,000.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import Page

from academy.models import Membership, Organisation, RoleTier
from certificates.models import Award, Certificate
from complaint_standards.models import Expectation, Framework
from courses.models import CoursePage, Enrolment, LessonPage

from ..models import PersonalAssignment

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


# Whether a certificate or an assignment counts at a moment -----------------------------------


def certificate_valid_at(certificate: dict, at: datetime) -> bool:
    """Issued by `at`, not expired, revoked, suspended or superseded by then."""
    return (
        certificate["issued_at"] <= at
        and (certificate["valid_until"] is None or at < certificate["valid_until"])
        and (
            certificate["status"] == Certificate.Status.ACTIVE
            or certificate["status_changed_at"] > at
        )
        and (certificate["superseded_at"] is None or certificate["superseded_at"] > at)
    )


def _open_at(cycle: dict, at: datetime) -> bool:
    return (
        cycle["created_at"] <= at
        and (cycle["met_at"] is None or cycle["met_at"] > at)
        and (cycle["ended_at"] is None or cycle["ended_at"] > at)
    )


def assignment_met_at(cycles: list[dict], at: datetime) -> bool:
    """Whether one person's cycles of one assignment show it met at `at`: a cycle met by then,
    and no later cycle open and overdue then."""
    withdrawn_at = cycles[0]["withdrawn_at"]  # the same for every cycle of one assignment
    if withdrawn_at is not None and withdrawn_at <= at:
        return False
    met = [
        c["cycle"]
        for c in cycles
        if c["met_at"] is not None
        and c["met_at"] <= at
        and (c["ended_at"] is None or c["ended_at"] > at)
    ]
    if not met:
        return False
    return not any(
        c["cycle"] > max(met) and _open_at(c, at) and c["due_on"] < timezone.localdate(at)
        for c in cycles
    )


def overdue_now(cycles: list[dict], *, now: datetime, today: date) -> int:
    """How many of these cycles are open and overdue now (withdrawn assignments left out)."""
    return sum(
        1 for c in cycles if c["withdrawn_at"] is None and _open_at(c, now) and c["due_on"] < today
    )


# The report ------------------------------------------------------------------------------------


def compliance(*, organisation: Organisation, filters: Filters, now=None) -> Compliance:
    """The organisation's compliance figures under `filters`, at `now` (default: now)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    months = _months(filters.first_month, filters.last_month)
    first_at = month_end(months[0], now=now)

    memberships = Membership.objects.filter(organisation=organisation, joined_at__lte=now).filter(
        Q(left_at__isnull=True) | Q(left_at__gt=first_at)
    )
    if filters.tier:
        memberships = memberships.filter(role_tier=filters.tier)
    if filters.team:
        memberships = memberships.filter(team=filters.team)
    # The people read below are named by this subquery, not by a list of ids, so the database
    # gets one statement of the same size however many staff there are.
    member_ids = memberships.values("user_id")
    rows = list(
        memberships.order_by("user__full_name", "user__email", "pk").values(
            "user_id", "user__full_name", "user__email", "role_tier", "team", "joined_at", "left_at"
        )
    )
    certificates = defaultdict(list)
    for certificate in (
        Certificate.objects.filter(learner_id__in=member_ids)
        .filter(Q(superseded_at__isnull=True) | Q(superseded_at__gt=first_at))
        .values(
            "learner_id",
            "award_id",
            "issued_at",
            "valid_until",
            "status",
            "status_changed_at",
            "superseded_at",
        )
    ):
        certificates[certificate["learner_id"]].append(certificate)
    cycles = defaultdict(lambda: defaultdict(list))
    for cycle in (
        PersonalAssignment.objects.filter(
            assignment__organisation=organisation, user_id__in=member_ids
        )
        .order_by("cycle")
        .values(
            "user_id",
            "assignment_id",
            "cycle",
            "due_on",
            "created_at",
            "met_at",
            "ended_at",
            withdrawn_at=F("assignment__withdrawn_at"),
        )
    ):
        cycles[cycle["user_id"]][cycle["assignment_id"]].append(cycle)

    def trained_at(user_id: int, at: datetime) -> bool:
        return any(certificate_valid_at(c, at) for c in certificates[user_id]) or any(
            assignment_met_at(each, at) for each in cycles[user_id].values()
        )

    people = []
    for row in rows:
        if row["left_at"] is not None:
            continue
        person = Person(
            user_id=row["user_id"],
            name=row["user__full_name"],
            email=row["user__email"],
            tier=row["role_tier"],
            team=row["team"],
            trained=trained_at(row["user_id"], now),
            overdue=sum(
                overdue_now(each, now=now, today=today) for each in cycles[row["user_id"]].values()
            ),
        )
        person.up_to_date = person.overdue == 0
        held = [c for c in certificates[row["user_id"]] if certificate_valid_at(c, now)]
        person.never_expires = any(c["valid_until"] is None for c in held)
        if not person.never_expires:
            person.certificate_expiry = max((c["valid_until"] for c in held), default=None)
        people.append(person)

    tiers = {tier: TierRow(label) for tier, label in RoleTier.choices}
    total = TierRow("All staff in the organisation")
    for person in people:
        tiers[person.tier].add(person)
        total.add(person)

    trend = []
    for month in months:
        at = month_end(month, now=now)
        present = {
            row["user_id"]
            for row in rows
            if row["joined_at"] <= at and (row["left_at"] is None or at < row["left_at"])
        }
        trend.append(
            TrendPoint(
                month=month,
                at=at,
                staff=len(present),
                trained=sum(1 for user_id in present if trained_at(user_id, at)),
            )
        )

    return Compliance(
        organisation=organisation,
        filters=filters,
        produced_at=now,
        people=people,
        tiers=[*tiers.values(), total],
        principles=_coverage(
            framework=filters.framework,
            people=people,
            people_ids=memberships.filter(left_at__isnull=True).values("user_id"),
            certificates=certificates,
            now=now,
        ),
        trend=trend,
    )


def _months(first: date, last: date) -> list[date]:
    months = [month_start(first)]
    while months[-1] < month_start(last):
        months.append(add_months(months[-1], 1))
    return months


def _coverage(
    *, framework, people: list[Person], people_ids, certificates, now
) -> list[PrincipleRow]:
    """For each principle of the framework and each of its expectations, how many of `people`
    completed learning tagged with it: the courses they completed (the course's own tags and its
    lessons'), and the awards of the certificates they hold now."""
    if framework is None:
        return []
    expectations = list(
        Expectation.objects.filter(principle__framework=framework)
        .select_related("principle")
        .order_by("principle__number", "number")
    )
    user_ids = {person.user_id for person in people}
    covered = defaultdict(set)  # expectation id -> user ids

    in_framework = Q(expectation__principle__framework=framework)
    by_course = defaultdict(set)
    for tag in CoursePage.expectations.through.objects.filter(in_framework).values(
        "coursepage_id", "expectation_id"
    ):
        by_course[tag["coursepage_id"]].add(tag["expectation_id"])
    by_course_path = defaultdict(set)
    for tag in LessonPage.expectations.through.objects.filter(in_framework).values(
        "lessonpage__path", "expectation_id"
    ):
        # A lesson is a child of its course: the course's path is the lesson's less one step.
        by_course_path[tag["lessonpage__path"][: -Page.steplen]].add(tag["expectation_id"])
    by_award = defaultdict(set)
    for tag in Award.expectations.through.objects.filter(in_framework).values(
        "award_id", "expectation_id"
    ):
        by_award[tag["award_id"]].add(tag["expectation_id"])

    if by_course or by_course_path:
        for enrolment in Enrolment.objects.filter(
            user_id__in=people_ids, completed_at__isnull=False
        ).values("user_id", "course_id", "course__path"):
            tags = by_course[enrolment["course_id"]] | by_course_path[enrolment["course__path"]]
            for expectation_id in tags:
                covered[expectation_id].add(enrolment["user_id"])
    for user_id in user_ids:
        for certificate in certificates[user_id]:
            if certificate_valid_at(certificate, now):
                for expectation_id in by_award[certificate["award_id"]]:
                    covered[expectation_id].add(user_id)

    staff = len(user_ids)
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
