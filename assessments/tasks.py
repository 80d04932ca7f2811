from celery import shared_task

from . import services


@shared_task(acks_late=True)
def finalise_overdue_attempts() -> int:
    """Finalise open attempts whose time is up; idempotent, so overlapping runs are harmless."""
    return services.finalise_overdue_attempts()
