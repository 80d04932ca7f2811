"""Settings for the benchmark: production-like (DEBUG off, whitenoise, PostgreSQL), runnable locally.

Extends academy.settings.base rather than production, which refuses to start without real secrets
and forces HTTPS. Everything here talks to 127.0.0.1 only.
"""

from academy.settings.base import *  # noqa: F403
from academy.settings.base import env

DEBUG = False
SECRET_KEY = "bench-only-not-secret-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"

DATABASES = {
    "default": env.db(
        "BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/academy_bench"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Same as production (base leaves it at Django's default, 0: a new connection per request) unless
# the bench is asked to compare with persistent connections (`--conn-max-age`).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("BENCH_CONN_MAX_AGE", default=0)

# Plain HTTP on the loopback interface: no HTTPS redirect, no secure-only cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Every benchmark request comes from 127.0.0.1, so the public verification page's per-address
# limit (60/m by default) would answer 429 after the first minute's worth. Raise it for the bench.
ACADEMY_VERIFY_RATE = "1000000/m"
ACCOUNT_RATE_LIMITS = False

# The demo's certificate PDF is queued on Celery's in-memory broker and never rendered: none of
# the benchmarked pages needs it, and it keeps the set-up fast.
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False
ACADEMY_STAFF_MFA_REQUIRED = True

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
