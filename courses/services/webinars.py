"""Registering for webinar sessions: a place while there is one, the waiting list after, and
places passed down the list in order as they free up.

Every change locks the session's row first, so registrations for one session happen one after
another whatever the number arriving at once: the count of places taken is read and written
under the lock, and never passes the capacity (tests/courses/test_registration_races.py).

Each change queues its e-mail to the people concerned once committed (courses.tasks; the
sending is in .webinar_mail).
"""

from django.db import transaction
from django.utils import timezone

from academy.queueing import enqueue

from ..errors import RegistrationError
from ..models import Registration, WebinarSession

TAKEN = (Registration.Status.PLACE, Registration.Status.WAITING)

CONFIRMATION_TASK = "courses.tasks.send_confirmation"
PLACE_GIVEN_TASK = "courses.tasks.send_place_given"
CANCELLATION_TASK = "courses.tasks.send_cancellation"


def _queue_on_commit(task: str, registration_ids: list[int]) -> None:
    """Queue the e-mail task for each registration once the change is committed, so no e-mail
    tells of a change that was rolled back."""

    def queue():
        for pk in registration_ids:
            enqueue(task, pk)

    if registration_ids:
        transaction.on_commit(queue)


def lock_session(session: WebinarSession) -> WebinarSession:
    return WebinarSession.objects.select_for_update().get(pk=session.pk)


@transaction.atomic
def register(*, session: WebinarSession, user) -> Registration:
    """Register `user` for the session: a place if one is free, otherwise the waiting list.
    Registering again while registered returns the registration they have."""
    session = lock_session(session)
    now = timezone.now()
    if session.cancelled_at is not None:
        raise RegistrationError("This session has been cancelled.")
    if session.starts_at <= now:
        raise RegistrationError("This session has started, so registration has closed.")
    current = Registration.objects.filter(session=session, user=user, status__in=TAKEN).first()
    if current is not None:
        return current
    has_place = places_left(session) > 0
    registration = Registration.objects.create(
        session=session,
        user=user,
        status=Registration.Status.PLACE if has_place else Registration.Status.WAITING,
        placed_at=now if has_place else None,
    )
    _queue_on_commit(CONFIRMATION_TASK, [registration.pk])
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration) -> list[Registration]:
    """Cancel the registration (a place or a place on the list), until the session starts. A
    freed place goes to the first on the waiting list. Cancelling again changes nothing.
    Returns the registrations that got a place from the list."""
    session = lock_session(registration.session)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return []
    if session.starts_at <= timezone.now():
        raise RegistrationError(
            "This session has started, so registrations can no longer be cancelled."
        )
    had_place = registration.status == Registration.Status.PLACE
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    _queue_on_commit(CANCELLATION_TASK, [registration.pk])
    return fill_places(session=registration.session) if had_place else []


def places_left(session: WebinarSession) -> int:
    taken = Registration.objects.filter(session=session, status=Registration.Status.PLACE).count()
    return max(session.capacity - taken, 0)


@transaction.atomic
def fill_places(*, session: WebinarSession) -> list[Registration]:
    """Give the free places to the waiting list, first come first served (after a cancellation,
    or when the capacity grows). Returns the registrations promoted."""
    session = lock_session(session)
    if session.cancelled_at is not None or session.starts_at <= timezone.now():
        return []
    free = places_left(session)
    if free == 0:
        return []
    promoted = list(
        Registration.objects.filter(session=session, status=Registration.Status.WAITING).order_by(
            "registered_at", "pk"
        )[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.PLACE
        registration.placed_at = now
    Registration.objects.bulk_update(promoted, ["status", "placed_at"])
    _queue_on_commit(PLACE_GIVEN_TASK, [registration.pk for registration in promoted])
    return promoted
