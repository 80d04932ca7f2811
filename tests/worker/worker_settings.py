"""Settings for a Celery worker that a test runs in a process of its own (WorkerProcess).

The test settings, pointed at the running test's database, broker, files and signing key (passed
in the environment), with e-mail written to files the test reads, and a visibility timeout of
seconds instead of an hour so that a killed worker's message comes back while the test waits.
"""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import STORAGES

CELERY_BROKER_URL = os.environ["CELERY_TEST_BROKER_URL"]
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = False
# kombu looks for messages held too long every second (interval 1, not throttled) rather than
# every 100 seconds, so one comes back soon after the visibility timeout. Each look holds a lock
# in Redis; a worker killed while holding it would block every other worker's looks until the
# lock expires (five minutes by default), so here it expires after two seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ["ACADEMY_TEST_VISIBILITY_TIMEOUT"]),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "unacked_mutex_expire": 2,
}

MEDIA_ROOT = os.environ["ACADEMY_TEST_MEDIA_ROOT"]
PRIVATE_MEDIA_ROOT = os.environ["ACADEMY_TEST_PRIVATE_MEDIA_ROOT"]
STORAGES = {
    **STORAGES,
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
ACADEMY_SIGNING_KEY_FILE = os.environ["ACADEMY_TEST_SIGNING_KEY_FILE"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["ACADEMY_TEST_MAIL_DIR"]
