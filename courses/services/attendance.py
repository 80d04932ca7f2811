"""Who attended a webinar session: marked in the register by a trainer, or matched from the
attendance report a meeting platform exports; and attendance marked by mistake, removed.

Each change locks the session's row first (as registering does), so two trainers marking the
same people at the same moment record each person once, and each person is announced once
(`webinar_attended`), in the transaction that recorded them.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from academy.audit import record

from .. import signals
from ..errors import AttendanceError
from ..models import Attendance, WebinarSession


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y \\a\\t H:i")


def attendance_refusal(*, session: WebinarSession, now=None) -> str:
    """Why attendance at the session cannot be recorded now, or "" when it can: not before the
    session starts, and never for a cancelled one."""
    now = now or timezone.now()
    if session.cancelled_at is not None:
        return "This session was cancelled, so nobody can be marked as attending it."
    if session.starts_at > now:
        return (
            f"Attendance can be recorded once the session has started, on "
            f"{_when(session.starts_at)}."
        )
    return ""


def _locked(session: WebinarSession) -> WebinarSession:
    return WebinarSession.objects.select_for_update().select_related("webinar").get(pk=session.pk)


@transaction.atomic
def record_attendance(
    *,
    session: WebinarSession,
    users,
    by,
    source: str,
    minutes: dict[int, int] | None = None,
) -> list[Attendance]:
    """Record that `users` attended the session, marked by `by` in the register or from an
    attendance report (`source`), with each one's minutes from the report (by user id) where
    known. People already marked keep the record they have: recording again changes nothing
    and announces nothing. Returns the new attendances."""
    if source not in Attendance.Source.values:
        raise AttendanceError(f"“{source}” is not a way attendance is recorded.")
    session = _locked(session)
    refusal = attendance_refusal(session=session)
    if refusal:
        raise AttendanceError(refusal)
    people = {user.pk: user for user in users}
    already = set(
        Attendance.objects.filter(session=session, user_id__in=list(people)).values_list(
            "user_id", flat=True
        )
    )
    minutes = minutes or {}
    new = [
        Attendance(
            session=session,
            user=user,
            source=source,
            minutes=minutes.get(pk),
            recorded_by=by,
        )
        for pk, user in people.items()
        if pk not in already
    ]
    if not new:
        return []
    Attendance.objects.bulk_create(new, batch_size=1000)
    # One entry for the whole recording (a report may name hundreds), naming everyone in it.
    record(
        actor=by,
        action="webinar.attendance_recorded",
        target=session,
        source=source,
        people=[attendance.user_id for attendance in new],
    )
    signals.webinar_attended.send(sender=WebinarSession, session=session, attendances=new, by=by)
    return new


@transaction.atomic
def remove_attendance(*, session: WebinarSession, user, by, reason: str) -> bool:
    """Take back attendance marked by mistake, saying why (kept in the audit log with what was
    removed). Whether there was any to remove. What attending earned is undone by its owners
    as far as it can be (docs/webinar-attendance.md)."""
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError("Say why the attendance is being removed.")
    session = _locked(session)
    attendance = Attendance.objects.filter(session=session, user=user).first()
    if attendance is None:
        return False
    attendance.delete()
    record(
        actor=by,
        action="webinar.attendance_removed",
        target=session,
        reason=reason,
        person=user.pk,
        email=user.email,
        source=attendance.source,
        minutes=attendance.minutes,
        recorded_by=attendance.recorded_by_id,
        recorded_at=attendance.recorded_at.isoformat(),
    )
    signals.webinar_attendance_removed.send(
        sender=WebinarSession, session=session, user=user, by=by, reason=reason
    )
    return True
