"""The meeting link is in the page's HTML only for someone with a place, and only from 15 minutes
before the start until the session ends; everyone else, and the person with a place before the
window, gets a sentence saying when it appears. Times are pinned with a fixed clock."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from tests.academy.factories import UserFactory
from tests.courses.webinars import UK, make_session

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/j/secret-room-4242"
STARTS = datetime(2026, 6, 16, 14, tzinfo=UK)


@pytest.fixture
def people(catalogue, clock):
    """A session of one place: someone with it, someone waiting, someone who cancelled, someone
    not registered, and a visitor not signed in; each with their own browser (signed in days,
    not weeks, before: sign-ins last a fortnight)."""
    clock.set(STARTS - timedelta(days=3))
    session = make_session(catalogue, starts_at=STARTS, capacity=1, meeting_url=LINK)
    placed, waiting, cancelled, stranger = (UserFactory() for _ in range(4))
    services.register(session=session, user=placed)
    services.register(session=session, user=waiting)
    services.cancel_registration(registration=services.register(session=session, user=cancelled))
    clients = {}
    for name, user in [
        ("placed", placed),
        ("waiting", waiting),
        ("cancelled", cancelled),
        ("stranger", stranger),
        ("visitor", None),
    ]:
        client = Client()
        if user:
            client.force_login(user)
        clients[name] = client
    return session, clients


def html_at(clock, moment, client, url) -> str:
    clock.set(moment)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "minutes_from_start, shown",
    [
        (-24 * 60, False),
        (-16, False),
        (-15, True),
        (0, True),
        (59, True),
        (60, False),  # the session has ended
    ],
)
def test_only_the_person_with_a_place_sees_the_link_and_only_in_the_window(
    people, clock, minutes_from_start, shown
):
    session, clients = people
    moment = STARTS + timedelta(minutes=minutes_from_start)
    url = session.webinar.url
    for name, client in clients.items():
        html = html_at(clock, moment, client, url)
        # Nor any part of it: the room's name is the secret.
        assert ("secret-room-4242" in html) == (shown and name == "placed"), name
    dashboard = html_at(clock, moment, clients["placed"], reverse("dashboard"))
    assert "secret-room-4242" not in dashboard


def test_before_the_window_the_person_with_a_place_is_told_when_it_appears(people, clock):
    session, clients = people
    html = html_at(clock, STARTS - timedelta(hours=2), clients["placed"], session.webinar.url)
    assert "The link to join will appear here from 13:45 on Tuesday 16 June 2026" in html
    html = html_at(clock, STARTS - timedelta(minutes=5), clients["placed"], session.webinar.url)
    assert "Join the webinar" in html
    assert f'href="{LINK}"' in html


def test_a_link_not_added_yet_is_said_to_be_coming(people, clock):
    session, clients = people
    session.meeting_url = ""
    session.save()
    html = html_at(clock, STARTS - timedelta(minutes=10), clients["placed"], session.webinar.url)
    assert "The link to join is not here yet" in html
    assert "Join the webinar" not in html


def test_a_cancelled_session_shows_no_link(people, clock):
    session, clients = people
    services.cancel_session(session=session, reason="Presenter unwell.", by=None)
    html = html_at(clock, STARTS - timedelta(minutes=5), clients["placed"], session.webinar.url)
    assert "secret-room-4242" not in html


def test_the_link_is_in_no_e_mail(people, clock, mailoutbox, django_capture_on_commit_callbacks):
    """E-mails point at the page, where the window applies, never at the room itself."""
    session, _ = people
    with django_capture_on_commit_callbacks(execute=True):
        services.register(session=session, user=UserFactory())
    clock.set(STARTS - timedelta(minutes=30))
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_reminders()
    for registration in session.registrations.all():
        services.send_confirmation(registration_id=registration.pk)
    assert mailoutbox
    for message in mailoutbox:
        assert "secret-room-4242" not in message.message().as_string()
