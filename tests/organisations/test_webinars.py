"""What managers see of their staff's webinars: the sessions they registered for or attended,
one session's staff, and each person's record; their own current staff only, every URL with an
id refused to anyone else (IDOR), in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from academy.models import Membership
from organisations import selectors
from organisations.models import Assignment
from tests.academy.factories import UserFactory
from tests.courses.attendance_support import mark, register_before, started_session
from tests.organisations.factories import assign
from tests.organisations.staffing import join, organisation_with_manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def trust():
    return organisation_with_manager("Riverside NHS Trust")


@pytest.fixture
def session(catalogue):
    return started_session(catalogue, title="Remedies that put things right")


@pytest.fixture
def staff(trust, session, trainer):
    """At Riverside: Ana attended (registered), Ben registered and did not come, Cy came without
    registering. At Hillside: Hal attended."""
    organisation, _ = trust
    ana, ben, cy = (
        join(
            organisation, full_name=name, email=f"{name.lower()}@riverside.example", team="Intake"
        ).user
        for name in ("Ana", "Ben", "Cy")
    )
    hillside, _ = organisation_with_manager("Hillside Trust", manager_name="Olu Ade")
    hal = join(hillside, full_name="Hal", email="hal@hillside.example").user
    register_before(session, ana, ben, hal)
    mark(session, [ana, cy, hal], trainer)
    return ana, ben, cy, hal


def url(organisation, name="webinars", *args):
    return reverse(f"organisations:{name}", args=[organisation.pk, *args])


def test_the_sessions_list_counts_only_the_organisations_staff(client, trust, session, staff):
    organisation, manager = trust
    client.force_login(manager)
    home = client.get(reverse("organisations:organisation", args=[organisation.pk]))
    assert url(organisation) in home.text
    page = client.get(url(organisation))
    assert page.status_code == 200
    [listed] = page.context["page"].object_list
    assert listed == session
    assert (listed.places, listed.waiting, listed.attended) == (2, 0, 2)


def test_a_sessions_page_lists_the_staff_with_their_registration_and_attendance(
    client, trust, session, staff
):
    organisation, manager = trust
    ana, ben, cy, hal = staff
    client.force_login(manager)
    page = client.get(url(organisation, "webinar_session", session.pk))
    assert page.status_code == 200
    rows = {each.person: each.row for each in page.context["staff"]}
    assert set(rows) == {ana, ben, cy}
    assert (rows[ana].status_words, bool(rows[ana].attendance)) == ("Has a place", True)
    assert (rows[ben].status_words, rows[ben].attendance) == ("Has a place", None)
    assert (rows[cy].status_words, bool(rows[cy].attendance)) == ("Did not register", True)
    assert "hal@hillside.example" not in page.text
    assert "2 attended" in page.text


def test_someone_who_left_is_no_longer_shown(client, trust, session, staff):
    organisation, manager = trust
    ana = staff[0]
    Membership.objects.filter(user=ana, organisation=organisation).update(left_at=timezone.now())
    client.force_login(manager)
    page = client.get(url(organisation, "webinar_session", session.pk))
    assert ana not in {each.person for each in page.context["staff"]}
    [listed] = client.get(url(organisation)).context["page"].object_list
    assert listed.attended == 1


def test_other_managers_learners_and_strangers_get_nothing(
    client, trust, session, staff, catalogue
):
    organisation, _ = trust
    _, other_manager = organisation_with_manager("Elsewhere Trust", manager_name="Eli Else")
    urls = [url(organisation), url(organisation, "webinar_session", session.pk)]
    for address in urls:
        assert client.get(address).status_code == 302  # signed out: to sign in
    for person in (other_manager, staff[0]):
        client.force_login(person)
        for address in urls:
            assert client.get(address).status_code == 404
    # A session none of the staff registered for or attended is not theirs to see.
    client.force_login(trust[1])
    untouched = started_session(catalogue)
    assert client.get(url(organisation, "webinar_session", untouched.pk)).status_code == 404
    assert client.get(url(organisation, "webinar_session", 987654)).status_code == 404


def test_the_persons_record_shows_their_webinars_and_registering_starts_an_assignment(
    client, trust, session, staff, catalogue
):
    organisation, manager = trust
    ana, ben, cy, _ = staff
    coming = started_session(catalogue, hours_ago=-48, title="Listening well")
    register_before(coming, ben)
    assign(organisation, coming.webinar, by=manager, kind=Assignment.Kind.WEBINAR)
    client.force_login(manager)
    record = client.get(reverse("organisations:person", args=[organisation.pk, ben.pk]))
    text = record.content.decode()
    assert "Remedies that put things right" in text and "Listening well" in text
    progress = {p.title: p.state for p in record.context["record"].assignments}
    assert progress == {"Listening well": "in_progress"}
    rows = selectors.staff_rows(
        organisation=organisation, memberships=selectors.staff(organisation=organisation)
    )
    states = {row.person: [p.state for p in row.assignments] for row in rows}
    assert states[ben] == ["in_progress"] and states[ana] == ["not_started"]
    cy_record = client.get(reverse("organisations:person", args=[organisation.pk, cy.pk]))
    assert "without registering" in cy_record.content.decode()


def test_before_a_session_is_over_nobody_is_shown_as_absent(client, trust, staff, catalogue):
    organisation, manager = trust
    coming = started_session(catalogue, hours_ago=-48, title="Listening well")
    register_before(coming, staff[1])
    client.force_login(manager)
    page = client.get(url(organisation, "webinar_session", coming.pk)).content.decode()
    assert "Not yet" in page
    assert " attended." not in page.replace("registered or attended.", "")
    assert ">No<" not in page


def _queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_both_pages_take_the_same_queries_for_3_or_30_staff(client, catalogue, trainer):
    counts = []
    for size in (3, 30):
        organisation, manager = organisation_with_manager(f"Trust of {size}")
        session = started_session(catalogue)
        people = [join(organisation).user for _ in range(size)]
        register_before(session, *people[: size // 2])
        mark(session, people[size // 2 :], trainer)
        for _ in range(2):
            started_session(catalogue)  # sessions none of them went to
        client.force_login(manager)
        client.get(url(organisation))  # caches (content types, the site) filled
        counts.append(
            (
                _queries(client, url(organisation)),
                _queries(client, url(organisation, "webinar_session", session.pk)),
            )
        )
    assert counts[0] == counts[1]


def test_attending_from_no_organisation_is_not_counted(trust, session, staff, trainer):
    organisation, _ = trust
    mark(session, [UserFactory()], trainer)
    [listed] = selectors.staff_sessions(organisation=organisation)
    assert listed.attended == 2
