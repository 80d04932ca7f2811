"""Settings for pytest: SQLite in memory unless DATABASE_URL names another database."""

import tempfile

from .base import *  # noqa: F403
from .base import STORAGES, env

SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}

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
STORAGES = {
    **STORAGES,
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
