"""Celery tasks: each takes ids, loads, calls one service and does nothing when the work is done
(the services check under a row lock), so running one twice sends nothing twice."""

from celery import shared_task
from kombu.exceptions import OperationalError

from academy.queueing import enqueue

from . import services

RETRY = {
    "acks_late": True,
    "autoretry_for": (OSError, OperationalError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(**RETRY)
def send_assignment_reminder(personal_assignment_id: int, kind: str) -> bool:
    return services.send_reminder(personal_assignment_id=personal_assignment_id, kind=kind)


@shared_task
def send_assignment_reminders(assignment_id: int | None = None) -> int:
    """Beat, daily (and after an assignment is made or its date moves, for that one): queue one
    task per reminder due."""
    due = services.due_reminders(assignment_id=assignment_id)
    for personal_assignment_id, kind in due:
        enqueue("organisations.tasks.send_assignment_reminder", personal_assignment_id, kind)
    return len(due)


@shared_task
def refresh_assignments() -> int:
    """Beat, nightly: heal what a missed signal left behind (rows for people who joined or moved,
    learning finished but not recorded as meeting an assignment)."""
    return services.refresh_met()


@shared_task
def rebuild_trained_spans() -> int:
    """Beat, nightly: write every member's trained spans again from the rows (a change made
    around the models' signals, by SQL or a bulk write, is caught here)."""
    return services.rebuild_trained_spans()


@shared_task(**RETRY)
def send_invitations(invitation_ids: list[int]) -> int:
    """E-mail each invitation in the chunk that is open and not yet sent; returns how many were
    sent. Running it again sends nothing twice (services.send_invitation)."""
    return sum(services.send_invitation(invitation_id=pk) for pk in invitation_ids)


@shared_task
def sweep_unsent_invitations() -> int:
    """Beat, every few minutes: queue again the e-mails of invitations that never went."""
    return services.sweep_unsent_invitations()
