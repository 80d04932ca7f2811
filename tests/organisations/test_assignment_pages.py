"""Managers' assignment pages: making one (with mistakes pointed out), the list and one
assignment, moving its date, withdrawing it; IDOR over every URL with an id; the dashboard's
"Assigned to me"; query counts."""

import pytest
from django.urls import reverse

from organisations.models import Assignment, PersonalAssignment
from portal import selectors as portal_selectors
from tests.academy.factories import OrganisationFactory
from tests.organisations.factories import assign, complete, in_days, manager_of, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust(course):
    organisation = OrganisationFactory(name="Riverside NHS Trust")
    boss = manager_of(organisation, full_name="Bea Manager")
    staff = [member(organisation, full_name=f"Staff {n}") for n in range(2)]
    return organisation, boss, staff


def url(name, organisation, *args):
    return reverse(f"organisations:{name}", args=[organisation.pk, *args])


def test_a_manager_assigns_a_course_to_chosen_people(client, course, trust):
    organisation, boss, (first, second) = trust
    client.force_login(boss)
    page = client.get(url("assignment_create", organisation))
    assert page.status_code == 200
    assert course.title in page.text

    response = client.post(
        url("assignment_create", organisation),
        {
            "item": f"course:{course.pk}",
            "audience": "people",
            "people": [first.pk],
            "due_on": in_days(30).isoformat(),
            "new_starters_days": "30",
            "repeat": "12",
        },
    )

    assignment = Assignment.objects.get()
    assert response.status_code == 302
    assert response.url == url("assignment", organisation, assignment.pk)
    assert assignment.repeat_every_months == 12
    assert [row.user for row in PersonalAssignment.objects.all()] == [first]
    detail = client.get(response.url)
    assert "Staff 0" in detail.text and "Staff 1" not in detail.text


def test_mistakes_are_pointed_out_and_nothing_is_made(client, course, trust):
    organisation, boss, _ = trust
    client.force_login(boss)
    response = client.post(
        url("assignment_create", organisation),
        {
            "item": f"course:{course.pk}",
            "audience": "tier",
            "due_on": in_days(-1).isoformat(),
            "new_starters_days": "30",
            "repeat": "other",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose the role tier." in response.text
    assert "Give the number of months" in response.text
    assert not Assignment.objects.exists()


def test_a_manager_cannot_assign_to_someone_outside_by_posting_their_id(client, course, trust):
    organisation, boss, _ = trust
    outsider = member(OrganisationFactory())
    client.force_login(boss)
    response = client.post(
        url("assignment_create", organisation),
        {
            "item": f"course:{course.pk}",
            "audience": "people",
            "people": [outsider.pk],
            "due_on": in_days(30).isoformat(),
            "new_starters_days": "30",
        },
    )
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_another_organisations_manager_gets_404_on_every_assignment_url(client, course, trust):
    organisation, boss, _ = trust
    assignment = assign(organisation, course, by=boss)
    other = OrganisationFactory()
    intruder = manager_of(other)
    client.force_login(intruder)
    for name in ("assignment", "assignment_due_date", "assignment_withdraw"):
        # Their own organisation's address with our assignment's id, and ours.
        assert client.get(url(name, other, assignment.pk)).status_code == 404
        assert client.get(url(name, organisation, assignment.pk)).status_code == 404
        assert client.post(url(name, other, assignment.pk), {"reason": "x"}).status_code == 404
    for name in ("assignments", "assignment_create"):
        assert client.get(url(name, organisation)).status_code == 404
    assignment.refresh_from_db()
    assert assignment.withdrawn_at is None


def test_a_learner_never_sees_a_manager_page(client, course, trust):
    organisation, boss, (learner, _) = trust
    assignment = assign(organisation, course, by=boss)
    client.force_login(learner)
    assert client.get(url("assignments", organisation)).status_code == 404
    assert client.get(url("assignment", organisation, assignment.pk)).status_code == 404


def test_the_list_and_one_assignment_in_a_fixed_number_of_queries(
    client, course, trust, django_assert_max_num_queries
):
    organisation, boss, staff = trust
    assignment = assign(organisation, course, by=boss)
    complete(staff[0], course)
    client.force_login(boss)
    client.get(url("assignments", organisation))  # warm Wagtail's site cache
    for _ in range(5):
        member(organisation)
    with django_assert_max_num_queries(12):
        listed = client.get(url("assignments", organisation))
    assert "Met" in listed.text
    with django_assert_max_num_queries(12):
        detail = client.get(url("assignment", organisation, assignment.pk))
    assert detail.text.count("nhsuk-tag--green") == 1


def test_the_manager_moves_the_date_and_withdraws(client, course, trust):
    organisation, boss, _ = trust
    assignment = assign(organisation, course, by=boss, due_on=in_days(10))
    client.force_login(boss)
    response = client.post(
        url("assignment_due_date", organisation, assignment.pk),
        {"due_on": in_days(20).isoformat(), "reason": "Rota"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_on == in_days(20)

    refused = client.post(url("assignment_withdraw", organisation, assignment.pk), {})
    assert "Say why you are withdrawing" in refused.text
    response = client.post(
        url("assignment_withdraw", organisation, assignment.pk), {"reason": "Replaced"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.withdrawn_at is not None
    assert "Withdrawn" in client.get(url("assignments", organisation)).text


def test_the_dashboard_shows_what_is_assigned_first(
    client, course, catalogue, trust, django_assert_max_num_queries
):
    organisation, boss, (learner, _) = trust
    from tests.courses.factories import build_course

    late_course = build_course(catalogue=catalogue, title="Investigating well").course
    assign(organisation, course, by=boss, due_on=in_days(30))
    late = assign(organisation, late_course, by=boss, due_on=in_days(5))
    PersonalAssignment.objects.filter(assignment=late, user=learner).update(due_on=in_days(-1))
    client.force_login(learner)
    page = client.get(reverse("dashboard")).text
    assert page.index("Assigned to me") < page.index("My certificates")
    assert page.index("Investigating well") < page.index(course.title)
    assert "Overdue" in page and "Riverside NHS Trust" in page

    complete(learner, course)
    for _ in range(4):
        assign(organisation, course, by=boss)
    with django_assert_max_num_queries(3):
        items = [
            (a.state, a.url)
            for a in portal_selectors.organisation_selectors.learner_assignments(user=learner)
        ]
    assert ("met", course.url) in items
