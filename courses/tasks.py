"""Celery tasks for webinar e-mails: each takes ids, calls one service and does nothing when the
work is done (the services check under a row lock), so running one twice sends nothing twice."""

from celery import shared_task
from kombu.exceptions import OperationalError

from . import services

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError, OperationalError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def send_confirmation(registration_id: int) -> bool:
    return services.send_confirmation(registration_id=registration_id)


@shared_task(**RETRY)
def send_place_given(registration_id: int) -> bool:
    return services.send_place_given(registration_id=registration_id)


@shared_task(**RETRY)
def send_cancellation(registration_id: int) -> bool:
    return services.send_cancellation(registration_id=registration_id)


@shared_task(**RETRY)
def send_session_change(
    registration_id: int, sequence: int | None = None, previous: str = "", reason: str = ""
) -> bool:
    return services.send_session_change(
        registration_id=registration_id, sequence=sequence, previous=previous, reason=reason
    )


@shared_task(**RETRY)
def send_reminder(registration_id: int, kind: str) -> bool:
    return services.send_reminder(registration_id=registration_id, kind=kind)


@shared_task
def send_webinar_reminders() -> int:
    """Beat, every five minutes: claim the reminders due (24 hours and 1 hour before a session)
    and queue one task each."""
    return services.queue_reminders()


@shared_task
def sweep_unsent_webinar_emails() -> int:
    """Beat, every few minutes: queue again the registration and recording e-mails that never
    went."""
    return services.sweep_unsent_emails()


@shared_task(**RETRY)
def send_recording_notices(recording_id: int) -> int:
    return services.send_recording_notices(recording_id=recording_id)
