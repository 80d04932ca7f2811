"""Queueing Celery tasks after a commit, for every app's services."""

import logging

from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task: str, *args) -> bool:
    """Queue the task at dotted path `task` ("certificates.tasks.email_certificate"); True if it
    was queued. A broker that cannot be reached is logged, never raised.

    Called from `transaction.on_commit`, after the work it follows has committed, so a failure here
    must not reach the user as an error: each app's periodic sweep queues the task again later.
    The task is named by path because the tasks modules import the services that call this.
    """
    try:
        import_string(task).delay(*args)
    except (OperationalError, OSError):
        logger.exception(
            "Could not queue %s%r; the periodic sweep will queue it again.", task, args
        )
        return False
    return True
