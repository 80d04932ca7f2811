"""Reminders 24 hours and 1 hour before a session, to people with a place, each once: the beat
claims a reminder by setting its timestamp under a lock on the row, in the transaction that
queues the e-mail, so running the beat again (or two at once) sends nothing twice."""

from datetime import datetime, timedelta

import pytest

from courses import services
from courses.models import Registration
from tests.academy.factories import UserFactory
from tests.courses.webinars import UK, make_session

pytestmark = pytest.mark.django_db

STARTS = datetime(2026, 6, 16, 14, tzinfo=UK)


@pytest.fixture
def session(catalogue, clock):
    clock.set(STARTS - timedelta(days=5))
    return make_session(catalogue, starts_at=STARTS, capacity=2, title="Remedies in practice")


@pytest.fixture
def beat(django_capture_on_commit_callbacks):
    """One run of the beat's task, with the e-mails it queues sent."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return services.queue_reminders()

    return run


def subjects(mailoutbox):
    return sorted(
        (m.to[0], m.subject.split(":")[0].removeprefix("[PHSO Academy] ")) for m in mailoutbox
    )


def test_each_reminder_goes_once_to_people_with_a_place(session, clock, beat, mailoutbox):
    services.register(session=session, user=UserFactory(email="a@example.org"))
    services.register(session=session, user=UserFactory(email="b@example.org"))
    services.register(session=session, user=UserFactory(email="waiting@example.org"))

    clock.set(STARTS - timedelta(hours=25))
    assert beat() == 0
    clock.set(STARTS - timedelta(hours=24))
    assert beat() == 2
    assert beat() == 0  # the same beat again: nothing twice
    clock.advance(minutes=5)
    assert beat() == 0
    assert subjects(mailoutbox) == [("a@example.org", "Tomorrow"), ("b@example.org", "Tomorrow")]
    message = mailoutbox[0]
    assert "you have a place at the webinar" in message.body
    assert "Tuesday 16 June 2026 at 14:00 to 15:00, UK time" in message.body
    assert not [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]

    mailoutbox.clear()
    clock.set(STARTS - timedelta(minutes=55))
    assert beat() == 2
    assert beat() == 0
    assert subjects(mailoutbox) == [
        ("a@example.org", "Starting in an hour"),
        ("b@example.org", "Starting in an hour"),
    ]
    clock.set(STARTS + timedelta(minutes=1))
    assert beat() == 0
    assert Registration.objects.filter(reminded_hour_before_at__isnull=False).count() == 2


def test_a_beat_that_was_down_sends_only_the_reminder_now_due(session, clock, beat, mailoutbox):
    services.register(session=session, user=UserFactory(email="a@example.org"))
    clock.set(STARTS - timedelta(minutes=40))
    assert beat() == 1
    assert subjects(mailoutbox) == [("a@example.org", "Starting in an hour")]


def test_no_reminder_for_a_place_given_after_its_moment(session, clock, beat, mailoutbox):
    """Given a place from the list 10 hours before: they were just told, so no "tomorrow"."""
    holder = services.register(session=session, user=UserFactory())
    services.register(session=session, user=UserFactory())
    late = services.register(session=session, user=UserFactory(email="late@example.org"))
    clock.set(STARTS - timedelta(hours=10))
    services.cancel_registration(registration=holder)
    late.refresh_from_db()
    assert late.status == Registration.Status.PLACE
    clock.set(STARTS - timedelta(hours=9))
    beat()
    assert "late@example.org" not in [m.to[0] for m in mailoutbox]
    clock.set(STARTS - timedelta(minutes=30))
    beat()
    assert ("late@example.org", "Starting in an hour") in subjects(mailoutbox)


def test_cancelled_places_and_sessions_get_no_reminder(session, clock, beat, mailoutbox):
    gone = services.register(session=session, user=UserFactory())
    services.register(session=session, user=UserFactory())
    services.cancel_registration(registration=gone)
    services.cancel_session(session=session, reason="Called off.", by=None)
    clock.set(STARTS - timedelta(hours=23))
    assert beat() == 0
    assert mailoutbox == []


def test_a_reminder_claimed_but_no_longer_true_is_not_sent(session, clock, mailoutbox):
    """Claimed by the beat, then the person cancelled before the worker got to it."""
    registration = services.register(session=session, user=UserFactory())
    clock.set(STARTS - timedelta(hours=23))
    assert services.queue_reminders() == 1  # on-commit callbacks not run: queued, not sent
    services.cancel_registration(registration=registration)
    assert services.send_reminder(registration_id=registration.pk, kind="reminder_day") is False
    assert mailoutbox == []


def test_a_moved_session_is_reminded_again_for_its_new_time(session, clock, beat, mailoutbox):
    services.register(session=session, user=UserFactory(email="a@example.org"))
    clock.set(STARTS - timedelta(hours=23))
    assert beat() == 1
    services.move_session(
        session=session,
        starts_at=STARTS + timedelta(days=7),
        duration_minutes=60,
        reason="A clash.",
        by=None,
    )
    clock.set(STARTS + timedelta(days=6, hours=1))
    assert beat() == 1
    assert [s for _, s in subjects(mailoutbox)] == ["Tomorrow", "Tomorrow"]
