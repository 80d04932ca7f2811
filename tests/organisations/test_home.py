"""The organisation home: its figures count only current staff, the staff list shows each
person's training and filters and pages, in the same number of queries whatever the staff."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import RoleTier
from certificates.models import Certificate
from courses.models import Enrolment
from organisations import selectors
from tests.academy.factories import UserFactory
from tests.organisations.factories import AssignmentFactory, PersonalAssignmentFactory
from tests.organisations.staffing import (
    certificate,
    completed,
    join,
    leave,
    organisation_with_manager,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def home_url(organisation, **query):
    url = reverse("organisations:organisation", args=[organisation.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def trust():
    return organisation_with_manager("Riverside NHS Trust")


@pytest.fixture
def manager_client(client, trust):
    client.force_login(trust[1])
    return client


def names_listed(response) -> list[str]:
    return [row.person.full_name for row in response.context["rows"]]


def test_the_figures_count_only_current_staff(trust, course):
    organisation, manager = trust
    ana = join(organisation, tier=RoleTier.COMPLAINTS_STAFF, full_name="Ana Bell")
    join(organisation, tier=RoleTier.COMPLAINTS_STAFF, full_name="Ben Cole")
    gone = join(organisation, tier=RoleTier.COMPLAINTS_STAFF, full_name="Gone Person")
    leave(gone)
    late = TODAY - timedelta(days=3)
    assignment = AssignmentFactory(organisation=organisation, course=course, due_on=late)
    PersonalAssignmentFactory(assignment=assignment, user=ana.user)  # overdue
    PersonalAssignmentFactory(assignment=assignment, user=gone.user)  # left: not counted
    PersonalAssignmentFactory(
        assignment=assignment, user=manager, met_at=timezone.now()
    )  # met: not overdue
    certificate(ana.user, course)
    certificate(gone.user, course)  # left: not counted
    elsewhere = UserFactory()
    certificate(elsewhere, course)  # not a member: not counted

    figures = selectors.figures(organisation=organisation)

    assert figures.staff == 3  # Ana, Ben and the manager
    assert figures.by_tier == [("All staff", 0), ("Complaints staff", 2), ("Senior staff", 1)]
    assert figures.overdue == 1
    assert figures.certificates == 1


def test_current_certificates_leave_out_expired_revoked_and_renewed_ones(trust, course):
    organisation, _ = trust
    person = join(organisation).user
    certificate(person, course, valid_days=-2)  # expired
    other = join(organisation).user
    certificate(
        other,
        course,
        status=Certificate.Status.REVOKED,
        status_changed_at=timezone.now(),
    )
    renewing = join(organisation).user
    first = certificate(renewing, course, valid_days=20)
    renewal = certificate(renewing, course, valid_days=1000, cycle=2)

    assert selectors.figures(organisation=organisation).certificates == 1
    rows = selectors.staff_rows(
        organisation=organisation, memberships=selectors.staff(organisation=organisation)
    )
    held = {row.person.pk: row.certificates for row in rows}
    assert held[renewing.pk] == [renewal]
    assert first not in held[renewing.pk]
    assert held[person.pk] == held[other.pk] == []


def test_the_home_shows_each_persons_training(manager_client, trust, course_tree, catalogue):
    from tests.courses.factories import build_course

    organisation, _ = trust
    course = course_tree.course
    second = build_course(catalogue=catalogue, title="Investigating complaints").course
    third = build_course(catalogue=catalogue, title="Good apologies").course
    fourth = build_course(catalogue=catalogue, title="Remedies").course
    ana = join(organisation, team="Intake team 2", full_name="Ana Bell", email="ana@example.org")
    met = AssignmentFactory(organisation=organisation, course=course)
    started = AssignmentFactory(organisation=organisation, course=second)
    untouched = AssignmentFactory(organisation=organisation, course=third)
    late = AssignmentFactory(organisation=organisation, course=fourth, due_on=TODAY - timedelta(1))
    PersonalAssignmentFactory(assignment=met, user=ana.user, met_at=timezone.now())
    PersonalAssignmentFactory(assignment=started, user=ana.user)
    PersonalAssignmentFactory(assignment=untouched, user=ana.user)
    PersonalAssignmentFactory(assignment=late, user=ana.user)
    completed(ana.user, course, days_ago=4)
    Enrolment.objects.create(user=ana.user, course=second)
    certificate(ana.user, course, valid_days=100)

    response = manager_client.get(home_url(organisation))

    assert response.status_code == 200
    row = next(row for row in response.context["rows"] if row.person == ana.user)
    states = {progress.title: progress.state for progress in row.assignments}
    assert states == {
        "Welcoming complaints": selectors.MET,
        "Investigating complaints": selectors.IN_PROGRESS,
        "Good apologies": selectors.NOT_STARTED,
        "Remedies": selectors.OVERDUE,
    }
    page = response.content.decode()
    for text in (
        "Ana Bell",
        "ana@example.org",
        "Intake team 2",
        "All staff",
        "Overdue",
        "In progress",
        "Not started",
        f"due {(TODAY - timedelta(1)):%-d %b %Y}",
        f"expires {timezone.localtime(timezone.now() + timedelta(days=100)):%-d %b %Y}",
        f"{timezone.localtime(timezone.now() - timedelta(days=4)):%-d %b %Y}",
        reverse("organisations:person", args=[organisation.pk, ana.user.pk]),
    ):
        assert text in page
    assert '<ul class="nhsuk-list" id="manage">' in page


def test_a_refresher_met_last_time_and_not_yet_due_counts_as_met(manager_client, trust, course):
    organisation, _ = trust
    person = join(organisation, full_name="Ana Bell").user
    refresher = AssignmentFactory(organisation=organisation, course=course, repeat_every_months=12)
    PersonalAssignmentFactory(
        assignment=refresher,
        user=person,
        cycle=1,
        due_on=TODAY - timedelta(days=300),
        met_at=timezone.now() - timedelta(days=320),
    )
    PersonalAssignmentFactory(
        assignment=refresher, user=person, cycle=2, due_on=TODAY + timedelta(days=40)
    )

    response = manager_client.get(home_url(organisation, status="all_met"))

    assert names_listed(response) == ["Ana Bell"]
    (progress,) = response.context["rows"][0].assignments
    assert progress.state == selectors.MET and progress.due_again
    assert "due again" in response.content.decode()


def test_filters_narrow_the_list(manager_client, trust, course):
    organisation, manager = trust
    ana = join(organisation, tier=RoleTier.COMPLAINTS_STAFF, team="Intake", full_name="Ana Bell")
    ben = join(organisation, team="Reviews", full_name="Ben Cole", email="ben.cole@example.org")
    cat = join(organisation, team="Intake", full_name="Cat Dunn")
    dev = join(organisation, full_name="Dev Eze")
    gone = join(organisation, team="Intake", full_name="Gone Person")
    leave(gone)
    due = AssignmentFactory(organisation=organisation, course=course)
    late = AssignmentFactory(organisation=organisation, course=course, due_on=TODAY - timedelta(2))
    PersonalAssignmentFactory(assignment=late, user=ana.user)
    PersonalAssignmentFactory(assignment=due, user=ben.user)
    PersonalAssignmentFactory(assignment=due, user=cat.user, met_at=timezone.now())
    PersonalAssignmentFactory(assignment=late, user=dev.user, ended_at=timezone.now())
    PersonalAssignmentFactory(assignment=late, user=gone.user)

    def listed(**query):
        return names_listed(manager_client.get(home_url(organisation, **query)))

    assert listed() == ["Ana Bell", "Ben Cole", "Cat Dunn", "Dev Eze", "Helen Marsh"]
    assert listed(tier="complaints_staff") == ["Ana Bell"]
    assert listed(team="Intake") == ["Ana Bell", "Cat Dunn"]
    assert listed(status="overdue") == ["Ana Bell"]
    assert listed(status="to_do") == ["Ben Cole"]
    assert listed(status="all_met") == ["Cat Dunn"]
    assert listed(status="nothing") == ["Dev Eze", "Helen Marsh"]
    assert listed(q="cole@") == ["Ben Cole"]
    assert listed(q="dunn") == ["Cat Dunn"]
    assert listed(team="Intake", status="all_met") == ["Cat Dunn"]
    assert listed(q="nobody-like-this") == []


def test_a_bad_filter_is_explained_and_the_others_still_apply(manager_client, trust):
    organisation, _ = trust
    join(organisation, team="Intake", full_name="Ana Bell")
    join(organisation, full_name="Ben Cole")

    response = manager_client.get(home_url(organisation, tier="wizard", team="Intake"))

    assert response.status_code == 200
    assert "Role tier: Choose a role tier from the list" in response.content.decode()
    assert names_listed(response) == ["Ana Bell"]


def test_a_team_only_another_organisation_has_is_not_a_choice(manager_client, trust):
    organisation, _ = trust
    other, _ = organisation_with_manager("Hillside Trust", manager_name="Olu Ade")
    join(other, team="Secret team", full_name="Zed Young")
    join(organisation, full_name="Ana Bell")

    response = manager_client.get(home_url(organisation, team="Secret team"))

    assert "Team: Choose a team from the list" in response.content.decode()
    assert "Zed Young" not in response.content.decode()


def test_the_list_pages_by_fifty(manager_client, trust):
    organisation, _ = trust
    for n in range(51):
        join(organisation, full_name=f"Person {n:02d}")

    first = manager_client.get(home_url(organisation))
    second = manager_client.get(home_url(organisation, page=2))

    assert len(first.context["rows"]) == 50
    assert "Showing 1 to 50 of 52 people" in first.content.decode()
    assert names_listed(second) == ["Person 49", "Person 50"]  # Helen Marsh, the manager, first


def _fill(organisation, course, people: int):
    assignment = AssignmentFactory(organisation=organisation, course=course)
    late = AssignmentFactory(organisation=organisation, course=course, due_on=TODAY - timedelta(3))
    for n in range(people):
        person = join(organisation, team=f"Team {n % 3}", full_name=f"Person {n:03d}").user
        PersonalAssignmentFactory(assignment=assignment, user=person)
        PersonalAssignmentFactory(assignment=late, user=person, met_at=timezone.now())
        completed(person, course)
        certificate(person, course)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_home_takes_the_same_queries_for_5_or_50_staff(
    client, course, django_assert_max_num_queries
):
    small, small_manager = organisation_with_manager("Small Trust", manager_name="Sam Small")
    large, large_manager = organisation_with_manager("Large Trust", manager_name="Lee Large")
    _fill(small, course, 5)
    _fill(large, course, 50)

    client.force_login(small_manager)
    client.get(home_url(small))  # the first request fills caches (content types, the site)
    counts = [_queries(client, home_url(small)), _queries(client, home_url(small, status="to_do"))]
    client.force_login(large_manager)
    with django_assert_max_num_queries(20):
        client.get(home_url(large))
    assert _queries(client, home_url(large)) == counts[0]
    assert _queries(client, home_url(large, status="to_do")) == counts[1]


def test_only_managers_of_the_organisation_see_its_home(client, trust):
    organisation, _ = trust
    other, other_manager = organisation_with_manager("Hillside Trust", manager_name="Olu Ade")
    learner = join(organisation, full_name="Ana Bell").user
    url = home_url(organisation)

    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    client.force_login(learner)
    assert client.get(url).status_code == 404
    assert client.get(reverse("organisations:home")).status_code == 403
    assert 'href="/organisation/"' not in client.get(reverse("dashboard")).content.decode()


def test_a_manager_who_left_no_longer_sees_the_home(client, trust):
    organisation, manager = trust
    leave(manager.memberships.get())
    client.force_login(manager)

    assert client.get(home_url(organisation)).status_code == 404
