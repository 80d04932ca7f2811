"""The webinar page as a learner sees it: sessions in UK time with places left, registering and
joining the waiting list, cancelling after a confirmation, what a visitor who is not signed in
sees, what is refused, and the learner's webinars on their dashboard."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Registration
from tests.academy.factories import UserFactory
from tests.courses.factories import WebinarFactory, WebinarSessionFactory
from tests.courses.webinars import UK, UTC, make_session

pytestmark = pytest.mark.django_db

PLACE, WAITING, CANCELLED = (
    Registration.Status.PLACE,
    Registration.Status.WAITING,
    Registration.Status.CANCELLED,
)
# Tuesday 16 June 2026, 14:00 in London (BST).
STARTS = datetime(2026, 6, 16, 14, tzinfo=UK)


def register_url(session):
    return reverse("courses:register_for_session", args=[session.pk])


def cancel_url(session):
    return reverse("courses:cancel_registration", args=[session.pk])


@pytest.fixture
def session(catalogue, clock):
    return make_session(
        catalogue, starts_at=STARTS, capacity=2, title="Remedies in practice", presenters="Nia"
    )


def page_of(client, session) -> str:
    response = client.get(session.webinar.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_sees_the_sessions_in_uk_time_and_a_sign_in_link(client, session):
    html = page_of(client, session)
    assert "Tuesday 16 June 2026, 14:00</time> to 15:00" in html
    assert "Length: 60 minutes" in html
    assert "Presenting: Nia" in html
    assert "2 places left" in html
    assert f"/accounts/login/?next={session.webinar.url}" in html
    assert "Sign in to register" in html
    assert register_url(session) not in html


def test_a_learner_registers_and_sees_their_place(learner_client, learner, session):
    html = page_of(learner_client, session)
    assert register_url(session) in html
    response = learner_client.post(register_url(session), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{session.webinar.url}#session-{session.pk}"
    assert "You have a place at Remedies in practice on Tuesday 16 June 2026 at 14:00" in html
    assert "You have a place</strong>" in html
    assert "1 place left" in html
    assert "will appear here from 13:45 on Tuesday 16 June 2026" in html
    assert cancel_url(session) in html
    assert register_url(session) not in html
    assert Registration.objects.get(user=learner).status == PLACE


def test_a_full_session_offers_the_waiting_list_and_tells_the_position(
    learner_client, learner, session
):
    for _ in range(2):
        services.register(session=session, user=UserFactory())
    services.register(session=session, user=UserFactory())  # first on the list
    html = page_of(learner_client, session)
    assert "Full: join the waiting list" in html
    assert "Join the waiting list" in html
    html = learner_client.post(register_url(session), follow=True).content.decode()
    assert "you are on the waiting list, at number 2" in html
    assert "You are number 2 on the waiting list." in html
    assert "Leave the waiting list" in html
    assert Registration.objects.get(user=learner).status == WAITING


def test_registering_twice_says_so_and_changes_nothing(learner_client, learner, session):
    learner_client.post(register_url(session))
    html = learner_client.post(register_url(session), follow=True).content.decode()
    assert "You are registered for this session already." in html
    assert Registration.objects.filter(user=learner).count() == 1


def test_a_cancelled_or_started_session_refuses_with_a_reason(
    learner_client, learner, session, clock
):
    session.cancelled_at = clock.now
    session.save()
    html = learner_client.post(register_url(session), follow=True).content.decode()
    assert "This session has been cancelled." in html
    session.cancelled_at = None
    session.save()
    clock.set(STARTS + timedelta(minutes=5))
    html = learner_client.post(register_url(session), follow=True).content.decode()
    assert "This session has started, so registration has closed." in html
    assert not Registration.objects.exists()


def test_cancelling_asks_first_then_frees_the_place_for_the_list(learner_client, learner, session):
    services.register(session=session, user=learner)
    others = [UserFactory() for _ in range(2)]
    for person in others:
        services.register(session=session, user=person)
    page = learner_client.get(cancel_url(session)).content.decode()
    assert "Cancel your place?" in page
    assert "Yes, cancel my place" in page
    assert Registration.objects.get(user=learner).status == PLACE  # asking changes nothing

    html = learner_client.post(cancel_url(session), follow=True).content.decode()
    assert (
        "Your registration for Remedies in practice on Tuesday 16 June 2026 at 14:00 is "
        "cancelled." in html
    )
    assert Registration.objects.get(user=learner).status == CANCELLED
    assert Registration.objects.get(user=others[1]).status == PLACE
    assert register_url(session) in html  # they may register again (at the back)


def test_leaving_the_waiting_list(learner_client, learner, session):
    for _ in range(2):
        services.register(session=session, user=UserFactory())
    services.register(session=session, user=learner)
    page = learner_client.get(cancel_url(session)).content.decode()
    assert "Leave the waiting list?" in page
    learner_client.post(cancel_url(session))
    assert Registration.objects.get(user=learner).status == CANCELLED


def test_cancelling_after_the_start_is_refused(learner_client, learner, session, clock):
    services.register(session=session, user=learner)
    clock.set(STARTS + timedelta(minutes=1))
    html = learner_client.post(cancel_url(session), follow=True).content.decode()
    assert "registrations can no longer be cancelled" in html
    assert Registration.objects.get(user=learner).status == PLACE


def test_nobody_cancels_someone_elses_registration(client, learner, other_learner, session):
    """The address names a session, never a registration: what is cancelled is always the
    signed-in person's own."""
    services.register(session=session, user=learner)
    client.force_login(other_learner)
    html = client.post(cancel_url(session), follow=True).content.decode()
    assert "You are not registered for this session." in html
    assert Registration.objects.get(user=learner).status == PLACE


def test_registering_and_cancelling_need_a_csrf_token(learner, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(register_url(session)).status_code == 403
    services.register(session=session, user=learner)
    assert client.post(cancel_url(session)).status_code == 403
    assert Registration.objects.get(user=learner).status == PLACE


def test_registering_takes_a_post_and_a_signed_in_person(client, learner, session):
    response = client.post(register_url(session))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(learner)
    assert client.get(register_url(session)).status_code == 405
    assert not Registration.objects.exists()


def test_sessions_of_an_unpublished_webinar_are_not_found(learner_client, catalogue, clock):
    draft = WebinarFactory(parent=catalogue, live=False, starts_at=STARTS)
    session = draft.sessions.get()
    assert learner_client.post(register_url(session)).status_code == 404
    assert learner_client.get(cancel_url(session)).status_code == 404
    assert (
        learner_client.post(reverse("courses:register_for_session", args=[99999])).status_code
        == 404
    )


def test_past_and_cancelled_sessions_are_not_offered(client, session, clock):
    WebinarSessionFactory(webinar=session.webinar, starts_at=STARTS - timedelta(days=30))
    WebinarSessionFactory(
        webinar=session.webinar, starts_at=STARTS + timedelta(days=1), cancelled_at=clock.now
    )
    html = page_of(client, session)
    assert html.count('class="nhsuk-card"') == 1


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_reads_the_same_number_of_queries_for_more_sessions(
    learner_client, learner, session
):
    webinar = session.webinar
    services.register(session=session, user=learner)
    learner_client.get(webinar.url)
    one = _page_queries(learner_client, webinar.url)
    for day in range(1, 6):
        more = WebinarSessionFactory(webinar=webinar, starts_at=STARTS + timedelta(days=day))
        services.register(session=more, user=learner if day % 2 else UserFactory())
        for _ in range(3):
            services.register(session=more, user=UserFactory())
    assert _page_queries(learner_client, webinar.url) == one


# The dashboard -----------------------------------------------------------------------------------


def _webinars_section(html) -> str:
    return html.split("My webinars</h2>")[1].split("</ul>")[0]


def test_the_dashboard_lists_coming_webinars_with_the_status(
    learner_client, learner, catalogue, clock
):
    mine = make_session(catalogue, starts_at=STARTS, capacity=1, title="Explaining decisions")
    full = make_session(
        catalogue, starts_at=STARTS + timedelta(days=2), capacity=1, title="Apologies"
    )
    dropped = make_session(catalogue, starts_at=STARTS + timedelta(days=3), title="Called off")
    gone = make_session(catalogue, starts_at=STARTS + timedelta(days=4), title="I changed my mind")
    services.register(session=mine, user=learner)
    services.register(session=full, user=UserFactory())
    services.register(session=full, user=learner)
    services.register(session=dropped, user=learner)
    services.cancel_session(session=dropped, reason="The presenter is ill.", by=None)
    services.cancel_registration(registration=services.register(session=gone, user=learner))
    section = _webinars_section(learner_client.get(reverse("dashboard")).content.decode())
    assert section.index("Explaining decisions") < section.index("Apologies")
    assert "Tuesday 16 June 2026 at 14:00</time> (UK time)" in section
    assert "You have a place</strong>" in section
    assert "On the waiting list</strong> You are number 1." in section
    assert "Cancelled</strong> The Academy has cancelled this session." in section
    assert "I changed my mind" not in section
    clock.set(STARTS + timedelta(hours=2))
    section = _webinars_section(learner_client.get(reverse("dashboard")).content.decode())
    assert "Explaining decisions" not in section


def test_a_learner_with_no_webinars_sees_no_section(learner_client):
    assert "My webinars" not in learner_client.get(reverse("dashboard")).content.decode()


def test_the_dashboard_query_count_does_not_grow_with_webinars(
    learner_client, learner, catalogue, clock
):
    services.register(session=make_session(catalogue, starts_at=STARTS), user=learner)
    learner_client.get(reverse("dashboard"))
    one = _page_queries(learner_client, reverse("dashboard"))
    for day in range(1, 5):
        session = make_session(catalogue, starts_at=STARTS + timedelta(days=day), capacity=1)
        services.register(session=session, user=UserFactory())
        services.register(session=session, user=learner)
    assert _page_queries(learner_client, reverse("dashboard")) == one


def test_times_show_in_uk_time_whatever_the_server_stores(client, catalogue, clock):
    """Stored in UTC (13:00Z), shown as the UK clock reads (14:00 BST)."""
    session = make_session(catalogue, starts_at=datetime(2026, 6, 16, 13, tzinfo=UTC))
    assert "Tuesday 16 June 2026, 14:00</time>" in page_of(client, session)
