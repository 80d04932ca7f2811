"""Sessions that have started, with people registered, for the attendance tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from courses import services
from courses.models import Attendance, WebinarSession
from tests.courses.factories import WebinarFactory


def started_session(catalogue, *, hours_ago=2, duration_minutes=60, **webinar) -> WebinarSession:
    """A session of a new webinar that started `hours_ago` hours ago. People can only register
    before a session starts, so it is made in the future and moved back after registrations."""
    webinar.setdefault("cpd_hours", Decimal("1.5"))
    page = WebinarFactory(
        parent=catalogue,
        starts_at=timezone.now() - timedelta(hours=hours_ago),
        duration_minutes=duration_minutes,
        **webinar,
    )
    return page.sessions.get()


def register_before(session: WebinarSession, *people) -> None:
    """Register `people` for the session as if they did it before it started."""
    starts_at = session.starts_at
    WebinarSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + timedelta(days=1)
    )
    session.refresh_from_db()
    for person in people:
        services.register(session=session, user=person)
    WebinarSession.objects.filter(pk=session.pk).update(starts_at=starts_at)
    session.refresh_from_db()


def mark(session, people, by, **kwargs):
    kwargs.setdefault("source", Attendance.Source.REGISTER)
    return services.record_attendance(session=session, users=people, by=by, **kwargs)
