"""Settings for pytest: SQLite in memory unless DATABASE_URL names another database."""

import tempfile

from config.databases import database, pool_options

from .base import *  # noqa: F403
from .base import STORAGES, WAGTAILSEARCH_BACKENDS, env

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# On PostgreSQL the tests borrow connections from the same kind of pool as the site, so nothing
# passes here that needs a connection of its own for longer than a request. It is larger than the
# site's, so that the race tests (tests/races.py) still have ten racers in the database at once,
# and waits longer, for racers queued behind them on a busy machine; an xdist worker then keeps at
# most ten connections.
_pool = pool_options(env, min_size=1, max_size=10, timeout=60)
DATABASES = {
    "default": database(
        env("DATABASE_URL", default="sqlite://:memory:"), pool=_pool, conn_max_age=0
    ),
}
# The reports' replica is the test database itself (a mirror: nothing is created for it). Reports
# read from it only in the tests that say so (tests/academy/test_replica.py): another connection
# cannot see what a test wrote inside its own transaction.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
ACADEMY_REPORTS_DATABASE = "default"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
ACADEMY_STAFF_MFA_REQUIRED = True
ACADEMY_SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = ACADEMY_SITE_URL

_files = tempfile.mkdtemp(prefix="academy-test-")
MEDIA_ROOT = f"{_files}/media"
PRIVATE_MEDIA_ROOT = f"{_files}/private"
# Local disk, whatever the environment says: the tests on object storage start their own S3
# server and switch to it (tests/s3.py).
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
# A key made on first use in this run's scratch folder; tests that need their own use a fixture.
ACADEMY_SIGNING_KEY_FILE = f"{_files}/signing-key"
ACADEMY_SIGNING_KEY = ""
ACADEMY_SIGNING_KEY_CREATE = True
ACADEMY_ISSUER_DID_METHOD = "key"
ACCOUNT_RATE_LIMITS = False
ACADEMY_VERIFY_RATE = "1000/m"
# Scanning is off unless a test starts clamd (tests/accreditation/conftest.py) and names it.
ACADEMY_CLAMD_SOCKET = ""
ACADEMY_CLAMD_HOST = ""
# Tests see each page as it is made; tests/academy/test_page_cache.py turns the visitors' page
# cache on to test it, and the two-node test runs with it as production does.
ACADEMY_PAGE_CACHE_SECONDS = 0
# Nothing of ours searches Wagtail's index or reads its reference index (the admin's "usage"),
# and keeping both up to date on every save was 30% of the time the fixtures take to build a
# course's pages (45% on PostgreSQL), for tests that build pages by the thousand. The tests build
# pages without them; the reference index has no setting, so tests/conftest.py turns it off.
WAGTAILSEARCH_BACKENDS = {"default": {**WAGTAILSEARCH_BACKENDS["default"], "AUTO_UPDATE": False}}
