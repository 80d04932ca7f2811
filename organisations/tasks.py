"""Celery tasks: each takes ids, calls one service and does nothing when the work is done."""

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
def send_invitations(invitation_ids: list[int]) -> int:
    """E-mail each invitation in the chunk that is open and not yet sent; returns how many were
    sent. Running it again sends nothing twice (services.send_invitation)."""
    return sum(services.send_invitation(invitation_id=pk) for pk in invitation_ids)


@shared_task
def sweep_unsent_invitations() -> int:
    """Beat, every few minutes: queue again the e-mails of invitations that never went."""
    return services.sweep_unsent_invitations()
