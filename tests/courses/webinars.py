"""Helpers for the webinar tests: a clock pinned to a moment, a session at a given time, and the
calendar entry read back out of an e-mail."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from tests.courses.factories import WebinarFactory

UK = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


class Clock:
    """timezone.now() held at `now` until moved: the tests say what time it is."""

    def __init__(self, monkeypatch, now: datetime):
        self.now = now
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def make_session(catalogue, *, starts_at, capacity=100, title=None, **fields):
    extra = {"title": title} if title else {}
    webinar = WebinarFactory(parent=catalogue, starts_at=starts_at, **extra)
    session = webinar.sessions.get()
    session.capacity = capacity
    for name, value in fields.items():
        setattr(session, name, value)
    session.save()
    return session


def calendar_part(message):
    """(method on the MIME part, the parsed calendar) of the e-mail's .ics attachment."""
    parts = [
        part for part in message.message().walk() if part.get_content_type() == "text/calendar"
    ]
    assert len(parts) == 1, f"expected one calendar attachment, found {len(parts)}"
    part = parts[0]
    assert part.get_filename().endswith(".ics")
    return part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))


def the_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]
