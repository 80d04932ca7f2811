"""Reminders: 14 days before (at once when due sooner), once overdue; each once; none for met or
ended rows or for people who left; the beat job run twice sends nothing twice."""

import pytest
from django.core import mail

from academy import services as people
from organisations import services, tasks
from organisations.models import PersonalAssignment
from tests.academy.factories import OrganisationFactory
from tests.organisations.factories import assign, complete, in_days, manager_of, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(course):
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    boss = manager_of(organisation)
    return organisation, boss, [member(organisation) for _ in range(3)]


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_beat_job_twice_sends_each_reminder_once(
    course, staff, django_capture_on_commit_callbacks
):
    organisation, boss, (soon, later, done) = staff
    assignment = assign(organisation, course, by=boss, due_on=in_days(40))
    rows = PersonalAssignment.objects.filter(assignment=assignment)
    rows.filter(user=soon).update(due_on=in_days(10))
    rows.filter(user=later).update(due_on=in_days(-1))
    rows.filter(user=done).update(due_on=in_days(-1))
    complete(done, course)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_assignment_reminders() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_assignment_reminders() == 0

    assert sent_to() == sorted([soon.email, later.email])
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[soon.email].startswith("[PHSO Academy] Due by")
    assert subjects[later.email].startswith("[PHSO Academy] Overdue since")
    assert "Riverside NHS Trust" in mail.outbox[0].body
    assert rows.get(user=soon).reminded_before_at is not None
    assert rows.get(user=later).reminded_overdue_at is not None


def test_sending_one_reminder_twice_sends_it_once(course, staff):
    organisation, boss, _ = staff
    assignment = assign(organisation, course, by=boss, due_on=in_days(5))
    row = PersonalAssignment.objects.filter(assignment=assignment).first()
    mail.outbox.clear()
    assert services.send_reminder(personal_assignment_id=row.pk, kind=services.BEFORE)
    assert not services.send_reminder(personal_assignment_id=row.pk, kind=services.BEFORE)
    assert len(mail.outbox) == 1


def test_an_assignment_due_within_14_days_reminds_everyone_at_once(
    course, staff, django_capture_on_commit_callbacks
):
    organisation, boss, staff_members = staff
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assign(organisation, course, by=boss, due_on=in_days(7))
    assert sent_to() == sorted(u.email for u in [boss, *staff_members])


def test_no_reminders_for_a_far_date_nor_for_those_who_left_or_met_or_a_withdrawal(
    course, staff, django_capture_on_commit_callbacks
):
    organisation, boss, (leaver, done, other) = staff
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(organisation, course, by=boss, due_on=in_days(60))
    assert mail.outbox == [] or all("Due by" not in m.subject for m in mail.outbox)
    PersonalAssignment.objects.filter(assignment=assignment).update(due_on=in_days(-3))
    people.end_membership(membership=leaver.memberships.get())
    complete(done, course)
    withdrawn = assign(organisation, course, by=boss, due_on=in_days(1))
    services.withdraw_assignment(assignment=withdrawn, by=boss, reason="Mistake")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_assignment_reminders()

    assert sent_to() == sorted([boss.email, other.email])


def test_a_moved_due_date_reminds_again_for_the_new_date(
    course, staff, django_capture_on_commit_callbacks
):
    organisation, boss, _ = staff
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assign(organisation, course, by=boss, due_on=in_days(5))
    first = len(mail.outbox)
    assert first == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.change_due_date(assignment=assignment, due_on=in_days(8), by=boss)
    assert len(mail.outbox) == 2 * first
