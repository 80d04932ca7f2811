"""Assignments as pages read them, each in a fixed number of queries whatever the rows.

A person "meets" an assignment when a row of theirs in force (not ended) is met and no open row
of theirs is past its due date; they are "overdue" when an open row is past it; otherwise the
assignment is still "to do" for them. A refresher met this cycle and due again later is met."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from academy import selectors as people

from ..models import Assignment, PersonalAssignment

RECENTLY_MET_DAYS = 90
ITEMS = ("course", "webinar", "programme")

MET = "met"
OVERDUE = "overdue"
TO_DO = "to_do"


def _overdue(today):
    return Q(met_at__isnull=True, ended_at__isnull=True, due_on__lt=today)


def assignments_with_counts(*, organisation, today=None) -> list[Assignment]:
    """The organisation's assignments, those in force first, each with `assigned`, `met`,
    `overdue` and `to_do` (people counts), in two queries."""
    today = today or timezone.localdate()
    in_force = Q(personal_assignments__ended_at__isnull=True)
    rows = list(
        Assignment.objects.filter(organisation=organisation)
        .select_related(*ITEMS)
        .annotate(
            assigned=Count("personal_assignments__user", filter=in_force, distinct=True),
            overdue=Count(
                "personal_assignments__user",
                filter=in_force
                & Q(
                    personal_assignments__met_at__isnull=True,
                    personal_assignments__due_on__lt=today,
                ),
                distinct=True,
            ),
        )
        .order_by("withdrawn_at", "due_on", "pk")
    )
    overdue_sibling = PersonalAssignment.objects.filter(
        _overdue(today), assignment=OuterRef("assignment"), user=OuterRef("user")
    )
    met = dict(
        PersonalAssignment.objects.filter(
            assignment__in=[row.pk for row in rows], ended_at__isnull=True, met_at__isnull=False
        )
        .exclude(Exists(overdue_sibling))
        .values("assignment")
        .annotate(people=Count("user", distinct=True))
        .values_list("assignment", "people")
        .order_by()
    )
    for row in rows:
        row.met = met.get(row.pk, 0)
        row.to_do = row.assigned - row.met - row.overdue
    return rows


def assignment_of(*, organisation, pk: int) -> Assignment:
    """The organisation's assignment with this id, or 404 (another organisation's reads as
    missing)."""
    assignment = (
        Assignment.objects.filter(organisation=organisation, pk=pk)
        .select_related("created_by", *ITEMS)
        .first()
    )
    if assignment is None:
        raise Http404("No assignment of your organisation has this address.")
    return assignment


@dataclass
class PersonStanding:
    """Where one person stands on an assignment: met (and when), overdue or to do, by when."""

    user: object
    state: str
    due_on: datetime.date | None
    met_at: datetime.datetime | None
    cycle: int


def _standing(user, rows, today) -> PersonStanding:
    """`rows`: the person's rows in force, in cycle order."""
    met = [row for row in rows if row.met_at is not None]
    open_rows = [row for row in rows if row.met_at is None]
    last_met = met[-1].met_at if met else None
    due_on = open_rows[-1].due_on if open_rows else None
    if open_rows and due_on < today:
        state = OVERDUE
    elif met:
        state = MET
    else:
        state = TO_DO
    return PersonStanding(
        user=user, state=state, due_on=due_on, met_at=last_met, cycle=rows[-1].cycle
    )


def standings(*, assignment: Assignment, today=None) -> list[PersonStanding]:
    """Each person the assignment applies to now, overdue first, then to do, then met; by name
    within each. One query."""
    today = today or timezone.localdate()
    rows = (
        PersonalAssignment.objects.filter(assignment=assignment, ended_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "cycle")
    )
    result = [
        _standing(group[0].user, group, today)
        for group in (list(g) for _, g in groupby(rows, key=lambda row: row.user_id))
    ]
    order = {OVERDUE: 0, TO_DO: 1, MET: 2}
    result.sort(key=lambda s: (order[s.state], s.user.full_name.lower(), s.user.email))
    return result


def members_to_choose(*, organisation) -> list:
    """The organisation's current members, by name, for choosing people to assign."""
    return list(people.members_of(organisation=organisation).order_by("full_name", "email"))


@dataclass
class LearnerAssignment:
    """One assignment on the learner's dashboard."""

    assignment: Assignment
    state: str
    due_on: datetime.date | None
    met_at: datetime.datetime | None

    @property
    def url(self) -> str:
        if self.assignment.kind == Assignment.Kind.PROGRAMME:
            return reverse("accreditation:programme", args=[self.assignment.programme.slug])
        return self.assignment.item.url or ""


def learner_assignments(*, user, today=None) -> list[LearnerAssignment]:
    """What organisations ask of the learner: open ones (overdue first, then by due date), then
    those met in the last 90 days. One query."""
    today = today or timezone.localdate()
    since = timezone.now() - datetime.timedelta(days=RECENTLY_MET_DAYS)
    rows = (
        PersonalAssignment.objects.filter(user=user, ended_at__isnull=True)
        .filter(Q(met_at__isnull=True) | Q(met_at__gte=since))
        .select_related("assignment__organisation", *(f"assignment__{item}" for item in ITEMS))
        .order_by("assignment_id", "cycle")
    )
    result = []
    for _, group in groupby(rows, key=lambda row: row.assignment_id):
        group = list(group)
        standing = _standing(user, group, today)
        result.append(
            LearnerAssignment(
                assignment=group[0].assignment,
                state=standing.state,
                due_on=standing.due_on,
                met_at=standing.met_at,
            )
        )
    order = {OVERDUE: 0, TO_DO: 1, MET: 2}
    far = datetime.date.max
    result.sort(key=lambda a: (order[a.state], a.due_on or far, str(a.assignment.item)))
    return result
