from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Delete the expired sessions (Celery beat, nightly). Sessions are written through to the
    database (SESSION_ENGINE cached_db), which otherwise keeps every one that has expired; the
    cached copies expire by themselves. Idempotent: a second run finds nothing to delete."""
    call_command("clearsessions")
