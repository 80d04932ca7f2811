"""What trainers do to webinar sessions: add one, change its places, link or presenters, move it
or cancel it. Each change locks the session's row, as registering does, so no registration
slips in between a check and the change; moving and cancelling are audited and everyone with a
place or on the waiting list is told, with a calendar entry that updates theirs (same UID, the
SEQUENCE raised)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from academy import audit

from ..errors import RegistrationError
from ..models import LONGEST_SESSION, Registration, WebinarSession
from .webinar_mail import queue_session_change
from .webinars import fill_places, lock_session

MOVED = "webinar_session.moved"
CANCELLED = "webinar_session.cancelled"


def _check_time(*, starts_at: datetime, duration_minutes: int) -> None:
    if starts_at <= timezone.now():
        raise RegistrationError("Choose a date and time in the future.")
    if not 1 <= duration_minutes <= LONGEST_SESSION.total_seconds() // 60:
        raise RegistrationError(
            f"A session lasts from 1 minute to {LONGEST_SESSION.total_seconds() // 3600:.0f} hours."
        )


def _places_taken(session: WebinarSession) -> int:
    return Registration.objects.filter(session=session, status=Registration.Status.PLACE).count()


@transaction.atomic
def create_session(
    *,
    webinar,
    starts_at: datetime,
    duration_minutes: int,
    capacity: int,
    meeting_url: str = "",
    presenters: str = "",
) -> WebinarSession:
    """A new session of the webinar, open for registration at once."""
    _check_time(starts_at=starts_at, duration_minutes=duration_minutes)
    session = WebinarSession(
        webinar=webinar,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        capacity=capacity,
        meeting_url=meeting_url,
        presenters=presenters,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def update_session(
    *, session: WebinarSession, capacity: int, meeting_url: str, presenters: str
) -> list[Registration]:
    """Change the places, the link or the presenters. More places go to the waiting list in
    order, and each person promoted is told; fewer than the places already taken is refused.
    Returns the registrations promoted."""
    session = lock_session(session)
    if session.is_cancelled:
        raise RegistrationError("This session has been cancelled, so it cannot be changed.")
    taken = _places_taken(session)
    if capacity < taken:
        raise RegistrationError(
            f"{taken} people have places, so the session needs at least {taken} places. "
            "Cancel registrations first if you must have fewer."
        )
    session.capacity = capacity
    session.meeting_url = meeting_url
    session.presenters = presenters
    session.full_clean()
    session.save(update_fields=["capacity", "meeting_url", "presenters"])
    return fill_places(session=session)


@transaction.atomic
def move_session(
    *, session: WebinarSession, starts_at: datetime, duration_minutes: int, reason: str, by
) -> WebinarSession:
    """Give the session a new time (and length). Its calendar UID stays and its SEQUENCE goes
    up; reminders are due again for the new time; everyone registered gets the new time with
    an updated calendar entry. Audited with the reason."""
    session = lock_session(session)
    reason = reason.strip()
    if session.is_cancelled:
        raise RegistrationError("This session has been cancelled, so it cannot be moved.")
    if session.starts_at <= timezone.now():
        raise RegistrationError("This session has started, so it cannot be moved.")
    if not reason:
        raise RegistrationError("Say why the session is moving: the people registered are told.")
    _check_time(starts_at=starts_at, duration_minutes=duration_minutes)
    if starts_at == session.starts_at and duration_minutes == session.duration_minutes:
        raise RegistrationError("That is the session's date, time and length already.")
    previous = session.starts_at
    previous_minutes = session.duration_minutes
    session.starts_at = starts_at
    session.duration_minutes = duration_minutes
    session.sequence += 1
    session.save(update_fields=["starts_at", "duration_minutes", "sequence"])
    Registration.objects.filter(session=session).update(
        reminded_day_before_at=None, reminded_hour_before_at=None
    )
    audit.record(
        actor=by,
        action=MOVED,
        target=session,
        reason=reason,
        previous_starts_at=previous.isoformat(),
        previous_duration_minutes=previous_minutes,
        starts_at=starts_at.isoformat(),
        duration_minutes=duration_minutes,
        sequence=session.sequence,
    )
    queue_session_change(session=session, previous=previous.isoformat(), reason=reason)
    return session


@transaction.atomic
def cancel_session(*, session: WebinarSession, reason: str, by) -> WebinarSession:
    """Cancel the session: nobody can register, everyone registered is told, with a calendar
    entry that takes it out of their calendar. Registrations stay as they were, as the record of
    who was due to come. Audited with the reason."""
    session = lock_session(session)
    reason = reason.strip()
    if session.is_cancelled:
        raise RegistrationError("This session has been cancelled already.")
    if session.starts_at <= timezone.now():
        raise RegistrationError("This session has started, so it cannot be cancelled.")
    if not reason:
        raise RegistrationError("Say why the session is cancelled: the people registered are told.")
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "cancel_reason", "sequence"])
    audit.record(
        actor=by,
        action=CANCELLED,
        target=session,
        reason=reason,
        starts_at=session.starts_at.isoformat(),
        sequence=session.sequence,
    )
    queue_session_change(session=session)
    return session
