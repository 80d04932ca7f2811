"""What an organisation's managers read about their people: the home's figures and staff list,
and one person's record.

Only current memberships count (`left_at` empty): from the moment someone's leaving is recorded
they are gone from every list, figure and record here, while their learning stays theirs. What a
person learned anywhere, before joining too, shows: it is theirs and it goes with them.

Assignment states follow organisations.models.PersonalAssignment: open is neither met nor ended,
overdue is open past its due date. A refresher's next cycle that is open but not yet due counts
as met (the person met the cycle before), so a manager is not told to chase someone up to date.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextChoices
from django.utils import timezone

from academy.models import Membership, Organisation, RoleTier
from accreditation import selectors as accreditation_selectors
from assessments import selectors as assessment_selectors
from certificates import selectors as certificate_selectors
from courses import selectors as course_selectors

from ..models import Assignment, PersonalAssignment
from .assignments import MET, OVERDUE

STAFF_PER_PAGE = 50


class StaffStatus(TextChoices):
    """How a person stands on what the organisation assigned them: the staff list's filter."""

    OVERDUE = "overdue", "Something overdue"
    TO_DO = "to_do", "Something to do, nothing overdue"
    ALL_MET = "all_met", "Everything assigned met"
    NOTHING = "nothing", "Nothing assigned"


# One person's progress on one assignment, as the lists show it.
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
ENDED = "ended"
STATE_WORDS = {
    MET: "Met",
    OVERDUE: "Overdue",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not started",
    ENDED: "No longer applies",
}


@dataclass(frozen=True)
class Figures:
    """The home's headline figures, over current memberships only."""

    staff: int
    by_tier: list[tuple[str, int]]  # (tier's name, people), every tier in order
    overdue: int  # open assignments past their due date
    certificates: int  # valid certificates the staff hold


@dataclass(frozen=True)
class Progress:
    """One person's part in one assignment: the cycle shown and where they stand on it."""

    personal: PersonalAssignment
    state: str
    met_at: object = None  # when they met it (for a refresher not yet due again: the last cycle)

    @property
    def title(self) -> str:
        return item_title(self.personal.assignment)

    @property
    def kind(self) -> str:
        return self.personal.assignment.get_kind_display()

    @property
    def due_on(self) -> date:
        return self.personal.due_on

    @property
    def state_words(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def due_again(self) -> bool:
        """A refresher met last time and due again on `due_on`."""
        return self.state == MET and self.personal.met_at is None


@dataclass(frozen=True)
class StaffRow:
    membership: Membership
    assignments: list[Progress]
    last_completed: object  # when they last completed a course, or None
    certificates: list

    @property
    def person(self):
        return self.membership.user


@dataclass(frozen=True)
class AttemptResult:
    """An assessment attempt as a manager sees it: its outcome, never the answers."""

    assessment: str
    number: int
    state: str  # in_progress, marking, passed, not_passed
    on: object  # handed in (or started, when in progress)


@dataclass(frozen=True)
class PersonRecord:
    membership: Membership
    assignments: list[Progress]  # every cycle, ended ones too
    enrolments: list
    results: list[AttemptResult]
    certificates: list  # current and earlier ones (renewed, expired, revoked), newest first
    candidacies: list
    cpd_hours: Decimal
    webinars: list  # course_selectors.WebinarHistoryRow, latest session first

    @property
    def person(self):
        return self.membership.user


def item_title(assignment: Assignment) -> str:
    item = assignment.item
    return item.name if assignment.kind == Assignment.Kind.PROGRAMME else item.title


def _current_members(organisation: Organisation):
    return Membership.objects.current().filter(organisation=organisation)


def _personal_assignments(organisation: Organisation) -> QuerySet:
    return PersonalAssignment.objects.filter(assignment__organisation=organisation)


def figures(*, organisation: Organisation, today: date | None = None) -> Figures:
    """The home's headline figures, in three queries whatever the staff."""
    today = today or timezone.localdate()
    members = _current_members(organisation)
    counts = dict(
        members.order_by().values("role_tier").annotate(n=Count("pk")).values_list("role_tier", "n")
    )
    overdue = (
        _personal_assignments(organisation)
        .filter(met_at__isnull=True, ended_at__isnull=True, due_on__lt=today)
        .filter(user__in=members.values("user_id"))
        .count()
    )
    certificates = certificate_selectors.current_for_learners(
        learners=members.values("user_id")
    ).count()
    return Figures(
        staff=sum(counts.values()),
        by_tier=[(tier.label, counts.get(tier.value, 0)) for tier in RoleTier],
        overdue=overdue,
        certificates=certificates,
    )


def teams(*, organisation: Organisation) -> list[str]:
    """The teams the organisation's current staff are in, by name, in one query."""
    return list(
        _current_members(organisation)
        .exclude(team="")
        .order_by("team")
        .values_list("team", flat=True)
        .distinct()
    )


def staff(
    *,
    organisation: Organisation,
    tier: str = "",
    team: str = "",
    status: str = "",
    search: str = "",
    today: date | None = None,
) -> QuerySet:
    """The organisation's current memberships with their people, by name, narrowed by tier,
    team, how they stand on their assignments (StaffStatus) and words in their name or e-mail
    address. The status filter is worked out in the database, so paging stays cheap."""
    today = today or timezone.localdate()
    memberships = _current_members(organisation).select_related("user")
    if tier:
        memberships = memberships.filter(role_tier=tier)
    if team:
        memberships = memberships.filter(team=team)
    if search:
        memberships = memberships.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    if status:
        memberships = memberships.filter(_status_condition(organisation, status, today))
    return memberships.order_by("user__full_name", "user__email", "pk")


def _status_condition(organisation: Organisation, status: str, today: date) -> Q:
    applying = _personal_assignments(organisation).filter(
        user=OuterRef("user"), ended_at__isnull=True
    )
    open_ = applying.filter(met_at__isnull=True)
    overdue = Exists(open_.filter(due_on__lt=today))
    # Open and never met: a refresher's next cycle, with the cycle before it met, is not.
    met_before = PersonalAssignment.objects.filter(
        assignment=OuterRef("assignment"),
        user=OuterRef("user"),
        cycle=OuterRef("cycle") - 1,
        met_at__isnull=False,
    )
    outstanding = Exists(open_.exclude(Exists(met_before)))
    anything = Exists(applying)
    return {
        StaffStatus.OVERDUE: Q(overdue),
        StaffStatus.TO_DO: Q(outstanding) & ~Q(overdue),
        StaffStatus.ALL_MET: Q(anything) & ~Q(outstanding) & ~Q(overdue),
        StaffStatus.NOTHING: ~Q(anything),
    }[status]


def _with_items(personal: QuerySet) -> QuerySet:
    return personal.select_related(
        "assignment__course", "assignment__webinar", "assignment__programme"
    )


def _started(personal: list[PersonalAssignment]) -> set[tuple[str, int, int]]:
    """(kind, person id, item id) for each item among these assignments that its person has
    started: enrolled on the course, registered for a session of the webinar, or working
    towards the programme. Three queries at most."""
    wanted: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for each in personal:
        if each.met_at is None and each.ended_at is None:
            people, items = wanted[each.assignment.kind]
            people.add(each.user_id)
            items.add(_item_id(each.assignment))
    started = set()
    if Assignment.Kind.COURSE in wanted:
        people, items = wanted[Assignment.Kind.COURSE]
        pairs = course_selectors.started_courses(user_ids=people, course_ids=items)
        started |= {(Assignment.Kind.COURSE, *pair) for pair in pairs}
    if Assignment.Kind.WEBINAR in wanted:
        people, items = wanted[Assignment.Kind.WEBINAR]
        pairs = course_selectors.registered_webinars(user_ids=people, webinar_ids=items)
        started |= {(Assignment.Kind.WEBINAR, *pair) for pair in pairs}
    if Assignment.Kind.PROGRAMME in wanted:
        people, items = wanted[Assignment.Kind.PROGRAMME]
        pairs = accreditation_selectors.started_programmes(person_ids=people, programme_ids=items)
        started |= {(Assignment.Kind.PROGRAMME, *pair) for pair in pairs}
    return started


def _item_id(assignment: Assignment) -> int:
    return {
        Assignment.Kind.COURSE: assignment.course_id,
        Assignment.Kind.WEBINAR: assignment.webinar_id,
        Assignment.Kind.PROGRAMME: assignment.programme_id,
    }[assignment.kind]


def _progress(personal: PersonalAssignment, *, earlier_met, started: set, today: date) -> Progress:
    """Where the person stands on this cycle. `earlier_met`: when they met the cycle before,
    if they did."""
    if personal.ended_at is not None:
        return Progress(personal, ENDED, personal.met_at)
    if personal.met_at is not None:
        return Progress(personal, MET, personal.met_at)
    if personal.due_on < today:
        return Progress(personal, OVERDUE)
    if earlier_met is not None:
        return Progress(personal, MET, earlier_met)
    key = (personal.assignment.kind, personal.user_id, _item_id(personal.assignment))
    return Progress(personal, IN_PROGRESS if key in started else NOT_STARTED)


def _met_by_cycle(personal: list[PersonalAssignment]) -> dict:
    return {(p.assignment_id, p.user_id, p.cycle): p.met_at for p in personal if p.met_at}


def staff_rows(
    *, organisation: Organisation, memberships, today: date | None = None
) -> list[StaffRow]:
    """A page of the staff list: each person's assignments (the latest cycle of each, by due
    date), when they last completed a course and their valid certificates. Five queries at most
    whatever the page holds."""
    today = today or timezone.localdate()
    memberships = list(memberships)
    user_ids = [membership.user_id for membership in memberships]
    personal = list(
        _with_items(_personal_assignments(organisation))
        .filter(user_id__in=user_ids, ended_at__isnull=True)
        .order_by("user_id", "assignment_id", "cycle")
    )
    met = _met_by_cycle(personal)
    latest: dict[tuple[int, int], PersonalAssignment] = {}
    for each in personal:
        latest[(each.user_id, each.assignment_id)] = each
    started = _started(list(latest.values()))
    by_person: dict[int, list[Progress]] = defaultdict(list)
    for each in latest.values():
        earlier = met.get((each.assignment_id, each.user_id, each.cycle - 1))
        by_person[each.user_id].append(
            _progress(each, earlier_met=earlier, started=started, today=today)
        )
    completions = course_selectors.last_completions(user_ids=user_ids) if user_ids else {}
    certificates: dict[int, list] = defaultdict(list)
    if user_ids:
        for certificate in certificate_selectors.current_for_learners(learners=user_ids):
            certificates[certificate.learner_id].append(certificate)
    return [
        StaffRow(
            membership=membership,
            assignments=sorted(
                by_person[membership.user_id], key=lambda p: (p.due_on, p.title.lower())
            ),
            last_completed=completions.get(membership.user_id),
            certificates=certificates[membership.user_id],
        )
        for membership in memberships
    ]


def member(*, organisation: Organisation, user_id: int) -> Membership | None:
    """The person's current membership of the organisation with the person, or None: someone
    who left it, or never belonged, is not the organisation's to see."""
    return _current_members(organisation).filter(user_id=user_id).select_related("user").first()


def _result(record, attempt_record) -> AttemptResult:
    attempt = attempt_record.attempt
    if not attempt.is_submitted:
        state, on = "in_progress", attempt.started_at
    elif not attempt.is_released:
        state, on = "marking", attempt.submitted_at
    else:
        state, on = ("passed" if attempt.passed else "not_passed"), attempt.submitted_at
    return AttemptResult(
        assessment=record.assessment.title, number=attempt.number, state=state, on=on
    )


def person_record(*, membership: Membership, today: date | None = None) -> PersonRecord:
    """Everything about a current member's learning their organisation may see: its
    assignments of them with their history, their courses, assessment outcomes (never their
    answers), certificates, accreditation and CPD hours, wherever and whenever they learned.
    A fixed number of queries."""
    today = today or timezone.localdate()
    person = membership.user
    enrolments = list(course_selectors.enrolments_for_dashboard(user=person))
    candidacies = accreditation_selectors.my_candidacies(person=person)
    personal = list(
        _with_items(_personal_assignments(membership.organisation))
        .filter(user=person)
        .order_by("due_on", "assignment_id", "cycle")
    )
    webinars = course_selectors.webinar_history(user=person)
    # Started: from what this page loads anyway, so no further query.
    started = (
        {(Assignment.Kind.COURSE, person.pk, e.course_id) for e in enrolments}
        | {
            (Assignment.Kind.WEBINAR, person.pk, row.session.webinar_id)
            for row in webinars
            if row.registration is not None
            and row.registration.status != row.registration.Status.CANCELLED
            and not row.session.is_cancelled
        }
        | {
            (Assignment.Kind.PROGRAMME, person.pk, c.programme_id)
            for c in candidacies
            if c.status != c.Status.WITHDRAWN
        }
    )
    met = _met_by_cycle(personal)
    assignments = [
        _progress(
            each,
            earlier_met=met.get((each.assignment_id, each.user_id, each.cycle - 1)),
            started=started,
            today=today,
        )
        for each in personal
    ]
    results = [
        _result(record, attempt)
        for record in assessment_selectors.attempt_record(user=person)
        for attempt in record.attempts
    ]
    return PersonRecord(
        membership=membership,
        assignments=assignments,
        enrolments=enrolments,
        results=results,
        certificates=list(certificate_selectors.for_learner(user=person)),
        candidacies=candidacies,
        cpd_hours=accreditation_selectors.cpd_overview(user=person, today=today).total_hours,
        webinars=webinars,
    )
