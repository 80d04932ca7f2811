"""The e-mails about registrations, each with its calendar entry: a place, a waiting-list place,
a place from the list, the person's own cancellation, a moved session and a cancelled one. One
event per session (UID the session's, SEQUENCE the session's), REQUEST for places and CANCEL
for cancellations; each e-mail sent once, however often its task runs; and the sweep sends
those a broker that was down never took."""

from datetime import datetime, timedelta

import pytest

from courses import services
from courses.models import Registration
from tests.academy.factories import UserFactory
from tests.courses.webinars import UK, UTC, calendar_part, make_session, the_event

pytestmark = pytest.mark.django_db

STARTS = datetime(2026, 6, 16, 14, tzinfo=UK)


@pytest.fixture
def session(catalogue, clock):
    return make_session(
        catalogue, starts_at=STARTS, capacity=1, title="Remedies in practice", presenters="Nia"
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and the tasks it queues on commit (eagerly, as a worker would)."""

    def run(change, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(**kwargs)

    return run


def only(mailoutbox, email):
    found = [message for message in mailoutbox if message.to == [email]]
    assert len(found) == 1, [m.subject for m in found]
    return found[0]


def test_a_place_is_confirmed_with_a_calendar_invitation(session, committed, mailoutbox):
    learner = UserFactory(full_name="Priya Sharma", email="priya@example.org")
    registration = committed(services.register, session=session, user=learner)
    message = only(mailoutbox, "priya@example.org")
    assert message.subject == (
        "[PHSO Academy] Your place: Remedies in practice, Tuesday 16 June 2026 at 14:00"
    )
    assert "You have a place at the webinar" in message.body
    assert "from Tuesday 16 June 2026 at 13:45 (15 minutes before the start)" in message.body
    assert f"http://testserver{session.webinar.url}" in message.body
    assert message.alternatives[0][1] == "text/html"

    method, calendar = calendar_part(message)
    event = the_event(calendar)
    assert method == calendar["METHOD"] == "REQUEST"
    assert event["UID"] == str(session.uid)
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == "Remedies in practice"
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 6, 16, 13, tzinfo=UTC)
    assert str(event["ATTENDEE"]) == "mailto:priya@example.org"
    assert event["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
    assert str(event["ORGANIZER"]) == "mailto:academy@example.org"
    assert f"http://testserver{session.webinar.url}" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver{session.webinar.url}"

    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None
    assert registration.told_sequence == 0
    # Running the task again (a retry, the sweep) sends nothing more.
    assert services.send_confirmation(registration_id=registration.pk) is False
    assert len(mailoutbox) == 1


def test_a_waiting_list_place_is_confirmed_as_provisional(session, committed, mailoutbox):
    services.register(session=session, user=UserFactory())
    committed(services.register, session=session, user=UserFactory(email="wait@example.org"))
    message = only(mailoutbox, "wait@example.org")
    assert message.subject.startswith("[PHSO Academy] On the waiting list: Remedies in practice")
    assert "you are on its waiting list, at number 1" in message.body
    method, calendar = calendar_part(message)
    event = the_event(calendar)
    assert method == "REQUEST"
    assert event["STATUS"] == "TENTATIVE"
    assert event["ATTENDEE"].params["PARTSTAT"] == "TENTATIVE"


def test_a_cancellation_withdraws_the_entry_and_the_next_person_is_told(
    session, committed, mailoutbox
):
    first = committed(services.register, session=session, user=UserFactory(email="a@example.org"))
    committed(services.register, session=session, user=UserFactory(email="b@example.org"))
    mailoutbox.clear()

    committed(services.cancel_registration, registration=first)

    cancelled = only(mailoutbox, "a@example.org")
    assert cancelled.subject.startswith("[PHSO Academy] Cancelled as you asked: Remedies")
    method, calendar = calendar_part(cancelled)
    assert method == calendar["METHOD"] == "CANCEL"
    assert the_event(calendar)["STATUS"] == "CANCELLED"
    assert the_event(calendar)["UID"] == str(session.uid)

    given = only(mailoutbox, "b@example.org")
    assert given.subject.startswith("[PHSO Academy] A place has come up for you: Remedies")
    method, calendar = calendar_part(given)
    assert method == "REQUEST"
    assert the_event(calendar)["STATUS"] == "CONFIRMED"
    assert the_event(calendar)["UID"] == str(session.uid)

    promoted = Registration.objects.get(user__email="b@example.org")
    assert services.send_place_given(registration_id=promoted.pk) is False
    assert services.send_cancellation(registration_id=first.pk) is False
    assert len(mailoutbox) == 2


def test_a_place_that_comes_before_the_confirmation_goes_is_told_once(
    session, committed, mailoutbox
):
    """Waiting, then given a place before any e-mail went: the confirmation says "a place"."""
    holder = services.register(session=session, user=UserFactory())
    waiting = services.register(session=session, user=UserFactory(email="b@example.org"))
    services.cancel_registration(registration=holder)  # nothing committed, nothing sent
    assert services.send_place_given(registration_id=waiting.pk) is False
    assert services.send_confirmation(registration_id=waiting.pk) is True
    assert services.send_place_given(registration_id=waiting.pk) is False
    assert only(mailoutbox, "b@example.org").subject.startswith("[PHSO Academy] Your place:")


def test_no_cancellation_is_sent_once_they_have_registered_again(session, committed, mailoutbox):
    """It would take the new entry, with the same UID, out of their calendar."""
    learner = UserFactory(email="again@example.org")
    first = services.register(session=session, user=learner)
    services.cancel_registration(registration=first)
    services.register(session=session, user=learner)
    assert services.send_cancellation(registration_id=first.pk) is False
    assert mailoutbox == []


def test_more_places_go_to_the_list_and_the_people_are_told(session, committed, mailoutbox):
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        committed(services.register, session=session, user=UserFactory(email=email))
    mailoutbox.clear()
    promoted = committed(
        services.update_session,
        session=session,
        capacity=2,
        meeting_url=session.meeting_url,
        presenters=session.presenters,
    )
    assert [r.user.email for r in promoted] == ["b@example.org"]
    assert [m.to for m in mailoutbox] == [["b@example.org"]]
    assert "A place has come up" in mailoutbox[0].subject


def test_a_move_sends_everyone_registered_the_new_time_in_the_same_event(
    session, committed, mailoutbox, administrator
):
    placed = committed(services.register, session=session, user=UserFactory(email="a@example.org"))
    committed(services.register, session=session, user=UserFactory(email="b@example.org"))
    gone = committed(services.register, session=session, user=UserFactory(email="c@example.org"))
    committed(services.cancel_registration, registration=gone)
    mailoutbox.clear()

    new_start = datetime(2026, 6, 18, 10, tzinfo=UK)
    committed(
        services.move_session,
        session=session,
        starts_at=new_start,
        duration_minutes=90,
        reason="The presenter is at a tribunal that day.",
        by=administrator,
    )

    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    message = only(mailoutbox, "a@example.org")
    assert message.subject == (
        "[PHSO Academy] New date and time: Remedies in practice, now Thursday 18 June 2026 at 10:00"
    )
    assert "(it was Tuesday 16 June 2026 at 14:00)" in message.body
    assert "Why: The presenter is at a tribunal that day." in message.body
    assert "Thursday 18 June 2026 at 10:00 to 11:30, UK time" in message.body
    method, calendar = calendar_part(message)
    event = the_event(calendar)
    assert method == "REQUEST"
    assert event["UID"] == str(session.uid)
    assert event["SEQUENCE"] == 1
    assert event.decoded("dtstart") == new_start
    waiting_event = the_event(calendar_part(only(mailoutbox, "b@example.org"))[1])
    assert waiting_event["STATUS"] == "TENTATIVE"
    assert waiting_event["SEQUENCE"] == 1

    placed.refresh_from_db()
    assert placed.told_sequence == 1
    assert (
        services.send_session_change(registration_id=placed.pk, sequence=1, previous="", reason="")
        is False
    )
    assert len(mailoutbox) == 2


def test_cancelling_a_session_tells_everyone_and_withdraws_the_entry(
    session, committed, mailoutbox, administrator
):
    committed(services.register, session=session, user=UserFactory(email="a@example.org"))
    committed(services.register, session=session, user=UserFactory(email="b@example.org"))
    mailoutbox.clear()
    committed(
        services.cancel_session,
        session=session,
        reason="Too few trainers are available.",
        by=administrator,
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    for message in mailoutbox:
        assert message.subject.startswith("[PHSO Academy] Session cancelled: Remedies")
        assert "Why: Too few trainers are available." in message.body
        method, calendar = calendar_part(message)
        event = the_event(calendar)
        assert method == calendar["METHOD"] == "CANCEL"
        assert event["STATUS"] == "CANCELLED"
        assert event["SEQUENCE"] == 1
        assert event["UID"] == str(session.uid)


def test_a_later_change_supersedes_an_earlier_one_not_yet_sent(
    session, committed, mailoutbox, administrator
):
    """Moved, then cancelled before the move's e-mail went: only the cancellation is sent."""
    registration = committed(services.register, session=session, user=UserFactory())
    mailoutbox.clear()
    services.move_session(
        session=session,
        starts_at=STARTS + timedelta(days=1),
        duration_minutes=60,
        reason="Clash.",
        by=administrator,
    )
    services.cancel_session(session=session, reason="Called off.", by=administrator)
    assert (
        services.send_session_change(
            registration_id=registration.pk, sequence=1, previous=STARTS.isoformat(), reason="x"
        )
        is False
    )
    assert services.send_session_change(registration_id=registration.pk, sequence=2) is True
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["[PHSO Academy] Session cancelled"]


def test_the_sweep_sends_what_a_broker_that_was_down_never_took(
    session, clock, mailoutbox, administrator
):
    """Nothing was queued (no commit callbacks ran); after the grace period the sweep queues
    each e-mail due, once."""
    placed = services.register(session=session, user=UserFactory(email="a@example.org"))
    services.register(session=session, user=UserFactory(email="b@example.org"))
    gone = services.register(session=session, user=UserFactory(email="c@example.org"))
    services.cancel_registration(registration=gone)
    assert services.sweep_unsent_emails() == 0  # too recent: their tasks may still be queued

    clock.advance(minutes=10)
    assert services.sweep_unsent_emails() == 3
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mailoutbox) == [
        ("a@example.org", "[PHSO Academy] Your place"),
        ("b@example.org", "[PHSO Academy] On the waiting list"),
        ("c@example.org", "[PHSO Academy] Cancelled as you asked"),
    ]
    services.move_session(
        session=session,
        starts_at=STARTS + timedelta(days=1),
        duration_minutes=60,
        reason="Clash.",
        by=administrator,
    )
    mailoutbox.clear()
    assert services.sweep_unsent_emails() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    assert all("New date and time" in m.subject for m in mailoutbox)
    assert services.sweep_unsent_emails() == 0
    placed.refresh_from_db()
    assert placed.told_sequence == 1


def test_a_confirmation_retried_after_the_session_began_is_not_sent(
    session, clock, mailoutbox, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        registration = services.register(session=session, user=learner)
    clock.set(STARTS + timedelta(minutes=5))
    assert services.send_confirmation(registration_id=registration.pk) is False
    assert mailoutbox == []
