"""The site as config.settings.base configures it, with only what a local run needs changed.

Not config.settings.production, which refuses to start without real secrets and forces HTTPS.
The database comes from DATABASE_URL, which bench.harness points at the runner's own database, so
the connection settings (CONN_MAX_AGE, health checks) are base's.
"""

from pathlib import Path
from tempfile import gettempdir

from config.settings.base import *  # noqa: F403
from config.settings.base import EMAIL_FILE_PATH, env

DEBUG = False
SECRET_KEY = "bench-only-not-secret-" + "x" * 40  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# bench.urls adds the bare view that every page is compared with.
ROOT_URLCONF = "bench.urls"

# Certificates are signed as in production, with a key of the bench's own made on first use
# (bench.certificates points at one it made itself), so a pass costs what it costs there.
ACADEMY_SIGNING_KEY_FILE = env(
    "ACADEMY_SIGNING_KEY_FILE", default=str(Path(gettempdir()) / "academy-bench-signing-key")
)
ACADEMY_SIGNING_KEY_CREATE = True

# Every request comes from 127.0.0.1, so the verification page's per-address limit (60/m) would
# answer 429 within a second. The limiter still runs on every request.
ACADEMY_VERIFY_RATE = "1000000/m"

# The cache is shared by the workers in Redis, as in production (the page cache, rate limits and
# sessions' helpers live there), in a database of the bench's own that bench.harness empties first.
CACHES = {"default": env.cache("BENCH_CACHE_URL", default="redis://127.0.0.1:6379/11")}

# bench.certificates sends e-mail with the file back end (DJANGO_EMAIL_BACKEND) into its scratch
# folder, one folder per process group, instead of the repository's var/mail.
EMAIL_FILE_PATH = env("ACADEMY_BENCH_MAIL_DIR", default=str(EMAIL_FILE_PATH))
