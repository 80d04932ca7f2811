"""Assignment semantics: who gets a row and when it is due, new starters, tier moves, leaving,
meeting it (before and after it was made), refreshers, withdrawal, the nightly reconciliation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from academy import services as people
from academy.models import AuditEntry, Membership, RoleTier
from certificates import services as certificate_services
from courses.models import Enrolment
from organisations import selectors, services
from organisations.errors import OrganisationError
from organisations.models import Assignment, PersonalAssignment
from tests.academy.factories import OrganisationFactory, UserFactory
from tests.accreditation.factories import VersionFactory
from tests.courses.factories import WebinarFactory
from tests.organisations.factories import (
    assign,
    complete,
    in_days,
    manager_of,
    member,
    organisation_with_staff,
)

pytestmark = pytest.mark.django_db


def rows(assignment, **filters):
    return PersonalAssignment.objects.filter(assignment=assignment, **filters).order_by("user_id")


def test_everyone_assignment_gives_each_current_member_a_row_due_on_its_date(course):
    organisation, staff = organisation_with_staff(3)
    boss = manager_of(organisation)
    gone = member(organisation)
    people.end_membership(membership=gone.memberships.get())
    elsewhere = member(OrganisationFactory())

    assignment = assign(organisation, course, by=boss, due_on=in_days(30))

    assigned = rows(assignment)
    assert {row.user for row in assigned} == {*staff, boss}
    assert {row.due_on for row in assigned} == {in_days(30)}
    assert all(row.cycle == 1 and row.is_open for row in assigned)
    assert not rows(assignment, user__in=[gone, elsewhere]).exists()
    entry = AuditEntry.objects.get(action="assignment.created")
    assert entry.actor == boss and entry.target_id == str(assignment.pk)


def test_making_an_assignment_costs_the_same_queries_for_3_or_30_people(course):
    def queries(count):
        organisation, _ = organisation_with_staff(count)
        boss = manager_of(organisation)
        with CaptureQueriesContext(connection) as captured:
            assign(organisation, course, by=boss)
        return len(captured)

    assert queries(3) == queries(30)


def test_tier_assignment_follows_people_into_and_out_of_the_tier(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation, tier=RoleTier.SENIOR_STAFF)
    handler = member(organisation, tier=RoleTier.COMPLAINTS_STAFF)
    other = member(organisation)
    assignment = assign(
        organisation,
        course,
        by=boss,
        audience=Assignment.Audience.TIER,
        role_tier=RoleTier.COMPLAINTS_STAFF,
        due_on=in_days(10),
        new_starters_days=30,
    )
    assert [row.user for row in rows(assignment)] == [handler]

    people.change_role_tier(membership=other.memberships.get(), role_tier="complaints_staff")
    moved_in = rows(assignment).get(user=other)
    assert moved_in.due_on == in_days(30)

    people.change_role_tier(membership=handler.memberships.get(), role_tier="all_staff")
    moved_out = rows(assignment).get(user=handler)
    assert moved_out.ended_at is not None and moved_out.met_at is None


def test_a_new_starter_gets_the_new_starter_days_but_never_before_the_due_date(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    soon = assign(organisation, course, by=boss, due_on=in_days(5), new_starters_days=20)
    late = assign(organisation, course, by=boss, due_on=in_days(90), new_starters_days=20)

    newcomer = member(organisation)

    assert rows(soon).get(user=newcomer).due_on == in_days(20)
    assert rows(late).get(user=newcomer).due_on == in_days(90)


def test_leaving_ends_the_rows_and_coming_back_starts_again(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    leaver = member(organisation)
    assignment = assign(organisation, course, by=boss)

    people.end_membership(membership=leaver.memberships.get())
    row = rows(assignment).get(user=leaver)
    assert row.ended_at is not None

    people.add_member(user=leaver, organisation=organisation, role=Membership.Role.LEARNER)
    again = rows(assignment, user=leaver, ended_at__isnull=True).get()
    assert again.cycle == 2 and again.is_open


def test_completing_the_course_meets_it_and_learning_before_counts_without_recurrence(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    early = member(organisation)
    complete(early, course, at=timezone.now() - datetime.timedelta(days=400))
    later = member(organisation)

    assignment = assign(organisation, course, by=boss)
    assert rows(assignment).get(user=early).met_at is not None
    assert rows(assignment).get(user=later).is_open

    enrolment = complete(later, course)
    assert rows(assignment).get(user=later).met_at == enrolment.completed_at


def test_a_refresher_counts_learning_within_one_period_before_its_due_date(course, catalogue):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    recent, old = member(organisation), member(organisation)
    complete(recent, course, at=timezone.now() - datetime.timedelta(days=200))
    complete(old, course, at=timezone.now() - datetime.timedelta(days=500))

    assignment = assign(organisation, course, by=boss, due_on=in_days(30), repeat_every_months=12)

    met = rows(assignment).get(user=recent, cycle=1)
    assert met.met_at is not None
    following = rows(assignment).get(user=recent, cycle=2)
    assert following.is_open and following.counts_from == met.met_at
    assert following.due_on == services.add_months(timezone.localdate(met.met_at), 12)
    assert rows(assignment).get(user=old).is_open
    assert not rows(assignment, user=old, cycle=2).exists()


def test_meeting_a_refresher_starts_the_next_cycle_once_however_often_it_is_announced(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    learner = member(organisation)
    assignment = assign(organisation, course, by=boss, repeat_every_months=24)
    done = timezone.now()

    for _ in range(2):
        services.meet_assignments(user=learner, kind="course", item_id=course.pk, finished_at=done)

    cycles = list(rows(assignment, user=learner).order_by("cycle"))
    assert [row.cycle for row in cycles] == [1, 2]
    assert cycles[0].met_at == done and cycles[1].is_open
    assert cycles[1].due_on == services.add_months(timezone.localdate(done), 24)
    # The same learning does not meet the cycle it started; later learning does.
    assert (
        services.meet_assignments(user=learner, kind="course", item_id=course.pk, finished_at=done)
        == 0
    )
    later = done + datetime.timedelta(days=300)
    services.meet_assignments(user=learner, kind="course", item_id=course.pk, finished_at=later)
    assert rows(assignment, user=learner).get(cycle=2).met_at == later
    assert rows(assignment, user=learner).get(cycle=3).is_open


def test_a_programme_is_met_by_its_current_certificate():
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    candidate = member(organisation)
    programme = VersionFactory().programme
    assignment = assign(organisation, programme, by=boss, kind="programme")

    award = certificate_services.award_for_programme(programme=programme, validity_years=3)
    certificate = certificate_services.issue_certificate(learner=candidate, award=award)

    assert rows(assignment).get(user=candidate).met_at == certificate.issued_at
    assert rows(assignment).get(user=boss).is_open


def test_a_webinar_assignment_is_made_and_stays_unmet_until_attendance_is_announced(catalogue):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    webinar = WebinarFactory(parent=catalogue)
    assignment = assign(organisation, webinar, by=boss, kind="webinar")

    [listed] = selectors.assignments_with_counts(organisation=organisation)
    assert (listed.assigned, listed.met, listed.overdue) == (1, 0, 0)
    services.meet_assignments(
        user=boss, kind="webinar", item_id=webinar.pk, finished_at=timezone.now()
    )
    assert rows(assignment).get(user=boss).met_at is not None


def test_withdrawing_ends_open_rows_and_keeps_who_met_it(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    done = member(organisation)
    complete(done, course)
    assignment = assign(organisation, course, by=boss)

    services.withdraw_assignment(assignment=assignment, by=boss, reason="Replaced")

    assert rows(assignment).get(user=boss).ended_at is not None
    kept = rows(assignment).get(user=done)
    assert kept.met_at is not None and kept.ended_at is None
    assert AuditEntry.objects.get(action="assignment.withdrawn").reason == "Replaced"
    # Nobody who joins now gets it.
    assert not rows(assignment, user=member(organisation)).exists()


def test_changing_the_due_date_moves_open_rows_and_is_audited(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    assignment = assign(organisation, course, by=boss, due_on=in_days(10))
    newcomer = member(organisation)  # due in 30 days, later than the new date

    services.change_due_date(assignment=assignment, due_on=in_days(20), by=boss, reason="Rota")

    assert rows(assignment).get(user=boss).due_on == in_days(20)
    assert rows(assignment).get(user=newcomer).due_on == in_days(30)
    entry = AuditEntry.objects.get(action="assignment.due_date_changed")
    assert entry.details["old_due_on"] == in_days(10).isoformat()


@pytest.mark.parametrize("days", [-1])
def test_a_due_date_in_the_past_is_refused_and_changes_nothing(course, days):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    with pytest.raises(OrganisationError, match="from today on"):
        assign(organisation, course, by=boss, due_on=in_days(days))
    assert not Assignment.objects.exists()


def test_chosen_people_must_be_in_the_organisation(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    outsider = member(OrganisationFactory())
    with pytest.raises(OrganisationError, match="in the organisation now"):
        assign(
            organisation,
            course,
            by=boss,
            audience=Assignment.Audience.PEOPLE,
            people=[boss, outsider],
        )
    assert not Assignment.objects.exists()


def test_a_draft_course_cannot_be_assigned(catalogue):
    from tests.courses.factories import CourseFactory

    draft = CourseFactory(parent=catalogue, live=False)
    organisation = OrganisationFactory()
    with pytest.raises(OrganisationError, match="published"):
        assign(organisation, draft, by=manager_of(organisation))


def test_the_nightly_reconciliation_heals_missed_signals(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    assignment = assign(organisation, course, by=boss)
    # A completion and a membership saved without their signals.
    Enrolment.objects.create(user=boss, course=course, completed_at=timezone.now())
    quiet = UserFactory()
    Membership.objects.create(user=quiet, organisation=organisation)

    assert services.refresh_met() == 1

    assert rows(assignment).get(user=boss).met_at is not None
    assert rows(assignment).get(user=quiet).is_open
    assert services.refresh_met() == 0
    assert rows(assignment).count() == 2


def test_counts_on_the_list_say_assigned_met_and_overdue(course):
    organisation = OrganisationFactory()
    boss = manager_of(organisation)
    done, late = member(organisation), member(organisation)
    complete(done, course)
    assignment = assign(organisation, course, by=boss, due_on=in_days(3))
    rows(assignment).filter(user=late).update(due_on=in_days(-2))

    [listed] = selectors.assignments_with_counts(organisation=organisation)

    assert (listed.assigned, listed.met, listed.overdue, listed.to_do) == (3, 1, 1, 1)
    states = {s.user: s.state for s in selectors.standings(assignment=assignment)}
    assert states == {done: "met", late: "overdue", boss: "to_do"}
