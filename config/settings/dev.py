"""One machine, nothing to install: SQLite, Celery tasks run in-process, e-mail saved to var/mail
and shown in the terminal without its attachments."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="config.mail.FolderEmailBackend")

# Demo staff accounts have no authenticator, so on a development machine the admin does not
# insist on MFA. Set ACADEMY_STAFF_MFA_REQUIRED=true to try the real flow.
ACADEMY_STAFF_MFA_REQUIRED = env.bool("ACADEMY_STAFF_MFA_REQUIRED", default=False)

# A signing key of its own for this machine, made on first use in var/ (never committed).
ACADEMY_SIGNING_KEY_FILE = env("ACADEMY_SIGNING_KEY_FILE", default=str(VAR_DIR / "signing-key"))
ACADEMY_SIGNING_KEY_CREATE = True

VAR_DIR.mkdir(exist_ok=True)
