"""The compliance page: only the organisation's current managers see it, its filters, what
bad filters get, and a fixed number of queries however many staff."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import Membership, RoleTier
from courses.models import Enrolment
from tests.academy.factories import OrganisationFactory
from tests.complaint_standards.factories import ExpectationFactory, FrameworkFactory
from tests.courses.factories import CourseFactory
from tests.organisations.compliance_support import certificate, course_award, member
from tests.organisations.factories import AssignmentFactory, PersonalAssignmentFactory

PAGES = [
    "organisations:compliance",
    "organisations:compliance_csv",
    "organisations:compliance_xlsx",
]


def _manager(organisation):
    return member(organisation, role=Membership.Role.MANAGER, full_name="Morgan Manager")


@pytest.mark.parametrize("name", PAGES)
def test_only_the_organisations_current_managers_get_in(client, db, name):
    organisation = OrganisationFactory()
    other_manager = _manager(OrganisationFactory())
    learner = member(organisation)
    former = member(
        organisation,
        role=Membership.Role.MANAGER,
        joined_at=timezone.now() - timedelta(days=9),
        left_at=timezone.now(),
    )
    url = reverse(name, args=[organisation.pk])

    assert client.get(url).status_code == 302  # to sign in
    for outsider in (other_manager, learner, former):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(_manager(organisation))
    assert client.get(url).status_code == 200
    missing = reverse(name, args=[organisation.pk + 1000])
    assert client.get(missing).status_code == 404


def test_the_page_shows_the_figures_charts_and_tables(client, catalogue):
    organisation = OrganisationFactory(name="Riverside NHS Foundation Trust")
    FrameworkFactory(name="NHS Complaint Standards")
    manager = _manager(organisation)
    certificate(member(organisation, tier=RoleTier.COMPLAINTS_STAFF), course_award(catalogue))
    client.force_login(manager)

    page = client.get(reverse("organisations:compliance", args=[organisation.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert "1 of 2 staff (50%) are trained to the Standards" in text
    assert text.count('role="img"') == 3
    for caption in (
        "Staff trained and up to date, by role tier",
        "Staff whose learning covers each principle",
        "Share trained at the end of each month",
    ):
        assert caption in text
    assert "Trained to the Standards</strong> when they hold a current" not in text
    assert "trained to the Standards</strong> when they hold a current" in text
    assert "NHS Complaint Standards" in text
    assert f"{timezone.localdate():%B %Y}" in text


def test_filters_are_printed_and_narrow_the_figures(client, db):
    organisation = OrganisationFactory()
    manager = _manager(organisation)
    member(organisation, tier=RoleTier.SENIOR_STAFF, team="Intake team 2")
    member(organisation, tier=RoleTier.SENIOR_STAFF, team="Reviews")
    client.force_login(manager)

    page = client.get(
        reverse("organisations:compliance", args=[organisation.pk]),
        {"tier": "senior_staff", "team": "Intake team 2"},
    )

    text = page.content.decode()
    assert "0 of 1 staff" in text
    assert '<dd class="nhsuk-summary-list__value">Senior staff</dd>' in text
    assert '<dd class="nhsuk-summary-list__value">Intake team 2</dd>' in text
    assert "tier=senior_staff&amp;team=Intake+team+2" in text  # the downloads keep them


def test_bad_filters_get_a_clear_message_and_change_nothing(client, db):
    organisation = OrganisationFactory()
    manager = _manager(organisation)
    member(organisation, team="Intake")
    client.force_login(manager)
    this_month = timezone.localdate().replace(day=1)
    url = reverse("organisations:compliance", args=[organisation.pk])

    page = client.get(url, {"team": "Someone else's team", "tier": "nonsense"})
    backwards = client.get(url, {"start": f"{this_month:%Y-%m}", "end": "2001-01"})
    a_year_before = f"{this_month.year - 1}-{this_month.month:02d}"
    reversed_range = client.get(url, {"start": f"{this_month:%Y-%m}", "end": a_year_before})
    export = client.get(
        reverse("organisations:compliance_csv", args=[organisation.pk]), {"tier": "nonsense"}
    )

    text = page.content.decode()
    assert "There is a problem" in text
    assert "Team: Choose a team from the list." in text
    assert "Role tier: Choose a role tier from the list." in text
    assert "2 staff" in text  # unfiltered: the bad values were ignored
    assert "Trend to: Choose a ‘Trend to’ month from the list." in backwards.content.decode()
    assert "the same as or after ‘Trend from’" in reversed_range.content.decode()
    assert export.status_code == 400
    assert "Choose a role tier from the list." in export.content.decode()


def _staff(organisation, count, *, award, course, assignment):
    for index in range(count):
        person = member(organisation, team=f"Team {index % 3}", tier=RoleTier.values[index % 3])
        certificate(person, award)
        PersonalAssignmentFactory(assignment=assignment, user=person)
        Enrolment.objects.create(user=person, course=course, completed_at=timezone.now())


def test_the_page_and_exports_read_a_fixed_number_of_queries(client, catalogue):
    organisation = OrganisationFactory()
    expectation = ExpectationFactory()
    award = course_award(catalogue, expectations=[expectation])
    course = CourseFactory(parent=catalogue, title="Listening", expectations=[expectation])
    assignment = AssignmentFactory(organisation=organisation, course=course)
    client.force_login(_manager(organisation))
    # The footer's links are read once and cached: the first page pays for them.
    client.get(reverse("organisations:compliance", args=[organisation.pk]))
    counts, made = {}, 0
    for total in (5, 50):
        _staff(
            organisation,
            total - made,
            award=award,
            course=course,
            assignment=assignment,
        )
        for name in PAGES:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse(name, args=[organisation.pk]), {"start": "2026-01"})
                b"".join(response) if response.streaming else response.content
            counts[total, name] = len(queries)
        made = total
        page = client.get(reverse("organisations:compliance", args=[organisation.pk]))
        assert f"{total + 1} staff" in page.content.decode()  # and the manager
    for name in PAGES:
        assert counts[5, name] == counts[50, name] <= 16, counts
