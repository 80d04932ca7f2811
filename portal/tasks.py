from celery import shared_task

from .national_refresh import refresh_national_figures


@shared_task
def refresh_national_figures_task() -> None:
    """Count the national figures again (Celery beat, every 15 minutes). Idempotent: it rebuilds
    the whole aggregate, and a second run at the same time waits for the first."""
    refresh_national_figures()
