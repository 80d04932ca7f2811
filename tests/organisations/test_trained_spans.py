"""The trained spans the compliance figures count: worked out right from the rows
(organisations.training), and kept right by every change, whichever way it is made
(organisations.services.compliance and the receivers)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from academy import services as people
from academy.models import Membership, Organisation, User
from certificates.models import Certificate
from certificates.services import lifecycle
from organisations import services
from organisations.models import PersonalAssignment, TrainedSpan
from organisations.training import overdue_from, trained_spans
from tests.academy.factories import OrganisationFactory, UserFactory
from tests.certificates.factories import AwardFactory
from tests.courses.factories import CourseFactory
from tests.organisations.compliance_support import certificate, moment
from tests.organisations.compliance_support import member as member_since
from tests.organisations.factories import (
    AssignmentFactory,
    PersonalAssignmentFactory,
    assign,
    complete,
    manager_of,
    member,
)

UTC = ZoneInfo("UTC")


def held(issued, *, until=None, status=Certificate.Status.ACTIVE, changed=None, superseded=None):
    return {
        "issued_at": moment(issued),
        "valid_until": until and moment(until),
        "status": status,
        "status_changed_at": changed and moment(changed),
        "superseded_at": superseded and moment(superseded),
    }


def cycle(number, *, due, created, met=None, ended=None, withdrawn=None):
    return {
        "cycle": number,
        "due_on": date.fromisoformat(due),
        "created_at": moment(created),
        "met_at": met and moment(met),
        "ended_at": ended and moment(ended),
        "withdrawn_at": withdrawn and moment(withdrawn),
    }


def spans(joined="2026-01-01 09:00", left=None, certificates=(), assignments=()):
    found = trained_spans(
        joined_at=moment(joined),
        left_at=left and moment(left),
        certificates=list(certificates),
        assignments=[list(cycles) for cycles in assignments],
    )
    return [
        (
            f"{timezone.localtime(start):%Y-%m-%d %H:%M}",
            end and f"{timezone.localtime(end):%Y-%m-%d %H:%M}",
        )
        for start, end in found
    ]


# Worked out from the rows ----------------------------------------------------------------------


def test_a_certificate_trains_from_its_issue_to_its_expiry_within_the_membership():
    expiring = held("2026-03-01 10:00", until="2027-03-01 10:00")
    assert spans(certificates=[expiring]) == [("2026-03-01 10:00", "2027-03-01 10:00")]
    # Brought from elsewhere: counts from the day they joined, and stops when they leave.
    assert spans(joined="2026-05-04 09:00", left="2026-08-31 17:00", certificates=[expiring]) == [
        ("2026-05-04 09:00", "2026-08-31 17:00")
    ]
    assert spans(certificates=[held("2026-03-01 10:00")]) == [("2026-03-01 10:00", None)]
    assert spans(joined="2027-04-01 09:00", certificates=[expiring]) == []


def test_revoking_or_suspending_ends_it_and_a_corrected_name_carries_on_without_a_gap():
    revoked = held(
        "2026-03-01 10:00", status=Certificate.Status.REVOKED, changed="2026-06-01 12:00"
    )
    suspended = held(
        "2026-03-01 10:00", status=Certificate.Status.SUSPENDED, changed="2026-07-01 12:00"
    )
    assert spans(certificates=[revoked]) == [("2026-03-01 10:00", "2026-06-01 12:00")]
    assert spans(certificates=[suspended]) == [("2026-03-01 10:00", "2026-07-01 12:00")]
    original = held("2026-03-01 10:00", superseded="2026-04-02 15:00")
    corrected = held("2026-03-01 10:00")  # the replacement keeps the issue date
    assert spans(certificates=[original, corrected]) == [("2026-03-01 10:00", None)]
    assert spans(certificates=[original]) == [("2026-03-01 10:00", "2026-04-02 15:00")]


def test_a_refresher_trains_until_its_next_cycle_is_overdue_and_again_once_met():
    first = cycle(1, due="2026-02-28", created="2026-01-05 09:00", met="2026-02-10 11:00")
    second = cycle(2, due="2026-05-10", created="2026-02-10 11:00")
    assert spans(assignments=[[first, second]]) == [("2026-02-10 11:00", "2026-05-11 00:00")]
    late = {**second, "met_at": moment("2026-06-20 14:00")}
    third = cycle(3, due="2026-09-20", created="2026-06-20 14:00")
    assert spans(assignments=[[first, late, third]]) == [
        ("2026-02-10 11:00", "2026-05-11 00:00"),
        ("2026-06-20 14:00", "2026-09-21 00:00"),
    ]


def test_a_withdrawn_assignment_stops_counting_and_a_certificate_fills_the_gap():
    met = cycle(
        1,
        due="2026-02-28",
        created="2026-01-05 09:00",
        met="2026-02-10 11:00",
        withdrawn="2026-04-01 08:00",
    )
    assert spans(assignments=[[met]]) == [("2026-02-10 11:00", "2026-04-01 08:00")]
    assert spans(
        certificates=[held("2026-03-15 10:00", until="2026-12-15 10:00")], assignments=[[met]]
    ) == [("2026-02-10 11:00", "2026-12-15 10:00")]


@pytest.mark.parametrize(
    ("due_on", "utc"),
    [
        # The clocks go forward on 29 March 2026 and back on 25 October 2026.
        (date(2026, 3, 28), datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
        (date(2026, 3, 29), datetime(2026, 3, 29, 23, 0, tzinfo=UTC)),
        (date(2026, 10, 24), datetime(2026, 10, 24, 23, 0, tzinfo=UTC)),
        (date(2026, 10, 25), datetime(2026, 10, 26, 0, 0, tzinfo=UTC)),
    ],
)
def test_a_cycle_is_overdue_from_midnight_uk_time_as_its_day_ends(due_on, utc):
    assert overdue_from(due_on) == utc


# Kept right by every change ---------------------------------------------------------------------


def kept(user) -> list[tuple]:
    return list(
        TrainedSpan.objects.filter(membership__user=user)
        .order_by("membership_id", "starts_at")
        .values_list("membership__organisation_id", "starts_at", "ends_at")
    )


def test_issuing_revoking_and_leaving_move_the_spans_at_once(catalogue):
    organisation = OrganisationFactory()
    learner = member(organisation)
    award = AwardFactory(course=CourseFactory(parent=catalogue))
    held_now = certificate(learner, award)
    assert kept(learner) == [(organisation.pk, held_now.issued_at, None)]

    revoked = lifecycle.revoke(
        certificate=held_now, by=UserFactory(), reason="Issued in error", public_reason="Error"
    )
    assert kept(learner) == [(organisation.pk, held_now.issued_at, revoked.status_changed_at)]

    again = certificate(learner, award, cycle=2)
    left_at = timezone.now()
    people.end_membership(membership=Membership.objects.get(user=learner), left_at=left_at)
    assert kept(learner)[-1] == (organisation.pk, again.issued_at, left_at)


def test_meeting_moving_the_due_date_and_withdrawing_an_assignment_move_the_spans(catalogue):
    organisation = OrganisationFactory()
    manager = manager_of(organisation)
    learner = member_since(organisation, joined_at=timezone.now() - timedelta(days=700))
    course = CourseFactory(parent=catalogue)
    assignment = assign(organisation, course, by=manager, repeat_every_months=12)
    assert kept(learner) == []

    met_at = timezone.now() - timedelta(days=300)
    complete(learner, course, at=met_at)
    # The course's own certificate, issued now, revoked, so the assignment alone counts.
    lifecycle.revoke(
        certificate=Certificate.objects.get(learner=learner),
        by=manager,
        reason="A test of the assignment alone",
        public_reason="Withdrawn",
    )
    next_due = PersonalAssignment.objects.get(user=learner, cycle=2).due_on
    assert kept(learner) == [(organisation.pk, met_at, overdue_from(next_due))]

    services.change_due_date(
        assignment=assignment, due_on=next_due + timedelta(days=30), by=manager
    )
    assert kept(learner) == [(organisation.pk, met_at, overdue_from(next_due + timedelta(days=30)))]

    services.withdraw_assignment(assignment=assignment, by=manager)
    withdrawn_at = assignment.__class__.objects.get(pk=assignment.pk).withdrawn_at
    assert kept(learner) == [(organisation.pk, met_at, withdrawn_at)]


def test_a_cycle_saved_outside_the_services_moves_the_spans_too(catalogue):
    organisation = OrganisationFactory()
    learner = member(organisation)
    assignment = AssignmentFactory(
        organisation=organisation, course=CourseFactory(parent=catalogue)
    )
    row = PersonalAssignmentFactory(assignment=assignment, user=learner)
    assert kept(learner) == []
    row.met_at = timezone.now()
    row.save()
    assert kept(learner) == [(organisation.pk, row.met_at, None)]
    row.delete()
    assert kept(learner) == []


def test_the_nightly_rebuild_finds_what_the_events_kept(catalogue):
    """Whatever the mix of changes, rebuilding from the rows writes the same spans."""
    organisation, other = OrganisationFactory(), OrganisationFactory()
    manager = manager_of(organisation)
    course = CourseFactory(parent=catalogue)
    award = AwardFactory(course=course)
    assign(organisation, course, by=manager, repeat_every_months=12)
    staff = [member(organisation) for _ in range(4)]
    complete(staff[0], course, at=timezone.now() - timedelta(days=300))
    complete(staff[1], course)
    certificate(staff[2], award, valid_until=timezone.now() + timedelta(days=30))
    people.add_member(
        user=staff[2], organisation=other, role=Membership.Role.LEARNER, role_tier="all_staff"
    )
    people.end_membership(membership=Membership.objects.get(user=staff[3]))

    def every_span():
        return sorted(
            TrainedSpan.objects.values_list("membership_id", "starts_at", "ends_at"),
            key=lambda span: (span[0], span[1]),
        )

    kept_by_events = every_span()
    # The first two met it (the first until the next cycle is due), the third's certificate
    # counts in both her organisations, the fourth left with nothing.
    assert len(kept_by_events) == 4
    TrainedSpan.objects.all().delete()
    services.rebuild_trained_spans()
    assert every_span() == kept_by_events


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deleting_a_person_or_an_organisation_with_spans_commits(catalogue):
    """A span is never written for a membership on its way out (the deletion would fail when
    it commits, on PostgreSQL and SQLite alike)."""
    organisation = OrganisationFactory()
    learner = member(organisation)
    course = CourseFactory(parent=catalogue)
    assignment = AssignmentFactory(organisation=organisation, course=course)
    PersonalAssignmentFactory(assignment=assignment, user=learner, met_at=timezone.now())
    assert TrainedSpan.objects.count() == 1
    Organisation.objects.filter(pk=organisation.pk).delete()
    assert TrainedSpan.objects.count() == 0

    other = OrganisationFactory()
    leaver = member(other)
    PersonalAssignmentFactory(
        assignment=AssignmentFactory(organisation=other, course=course),
        user=leaver,
        met_at=timezone.now(),
    )
    User.objects.filter(pk=leaver.pk).delete()
    assert TrainedSpan.objects.count() == 0
