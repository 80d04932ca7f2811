"""Assignments: who must do what by when, each person's cycles, and meeting them.

The rules (docs/organisations.md, "Assignments and reminders"):
- An assignment has a PersonalAssignment per person and cycle. A row "in force" has no
  `ended_at`; it is open until `met_at` is set.
- Everyone the assignment targets when it is made gets a row due on `due_on`; people who join
  later or move into its tier get one due `new_starters_days` from that day, never before
  `due_on`. People who leave, or leave its audience, have their rows in force ended (a met row
  keeps its `met_at`: the fact stays, it just no longer counts for the organisation).
- A row is met by learning finished after its `counts_from` (any time when empty). The first
  cycle of a refresher counts learning from `repeat_every_months` before `due_on`; meeting a
  cycle of a refresher starts the next one, due that many months after the meeting date, counting
  learning from that moment.

Concurrency: the (assignment, user, cycle) unique constraint makes two events that would start
the same cycle start it once (the later insert is ignored), and meeting locks the open rows, so
two events meeting the same row meet it once.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from academy import audit
from academy.models import Membership, Organisation, User
from academy.queueing import enqueue
from accreditation import selectors as accreditation_selectors
from certificates import selectors as certificate_selectors
from courses import selectors as course_selectors

from ..errors import OrganisationError
from ..models import Assignment, PersonalAssignment
from .compliance import refresh_trained_spans

REPEAT_CHOICES = (12, 24, 36)
MAX_REPEAT_MONTHS = 120
MAX_NEW_STARTERS_DAYS = 365


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 January and
    a month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def first_counts_from(assignment: Assignment) -> datetime.datetime | None:
    """From when learning meets the first cycle: any time for a one-off assignment; from one
    period before the due date for a refresher."""
    if not assignment.repeat_every_months:
        return None
    return _start_of(add_months(assignment.due_on, -assignment.repeat_every_months))


# Creating, changing, withdrawing ---------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """What an assignment names: a course, a webinar or a programme."""

    kind: str
    obj: object


def assignable_items() -> dict[str, list]:
    """What a manager may assign, by kind: live courses and webinars, published programmes."""
    return {
        Assignment.Kind.COURSE: list(course_selectors.live_courses()),
        Assignment.Kind.WEBINAR: list(course_selectors.live_webinars()),
        Assignment.Kind.PROGRAMME: list(accreditation_selectors.published_programmes()),
    }


def _check_item(item: Item) -> None:
    allowed = {
        Assignment.Kind.COURSE: course_selectors.live_courses,
        Assignment.Kind.WEBINAR: course_selectors.live_webinars,
        Assignment.Kind.PROGRAMME: accreditation_selectors.published_programmes,
    }.get(item.kind)
    if allowed is None or item.obj is None or not allowed().filter(pk=item.obj.pk).exists():
        raise OrganisationError("Choose a published course, webinar or accreditation programme.")


def _check_dates(*, due_on: datetime.date, today: datetime.date) -> None:
    if due_on < today:
        raise OrganisationError("Choose a due date from today on.")


@transaction.atomic
def create_assignment(
    *,
    organisation: Organisation,
    by: User,
    item: Item,
    audience: str,
    due_on: datetime.date,
    role_tier: str = "",
    people: list[User] | tuple = (),
    new_starters_days: int = 30,
    repeat_every_months: int | None = None,
) -> Assignment:
    """Assign the item to the audience, with a row for each current member it targets (in a
    fixed number of queries), and the reminders of those due within 14 days queued. Audited."""
    _check_item(item)
    today = timezone.localdate()
    _check_dates(due_on=due_on, today=today)
    if audience not in Assignment.Audience.values:
        raise OrganisationError("Choose who the assignment is for.")
    if audience == Assignment.Audience.TIER and not role_tier:
        raise OrganisationError("Choose the role tier.")
    if audience != Assignment.Audience.TIER:
        role_tier = ""
    if not 0 <= new_starters_days <= MAX_NEW_STARTERS_DAYS:
        raise OrganisationError(f"Give new starters from 0 to {MAX_NEW_STARTERS_DAYS} days.")
    if repeat_every_months is not None and not 1 <= repeat_every_months <= MAX_REPEAT_MONTHS:
        raise OrganisationError(f"Repeat every 1 to {MAX_REPEAT_MONTHS} months.")
    person_ids = {person.pk for person in people}
    if audience == Assignment.Audience.PEOPLE:
        if not person_ids:
            raise OrganisationError("Choose at least one person.")
        members = set(
            Membership.objects.current()
            .filter(organisation=organisation, user_id__in=person_ids)
            .values_list("user_id", flat=True)
        )
        if members != person_ids:
            raise OrganisationError(
                "You can only assign training to people who are in the organisation now."
            )
    assignment = Assignment.objects.create(
        organisation=organisation,
        kind=item.kind,
        **{item.kind: item.obj},
        audience=audience,
        role_tier=role_tier,
        due_on=due_on,
        new_starters_days=new_starters_days,
        repeat_every_months=repeat_every_months,
        created_by=by,
    )
    if audience == Assignment.Audience.PEOPLE:
        assignment.people.set(person_ids)
    created = _sync(organisation=organisation, assignments=[assignment], starting=True)
    audit.record(
        actor=by,
        action="assignment.created",
        target=assignment,
        organisation=organisation.pk,
        item=str(item.obj),
        audience=assignment.audience_text,
        due_on=due_on.isoformat(),
        repeat_every_months=repeat_every_months,
        people=created,
    )
    transaction.on_commit(
        lambda: enqueue("organisations.tasks.send_assignment_reminders", assignment.pk)
    )
    return assignment


@transaction.atomic
def change_due_date(
    *, assignment: Assignment, due_on: datetime.date, by: User, reason: str = ""
) -> Assignment:
    """Move the assignment's due date. Open rows due on the old date, or earlier than the new
    one, move to it (so nobody's date is before the assignment's), and their reminders are sent
    again for the new date. Audited."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.withdrawn_at is not None:
        raise OrganisationError("This assignment has been withdrawn.")
    _check_dates(due_on=due_on, today=timezone.localdate())
    old = assignment.due_on
    if due_on == old:
        return assignment
    assignment.due_on = due_on
    # An UPDATE, not save(): the spans are refreshed once, below, after the cycles move (the
    # receiver of a saved assignment would refresh everyone before they had).
    Assignment.objects.filter(pk=assignment.pk).update(due_on=due_on)
    moved = (
        PersonalAssignment.objects.filter(
            assignment=assignment, met_at__isnull=True, ended_at__isnull=True
        )
        .filter(Q(due_on=old) | Q(due_on__lt=due_on))
        .update(due_on=due_on, reminded_before_at=None, reminded_overdue_at=None)
    )
    _refresh_people(assignment)
    audit.record(
        actor=by,
        action="assignment.due_date_changed",
        target=assignment,
        reason=reason,
        organisation=assignment.organisation_id,
        old_due_on=old.isoformat(),
        due_on=due_on.isoformat(),
        people=moved,
    )
    transaction.on_commit(
        lambda: enqueue("organisations.tasks.send_assignment_reminders", assignment.pk)
    )
    return assignment


@transaction.atomic
def withdraw_assignment(*, assignment: Assignment, by: User, reason: str = "") -> Assignment:
    """Withdraw the assignment: open rows end; met rows stay as history. Audited; withdrawing
    again changes nothing."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.withdrawn_at is not None:
        return assignment
    now = timezone.now()
    assignment.withdrawn_at = now
    Assignment.objects.filter(pk=assignment.pk).update(withdrawn_at=now)  # spans: once, below
    ended = PersonalAssignment.objects.filter(
        assignment=assignment, met_at__isnull=True, ended_at__isnull=True
    ).update(ended_at=now)
    _refresh_people(assignment)
    audit.record(
        actor=by,
        action="assignment.withdrawn",
        target=assignment,
        reason=reason,
        organisation=assignment.organisation_id,
        open_rows_ended=ended,
    )
    return assignment


# Following people in and out --------------------------------------------------------------------


@transaction.atomic
def follow_membership(*, membership: Membership) -> int:
    """Bring the person's rows in line with their membership after it started, changed tier or
    ended (academy.signals.membership_changed): rows for what now targets them, rows in force
    ended for what no longer does. Returns how many rows were started."""
    assignments = list(
        Assignment.objects.filter(
            organisation_id=membership.organisation_id, withdrawn_at__isnull=True
        )
    )
    if not assignments:
        return 0
    return _sync(
        organisation=membership.organisation,
        assignments=assignments,
        user_ids={membership.user_id},
    )


def _targets(*, organisation, assignments, user_ids) -> dict[int, set[int]]:
    """For each assignment (by id), the ids of the current members it targets."""
    members = Membership.objects.current().filter(organisation=organisation)
    if user_ids is not None:
        members = members.filter(user_id__in=user_ids)
    tiers: dict[int, set[str]] = defaultdict(set)
    for user_id, tier in members.values_list("user_id", "role_tier"):
        tiers[user_id].add(tier)
    chosen: dict[int, set[int]] = defaultdict(set)
    if any(a.audience == Assignment.Audience.PEOPLE for a in assignments):
        through = Assignment.people.through.objects.filter(
            assignment_id__in=[a.pk for a in assignments]
        )
        if user_ids is not None:
            through = through.filter(user_id__in=user_ids)
        for assignment_id, user_id in through.values_list("assignment_id", "user_id"):
            chosen[assignment_id].add(user_id)
    targets = {}
    for assignment in assignments:
        if assignment.audience == Assignment.Audience.EVERYONE:
            targets[assignment.pk] = set(tiers)
        elif assignment.audience == Assignment.Audience.TIER:
            targets[assignment.pk] = {
                u for u, held in tiers.items() if assignment.role_tier in held
            }
        else:
            targets[assignment.pk] = chosen[assignment.pk] & set(tiers)
    return targets


def _sync(*, organisation, assignments, user_ids=None, starting=False, now=None) -> int:
    """Start a row for each targeted person without one in force, and end the rows in force of
    people no longer targeted, for these assignments (all of one organisation), in a fixed
    number of queries. `starting`: the assignment is new, so its rows are due on its date rather
    than a new starter's. Returns how many people got a row."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    targets = _targets(organisation=organisation, assignments=assignments, user_ids=user_ids)
    rows = PersonalAssignment.objects.filter(assignment__in=assignments).order_by("cycle")
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    latest: dict[tuple[int, int], PersonalAssignment] = {}
    in_force: dict[tuple[int, int], list[int]] = defaultdict(list)
    for row in rows.only("pk", "assignment_id", "user_id", "cycle", "counts_from", "ended_at"):
        latest[(row.assignment_id, row.user_id)] = row
        if row.ended_at is None:
            in_force[(row.assignment_id, row.user_id)].append(row.pk)
    ending = {key: pks for key, pks in in_force.items() if key[1] not in targets.get(key[0], set())}
    if ending:
        PersonalAssignment.objects.filter(
            pk__in=[pk for pks in ending.values() for pk in pks]
        ).update(ended_at=now)
    starts = []
    for assignment in assignments:
        if starting:
            due_on = assignment.due_on
        else:
            due_on = max(
                assignment.due_on, today + datetime.timedelta(assignment.new_starters_days)
            )
        for user_id in targets[assignment.pk]:
            if in_force.get((assignment.pk, user_id)):
                continue
            before = latest.get((assignment.pk, user_id))
            starts.append(
                PersonalAssignment(
                    assignment=assignment,
                    user_id=user_id,
                    cycle=before.cycle + 1 if before else 1,
                    due_on=due_on,
                    counts_from=before.counts_from if before else first_counts_from(assignment),
                )
            )
    if starts:
        finished = _finished_moments(starts, now=now)
        new_rows = []
        for row in starts:
            new_rows += _cycles(row, finished.get(_item_key(row.assignment, row.user_id), []))
        # A concurrent event may have started the same cycle: the constraint keeps one.
        PersonalAssignment.objects.bulk_create(new_rows, ignore_conflicts=True)
    refresh_trained_spans(user_ids={user_id for _, user_id in ending} | {r.user_id for r in starts})
    return len(starts)


# Meeting --------------------------------------------------------------------------------------


def _item_key(assignment: Assignment, user_id: int) -> tuple[int, str, int]:
    return (user_id, assignment.kind, _item_id(assignment))


def _item_id(assignment: Assignment) -> int:
    return getattr(assignment, f"{assignment.kind}_id")


def _finished_moments(rows, *, now) -> dict[tuple[int, str, int], list]:
    """When each row's person finished its item, by (user id, kind, item id), oldest first: a
    course's completed enrolment, a webinar's attended session (from its start), a programme's
    current certificate. Three queries whatever the rows (passing a course's final assessment
    again reaches meet_assignments by its signal only)."""
    user_ids = {row.user_id for row in rows}
    courses = {_item_id(r.assignment) for r in rows if r.assignment.kind == Assignment.Kind.COURSE}
    webinars = {
        _item_id(r.assignment) for r in rows if r.assignment.kind == Assignment.Kind.WEBINAR
    }
    programmes = {
        _item_id(r.assignment) for r in rows if r.assignment.kind == Assignment.Kind.PROGRAMME
    }
    moments: dict[tuple[int, str, int], list] = defaultdict(list)
    if courses:
        for user_id, course_id, completed_at in course_selectors.completions(
            user_ids=user_ids, course_ids=courses
        ):
            moments[(user_id, Assignment.Kind.COURSE, course_id)].append(completed_at)
    if webinars:
        for user_id, webinar_id, started_at in course_selectors.attendance_moments(
            user_ids=user_ids, webinar_ids=webinars
        ):
            moments[(user_id, Assignment.Kind.WEBINAR, webinar_id)].append(started_at)
    if programmes:
        for user_id, programme_id, issued_at in certificate_selectors.current_certificate_dates(
            learner_ids=user_ids, programme_ids=programmes, now=now
        ):
            moments[(user_id, Assignment.Kind.PROGRAMME, programme_id)].append(issued_at)
    return {key: sorted(values) for key, values in moments.items()}


def _cycles(row: PersonalAssignment, moments: list) -> list[PersonalAssignment]:
    """The row, met by the first of `moments` after its `counts_from`; for a refresher, the
    cycles that follow from each meeting (the last one open)."""
    out = [row]
    months = row.assignment.repeat_every_months
    for moment in moments:
        current = out[-1]
        if current.met_at is not None:
            break
        if current.counts_from is not None and moment <= current.counts_from:
            continue
        current.met_at = moment
        if months:
            out.append(_next_cycle(current, met_at=moment))
    return out


def _next_cycle(row: PersonalAssignment, *, met_at) -> PersonalAssignment:
    return PersonalAssignment(
        assignment=row.assignment,
        user_id=row.user_id,
        cycle=row.cycle + 1,
        due_on=add_months(timezone.localdate(met_at), row.assignment.repeat_every_months),
        counts_from=met_at,
    )


@transaction.atomic
def meet_assignments(*, user: User, kind: str, item_id: int, finished_at) -> int:
    """The one way an assignment is met: `user` finished the item (a course, a webinar, a
    programme, by id) at `finished_at`. Each of their open rows for it that counts learning from
    before then is met; a refresher starts its next cycle. Locks the rows, so two events meet a
    row once. Returns how many rows were met.

    Course completions, passing a course's final assessment again (what renews a refresher),
    accreditation certificates and webinar attendance call it (receivers.py)."""
    open_rows = list(
        PersonalAssignment.objects.select_for_update(of=("self",))
        .select_related("assignment")
        .filter(
            user=user,
            met_at__isnull=True,
            ended_at__isnull=True,
            assignment__kind=kind,
            assignment__withdrawn_at__isnull=True,
            **{f"assignment__{kind}_id": item_id},
        )
        .order_by("pk")
    )
    met = [row for row in open_rows if row.counts_from is None or row.counts_from < finished_at]
    if not met:
        return 0
    for row in met:
        row.met_at = finished_at
    PersonalAssignment.objects.bulk_update(met, ["met_at"])
    PersonalAssignment.objects.bulk_create(
        [_next_cycle(row, met_at=finished_at) for row in met if row.assignment.repeat_every_months],
        ignore_conflicts=True,
    )
    refresh_trained_spans(user_ids={user.pk})
    return len(met)


def meet_assignments_of_many(*, user_ids, kind: str, item_id: int, finished_at) -> int:
    """meet_assignments for many people who finished the same item at the same moment
    (everyone who attended a webinar session): one query finds who has an open row for it, and
    only they are met, one at a time. Returns how many rows were met."""
    open_for = (
        PersonalAssignment.objects.filter(
            user_id__in=list(user_ids),
            met_at__isnull=True,
            ended_at__isnull=True,
            assignment__kind=kind,
            assignment__withdrawn_at__isnull=True,
            **{f"assignment__{kind}_id": item_id},
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    met = 0
    for user in User.objects.filter(pk__in=list(open_for)).order_by("pk"):
        met += meet_assignments(user=user, kind=kind, item_id=item_id, finished_at=finished_at)
    return met


def _refresh_people(assignment: Assignment) -> None:
    """After the assignment's cycles changed together: the spans of everyone it was given to."""
    refresh_trained_spans(
        user_ids=PersonalAssignment.objects.filter(assignment=assignment).values_list(
            "user_id", flat=True
        )
    )


def refresh_met(*, now=None) -> int:
    """The nightly reconciliation: meet every open row whose learning is done (a signal may
    have been missed), and bring every organisation's rows in line with its memberships. Returns
    how many rows were met. Each organisation and each item is its own transaction, so one
    failure does not undo the rest."""
    now = now or timezone.now()
    organisation_ids = (
        Assignment.objects.filter(withdrawn_at__isnull=True)
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    for organisation in Organisation.objects.filter(pk__in=list(organisation_ids)):
        with transaction.atomic():
            assignments = list(organisation.assignments.filter(withdrawn_at__isnull=True))
            _sync(organisation=organisation, assignments=assignments, now=now)
    open_rows = list(
        PersonalAssignment.objects.filter(
            met_at__isnull=True, ended_at__isnull=True, assignment__withdrawn_at__isnull=True
        ).select_related("assignment", "user")
    )
    finished = _finished_moments(open_rows, now=now) if open_rows else {}
    met = 0
    for row in open_rows:
        for moment in finished.get(_item_key(row.assignment, row.user_id), []):
            if row.counts_from is None or moment > row.counts_from:
                met += meet_assignments(
                    user=row.user,
                    kind=row.assignment.kind,
                    item_id=_item_id(row.assignment),
                    finished_at=moment,
                )
                break
    return met
