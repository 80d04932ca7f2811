"""The "Webinar sessions" admin, as trainers use it: who may reach it, listing by webinar with
places and waiting lists, adding a session in UK time, changing its places (the list moves up
and is told), moving and cancelling with a reason (audited; everyone registered is told), the
session's page with who is registered, and no deleting."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton

from academy import services as people
from academy.models import AuditEntry
from courses import services
from courses.models import Registration, WebinarSession
from tests.academy.factories import UserFactory
from tests.courses.factories import WebinarFactory
from tests.courses.webinars import UK, UTC, make_session

pytestmark = pytest.mark.django_db

STARTS = datetime(2026, 6, 16, 14, tzinfo=UK)


@pytest.fixture
def session(catalogue, clock):
    return make_session(catalogue, starts_at=STARTS, capacity=2, title="Remedies in practice")


def url(name, *args):
    return reverse(f"webinar_sessions:{name}", args=args)


def test_trainers_and_administrators_reach_sessions_and_others_do_not(
    client, trainer, administrator, learner, session
):
    for allowed in (trainer, administrator):
        client.force_login(allowed)
        for address in (
            url("index"),
            url("add"),
            url("edit", session.pk),
            url("inspect", session.pk),
        ):
            assert client.get(address).status_code == 200, address
        assert client.get(url("move", session.pk)).status_code == 200
        assert client.get(url("cancel", session.pk)).status_code == 200
    for group in (people.ASSESSORS, people.ANALYSTS):
        client.force_login(UserFactory(groups=[group], mfa=True))
        for address in (url("index"), url("inspect", session.pk), url("move", session.pk)):
            assert client.get(address).status_code in (302, 403), address
        assert client.post(url("cancel", session.pk), {"reason": "x"}).status_code in (302, 403)
    client.force_login(learner)
    assert client.get(url("index")).status_code == 403
    session.refresh_from_db()
    assert not session.is_cancelled


def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, staff_groups, session):
    client.force_login(UserFactory(groups=[people.TRAINERS]))
    response = client.get(url("index"))
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"]


def test_the_list_shows_places_and_waiting_by_webinar(trainer_client, session, catalogue):
    other = make_session(catalogue, starts_at=STARTS + timedelta(days=1), title="Apologies")
    for _ in range(3):
        services.register(session=session, user=UserFactory())
    html = trainer_client.get(url("index")).content.decode()
    assert "Remedies in practice" in html and "Apologies" in html
    assert "Tue 16 Jun 2026, 14:00" in html
    assert "2 of 2" in html
    html = trainer_client.get(url("index"), {"webinar": other.webinar.pk}).content.decode()
    assert "Apologies" in html
    assert "Tue 16 Jun 2026, 14:00" not in html


def test_adding_a_session_takes_uk_time(trainer_client, catalogue, clock):
    webinar = WebinarFactory(parent=catalogue, title="Explaining decisions")
    response = trainer_client.post(
        url("add"),
        {
            "webinar": webinar.pk,
            "day": "2026-10-25",
            "time": "10:00",
            "duration_minutes": "90",
            "capacity": "30",
            "meeting_url": "https://meet.example.org/j/99",
            "presenters": "Daniel Brennan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = WebinarSession.objects.get(webinar=webinar, duration_minutes=90)
    assert session.starts_at == datetime(2026, 10, 25, 10, tzinfo=UTC)  # GMT again that day
    assert response["Location"] == url("inspect", session.pk)
    assert (session.capacity, session.presenters, session.sequence) == (30, "Daniel Brennan", 0)


def test_adding_a_session_in_the_past_or_in_a_skipped_hour_is_refused(
    trainer_client, catalogue, clock
):
    webinar = WebinarFactory(parent=catalogue)
    before = WebinarSession.objects.count()
    for day, at, words in [
        ("2026-05-01", "10:00", "Choose a date and time in the future."),
        ("2027-03-28", "01:15", "does not happen on 28 March 2027"),
    ]:
        response = trainer_client.post(
            url("add"),
            {
                "webinar": webinar.pk,
                "day": day,
                "time": at,
                "duration_minutes": "60",
                "capacity": "30",
                "meeting_url": "",
                "presenters": "",
            },
        )
        assert response.status_code == 200
        assert words in response.content.decode()
    assert WebinarSession.objects.count() == before


def test_more_places_move_the_list_up_and_fewer_than_taken_is_refused(
    trainer_client, session, mailoutbox, django_capture_on_commit_callbacks
):
    people_ = [UserFactory(full_name=f"Person {n}") for n in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people_:
            services.register(session=session, user=person)
    mailoutbox.clear()
    form = {"capacity": "3", "meeting_url": "https://meet.example.org/j/new", "presenters": "Nia"}
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(url("edit", session.pk), form, follow=True)
    html = response.content.decode()
    assert "1 from the waiting list now have places and are being told: Person 2." in html
    assert Registration.objects.get(user=people_[2]).status == Registration.Status.PLACE
    assert [m.to for m in mailoutbox] == [[people_[2].email]]

    response = trainer_client.post(url("edit", session.pk), {**form, "capacity": "2"})
    assert response.status_code == 200
    assert (
        "3 people have places, so the session needs at least 3 places." in response.content.decode()
    )
    session.refresh_from_db()
    assert session.capacity == 3


def test_the_sessions_page_lists_who_has_a_place_and_who_is_waiting(trainer_client, session):
    names = ["Ann Place", "Ben Place", "Cat Waiting", "Dev Waiting"]
    for name in names:
        services.register(session=session, user=UserFactory(full_name=name))
    services.cancel_registration(registration=Registration.objects.get(user__full_name="Ben Place"))
    html = trainer_client.get(url("inspect", session.pk)).content.decode()
    places = html.split("With a place (2)")[1].split("Waiting list (1)")[0]
    assert "Ann Place" in places and "Cat Waiting" in places
    waiting = html.split("Waiting list (1)")[1].split("Cancelled their registration")[0]
    assert "Dev Waiting" in waiting
    assert "Ben Place" in html.split("Cancelled their registration (1)")[1]
    assert url("move", session.pk) in html and url("cancel", session.pk) in html


def test_moving_raises_the_sequence_keeps_the_uid_and_is_audited(
    trainer_client, trainer, session, mailoutbox, django_capture_on_commit_callbacks
):
    uid = session.uid
    with django_capture_on_commit_callbacks(execute=True):
        services.register(session=session, user=UserFactory(email="a@example.org"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(
            url("move", session.pk),
            {"day": "2026-06-18", "time": "10:30", "duration_minutes": "60", "reason": "A clash."},
            follow=True,
        )
    assert "The session now starts on Thursday 18 June 2026 at 10:30 (UK time)." in (
        response.content.decode()
    )
    session.refresh_from_db()
    assert session.starts_at == datetime(2026, 6, 18, 10, 30, tzinfo=UK)
    assert (session.uid, session.sequence) == (uid, 1)
    entry = AuditEntry.objects.get(action="webinar_session.moved")
    assert entry.actor == trainer
    assert entry.reason == "A clash."
    assert datetime.fromisoformat(entry.details["previous_starts_at"]) == STARTS
    assert [m.to for m in mailoutbox] == [["a@example.org"]]


def test_moving_needs_a_reason_and_a_new_time(trainer_client, session):
    same = {"day": "2026-06-16", "time": "14:00", "duration_minutes": "60", "reason": "x"}
    html = trainer_client.post(url("move", session.pk), same).content.decode()
    assert "That is the session&#x27;s date, time and length already." in html
    html = trainer_client.post(url("move", session.pk), {**same, "reason": ""}).content.decode()
    assert "This field is required." in html
    session.refresh_from_db()
    assert session.sequence == 0


def test_cancelling_is_audited_tells_everyone_and_ends_the_buttons(
    trainer_client, trainer, session, mailoutbox, django_capture_on_commit_callbacks
):
    services.register(session=session, user=UserFactory(email="a@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        trainer_client.post(url("cancel", session.pk), {"reason": "The presenter is unwell."})
    session.refresh_from_db()
    assert session.is_cancelled and session.sequence == 1
    assert session.cancel_reason == "The presenter is unwell."
    entry = AuditEntry.objects.get(action="webinar_session.cancelled")
    assert (entry.actor, entry.reason) == (trainer, "The presenter is unwell.")
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    html = trainer_client.get(url("inspect", session.pk)).content.decode()
    assert "Cancelled: The presenter is unwell." in html
    assert url("move", session.pk) not in html
    # Cancelling again, or moving now, says why not and changes nothing.
    html = trainer_client.post(url("cancel", session.pk), {"reason": "again"}).content.decode()
    assert "This session has been cancelled already." in html
    assert AuditEntry.objects.filter(action="webinar_session.cancelled").count() == 1


def test_nobody_deletes_a_session(client, administrator, session):
    client.force_login(administrator)
    assert client.post(url("delete", session.pk)).status_code in (302, 403)
    assert WebinarSession.objects.filter(pk=session.pk).exists()


def test_other_apps_add_buttons_to_a_sessions_page(trainer_client, session):
    def register_button(request, session):
        return [HeaderButton("Attendance register", url=f"/register/{session.pk}/")]

    with hooks.register_temporarily("register_webinar_session_buttons", register_button):
        html = trainer_client.get(url("inspect", session.pk)).content.decode()
    assert "Attendance register" in html
    assert f"/register/{session.pk}/" in html
