"""Settings shared by every environment; values that differ between machines come from it."""

import zoneinfo
from pathlib import Path

import environ
from celery.schedules import crontab

from config.databases import database, pool_options
from config.object_storage import ObjectStore

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "portal",
    "academy",
    "complaint_standards",
    "assessments",
    "courses",
    "accreditation",
    "certificates",
    "organisations",
    "feedback",
    "wagtailnhsukfrontend",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "academy.apps.AcademyUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # django-csp: its system checks (and template tags) alongside the middleware below.
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content Security Policy (settings at the foot of this file). Below WhiteNoise, whose static
    # files need none; above the rest, so that its pass over the response comes after theirs (it
    # reads the X-Frame-Options a view or XFrameOptionsMiddleware set).
    "academy.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "academy.middleware.StaffAreaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW's 429 page instead of a bare 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, so that everything above runs for a page served from the cache as for any other.
    "academy.page_cache.VisitorPageCacheMiddleware",
    "academy.page_cache.SignedInPrefetchMiddleware",
    "academy.page_cache.PageRouteCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "academy.context_processors.header",
            ],
        },
    },
]

# --- Database connections: the pool and the reports' read replica (issue 17) --------------------
# docs/operations.md, "Database connections and the read replica". On PostgreSQL each process
# keeps a psycopg pool: a request borrows a connection and gives it back when it ends, so a burst
# of threads waits for one of max_size connections instead of opening one each. The defaults suit
# a 2-core node: 5 sync gunicorn workers use one connection each, and a threaded server (runserver,
# gthread workers) at most 4 per process. DATABASE_POOL=off leaves pooling to PgBouncer.
_pool = pool_options(env, min_size=1, max_size=4, timeout=10)
# Without a pool (SQLite, or PgBouncer), keep connections open between requests: opening one per
# request cost a third of the verify page's throughput in bench/ (docs/benchmarks.md).
_connections = {
    "pool": _pool,
    "conn_max_age": env.int("DJANGO_CONN_MAX_AGE", default=60),
    # "off" behind PgBouncer in transaction mode.
    "server_side_cursors": env.bool("DATABASE_SERVER_SIDE_CURSORS", default=True),
}
DATABASES = {
    "default": database(
        env("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'academy.sqlite3'}"), **_connections
    ),
}
# An optional streaming replica of it, read by the national and organisations' reports only
# (academy/replica.py); everything else, and every write, stays on "default".
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = database(env("DATABASE_REPLICA_URL"), **_connections)
DATABASE_ROUTERS = ["academy.replica.ReportsRouter"]
ACADEMY_REPORTS_DATABASE = "replica" if "replica" in DATABASES else "default"
# --- end of database connections -----------------------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "academy.User"
# Django's and allauth's, remembering the signed-in person's row (academy/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "academy.auth_backends.ModelBackend",
    "academy.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail is the login, and it must be verified before the account is used.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "academy.forms.SignupDetailsForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[PHSO Academy] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_ADAPTER = "academy.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "academy.account_forms.LoginForm",
    "reset_password_from_key": "academy.account_forms.ResetPasswordKeyForm",
}
# A reset signs the learner in, so no lock-out on wrong passwords can keep them out of their own
# account (docs/decisions.md, "Wrong passwords"); staff still give their MFA code.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# An e-mail to the holder when their password, address or MFA changes (templates/account/email).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Sign-ins and sign-ups per client address may need raising for an exam day, when many learners
# reach us through one address (docs/scaling.md): set them without a release. academy.checks
# refuses a value that is not a rate.
ACCOUNT_RATE_LIMITS = {
    "login": env("ACADEMY_SIGN_IN_RATE", default="30/m/ip"),
    # The key is the address and the client's network together (academy.adapter).
    "login_failed": "10/m/ip,5/5m/key",
    # One address, from every network: 100 wrong passwords an hour.
    "login_failed_account": "100/h/key",
    "signup": env("ACADEMY_SIGN_UP_RATE", default="20/m/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a proxy every request comes from the proxy's address: say how many proxies add to
# X-Forwarded-For, so that limits per client address count each client.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# The verification pages' and exports' limits read the client's address the same way.
RATELIMIT_IP_META_KEY = "academy.adapter.client_ip"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "PHSO Academy"

# Staff (trainers, assessors, administrators) must set up MFA before they reach the admin.
ACADEMY_STAFF_MFA_REQUIRED = env.bool("ACADEMY_STAFF_MFA_REQUIRED", default=True)
# Public certificate verification: attempts per minute per client address.
ACADEMY_VERIFY_RATE = env("ACADEMY_VERIFY_RATE", default="60/m")
ACADEMY_SITE_URL = env("ACADEMY_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Signed credentials (docs/credentials.md). The private key comes from a file or from the
# environment, never from the database or the repository; its public key is recorded in the
# database so it stays published after a rotation.
ACADEMY_SIGNING_KEY_FILE = env("ACADEMY_SIGNING_KEY_FILE", default="")
ACADEMY_SIGNING_KEY = env("ACADEMY_SIGNING_KEY", default="")
# Development and tests make a key at ACADEMY_SIGNING_KEY_FILE the first time one is needed.
ACADEMY_SIGNING_KEY_CREATE = False
# "web": the issuer is did:web for ACADEMY_SITE_URL's host, its DID document served at
# /.well-known/did.json. "key": the issuer is the did:key of the key in use (no web server
# needed, so the default away from production).
ACADEMY_ISSUER_DID_METHOD = env("ACADEMY_ISSUER_DID_METHOD", default="key")
ACADEMY_ISSUER_NAME = env("ACADEMY_ISSUER_NAME", default="PHSO Academy")
# Largest credential file the public checking page accepts.
ACADEMY_CREDENTIAL_UPLOAD_MAX_BYTES = 256 * 1024

# Portfolio evidence (docs/accreditation.md, "Portfolio evidence"): the largest file a candidate
# uploads, and ClamAV's daemon that scans each one, by its Unix socket or by host and port. With
# neither set nothing is scanned and the pages say so; once one is set, a file is never kept
# unscanned (a scanner that is down refuses uploads). clamd's StreamMaxLength must be at least
# the largest file.
ACADEMY_EVIDENCE_MAX_BYTES = env.int("ACADEMY_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)
ACADEMY_CLAMD_SOCKET = env("ACADEMY_CLAMD_SOCKET", default="")
ACADEMY_CLAMD_HOST = env("ACADEMY_CLAMD_HOST", default="")
ACADEMY_CLAMD_PORT = env.int("ACADEMY_CLAMD_PORT", default=3310)
ACADEMY_CLAMD_TIMEOUT = env.float("ACADEMY_CLAMD_TIMEOUT", default=60.0)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# Certificate PDFs and other private files live outside MEDIA_ROOT and are served by views that
# check permission.
PRIVATE_MEDIA_ROOT = env.path("ACADEMY_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# --- Files on object storage (issue 17; docs/operations.md, "Files on object storage") ---------
# With ACADEMY_S3_BUCKET set, "default" (Wagtail's images and documents) and "private" live in
# that S3-compatible bucket instead of MEDIA_ROOT and PRIVATE_MEDIA_ROOT, so that every web node
# and worker sees the same files. A private file is then served by a redirect to a signed URL
# that lasts ACADEMY_S3_SIGNED_URL_SECONDS, a recording's video ACADEMY_S3_VIDEO_URL_SECONDS
# (a browser goes on fetching ranges of it from that URL while it plays).
ACADEMY_S3_SIGNED_URL_SECONDS = env.int("ACADEMY_S3_SIGNED_URL_SECONDS", default=300)
ACADEMY_S3_VIDEO_URL_SECONDS = env.int("ACADEMY_S3_VIDEO_URL_SECONDS", default=4 * 3600)
_object_store = ObjectStore.from_env(env, signed_url_seconds=ACADEMY_S3_SIGNED_URL_SECONDS)
if _object_store:
    STORAGES.update(_object_store.storages())
# --- end of object storage -----------------------------------------------------------------------

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://academy"),
}
RATELIMIT_VIEW = "portal.views.rate_limited"
# The longest a visitor's page is kept in the cache (academy/page_cache.py); a change to what it
# shows makes it stale at once. 0 turns the page cache off.
ACADEMY_PAGE_CACHE_SECONDS = env.int("ACADEMY_PAGE_CACHE_SECONDS", default=300)

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="PHSO Academy <academy@example.org>")

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://localhost/")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged only once it has finished, and put back if its pool process dies; each
# worker process holds one message at a time. With Redis, a message a dead worker held comes back
# after the visibility timeout, which must outlast the longest task and retry countdown (see
# "workers killed mid-task" in docs/decisions.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
}
# Redis gives a worker the messages of priority 0 (the default, and the highest) first. A bulk
# issue queues all its chunks at once; at the lowest priority, the PDFs and e-mails each chunk
# queues, and a learner's own certificate issued meanwhile, go before the next chunk rather than
# after the whole batch (docs/decisions.md).
CELERY_TASK_ROUTES = {"certificates.tasks.issue_bulk_chunk": {"priority": 9}}
CELERY_TIMEZONE = TIME_ZONE
# The sweep leaves alone work younger than this (its task may still be queued) and older than
# ACADEMY_SWEEP_WINDOW_DAYS (a certificate that keeps failing is for a person to look at).
ACADEMY_SWEEP_GRACE_MINUTES = env.int("ACADEMY_SWEEP_GRACE_MINUTES", default=5)
ACADEMY_SWEEP_WINDOW_DAYS = env.int("ACADEMY_SWEEP_WINDOW_DAYS", default=7)
ACADEMY_BULK_ISSUE_CHUNK = env.int("ACADEMY_BULK_ISSUE_CHUNK", default=100)
# Question bank imports (GIFT and Moodle XML, in the admin and the import commands;
# docs/decisions.md, "Import limits"). A file with more questions, or a question with more
# options and answers, is refused whole; a refused file lists its first problems and says how
# many there are in all.
ACADEMY_IMPORT_MAX_QUESTIONS = env.int("ACADEMY_IMPORT_MAX_QUESTIONS", default=1000)
ACADEMY_QUESTION_MAX_OPTIONS = env.int("ACADEMY_QUESTION_MAX_OPTIONS", default=100)
ACADEMY_IMPORT_PROBLEMS_LISTED = env.int("ACADEMY_IMPORT_PROBLEMS_LISTED", default=200)
# The largest file the admin's import page takes: a thousand questions of Moodle XML (wordier
# than GIFT) fit in it.
ACADEMY_IMPORT_MAX_UPLOAD_BYTES = env.int(
    "ACADEMY_IMPORT_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024
)
# An upload with at most this many questions is imported while the trainer waits; a larger one
# is queued for a Celery worker and followed on a progress page.
ACADEMY_IMPORT_IN_REQUEST_MAX_QUESTIONS = env.int(
    "ACADEMY_IMPORT_IN_REQUEST_MAX_QUESTIONS", default=100
)
# ... and at most this long: a few questions of long HTML cost more than a hundred short ones.
ACADEMY_IMPORT_IN_REQUEST_MAX_CHARACTERS = env.int(
    "ACADEMY_IMPORT_IN_REQUEST_MAX_CHARACTERS", default=256 * 1024
)
# Webinar attendance reports from Teams or Zoom (docs/webinar-attendance.md): the most rows of
# participants one file may hold (a Teams meeting holds 1,000 people, a Zoom meeting 1,000 by
# default), the largest upload (Teams saves UTF-16, two bytes a character), how many problems a
# refused file lists, and how long the preview may wait for the trainer's confirmation.
ACADEMY_ATTENDANCE_MAX_ROWS = env.int("ACADEMY_ATTENDANCE_MAX_ROWS", default=10_000)
ACADEMY_ATTENDANCE_MAX_UPLOAD_BYTES = env.int(
    "ACADEMY_ATTENDANCE_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024
)
ACADEMY_ATTENDANCE_PROBLEMS_LISTED = env.int("ACADEMY_ATTENDANCE_PROBLEMS_LISTED", default=100)
ACADEMY_ATTENDANCE_PREVIEW_SECONDS = env.int("ACADEMY_ATTENDANCE_PREVIEW_SECONDS", default=3600)
# Webinar recordings (docs/webinars.md, "Recordings"): the largest video file, captions file and
# slides a trainer may upload. An hour of a screen-shared meeting in MP4 is about 200-500 MB;
# larger recordings belong on a video service, given by their link.
ACADEMY_RECORDING_MAX_BYTES = env.int("ACADEMY_RECORDING_MAX_BYTES", default=1024 * 1024 * 1024)
ACADEMY_CAPTIONS_MAX_BYTES = env.int("ACADEMY_CAPTIONS_MAX_BYTES", default=2 * 1024 * 1024)
ACADEMY_SLIDES_MAX_BYTES = env.int("ACADEMY_SLIDES_MAX_BYTES", default=50 * 1024 * 1024)
# Organisations' invitations (docs/organisations.md, "Inviting staff"): how long a link stays
# good, the largest CSV of staff a manager may upload (rows and bytes, each with its own
# message), and how many invitation e-mails one Celery task sends.
ORGANISATION_INVITATION_DAYS = env.int("ORGANISATION_INVITATION_DAYS", default=14)
ORGANISATION_INVITATION_MAX_ROWS = env.int("ORGANISATION_INVITATION_MAX_ROWS", default=50_000)
ORGANISATION_INVITATION_MAX_BYTES = env.int(
    "ORGANISATION_INVITATION_MAX_BYTES", default=5 * 1024 * 1024
)
ORGANISATION_INVITATION_EMAIL_CHUNK = env.int("ORGANISATION_INVITATION_EMAIL_CHUNK", default=200)
CELERY_BEAT_SCHEDULE = {
    # Attempts whose time ran out while the learner was away are scored with what they saved.
    "finalise-overdue-attempts": {
        "task": "assessments.tasks.finalise_overdue_attempts",
        "schedule": 60.0,
    },
    # Marked results released without their e-mail (broker down when they were released).
    "sweep-unsent-result-emails": {
        "task": "assessments.tasks.sweep_unsent_result_emails",
        "schedule": 300.0,
    },
    # Question bank imports queued while the broker was down (their task was never sent).
    "sweep-queued-imports": {
        "task": "assessments.tasks.sweep_queued_imports",
        "schedule": 300.0,
    },
    # Certificates whose PDF, e-mail or bulk issue was never queued (broker down) or got lost.
    "sweep-unfinished-certificates": {
        "task": "certificates.tasks.sweep_unfinished_certificates",
        "schedule": 300.0,
    },
    # Assessors' decisions whose e-mail to the candidate was never sent (broker down).
    "sweep-unsent-decision-emails": {
        "task": "accreditation.tasks.sweep_unsent_decision_emails",
        "schedule": 300.0,
    },
    # Accreditations whose renewal window opened after their CPD and requirements were met.
    "check-due-renewals": {
        "task": "accreditation.tasks.check_due_renewals",
        "schedule": 3600.0,
    },
    # Candidates' e-mails about an overturned decision or a decided appeal, never queued.
    "sweep-unsent-quality-emails": {
        "task": "accreditation.tasks.sweep_unsent_quality_emails",
        "schedule": 300.0,
    },
    # Invitations whose e-mail was never queued (broker down when they were made or resent).
    "sweep-unsent-invitations": {
        "task": "organisations.tasks.sweep_unsent_invitations",
        "schedule": 300.0,
    },
    # The national view's aggregate, counted again whole (docs/decisions.md).
    "refresh-national-figures": {
        "task": "portal.tasks.refresh_national_figures_task",
        "schedule": 900.0,
    },
    # Reminders 90, 30 and 7 days before a certificate expires; each is sent once.
    "send-expiry-reminders": {
        "task": "certificates.tasks.send_expiry_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Assignments: rows for people a missed signal left out, learning not yet counted.
    "refresh-assignments": {
        "task": "organisations.tasks.refresh_assignments",
        "schedule": crontab(hour=2, minute=30),
    },
    # The trained spans the compliance figures count are kept by every change; this rebuilds
    # them from the rows, after the assignments' reconciliation, in case an event was missed.
    "rebuild-trained-spans": {
        "task": "organisations.tasks.rebuild_trained_spans",
        "schedule": crontab(hour=3, minute=15),
    },
    # Expired sessions, which the database keeps until they are deleted (academy.tasks).
    "clear-expired-sessions": {
        "task": "academy.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=45),
    },
    # Assignment reminders 14 days before the due date and once overdue; each is sent once.
    "send-assignment-reminders": {
        "task": "organisations.tasks.send_assignment_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    # Webinar reminders 24 hours and 1 hour before a session, to people with a place; each is
    # claimed once (courses.services.webinar_mail), so the five minutes are the most it is late.
    "send-webinar-reminders": {
        "task": "courses.tasks.send_webinar_reminders",
        "schedule": 300.0,
    },
    # Registration e-mails (confirmations, places from the list, moves, cancellations) never
    # queued (broker down).
    "sweep-unsent-webinar-emails": {
        "task": "courses.tasks.sweep_unsent_webinar_emails",
        "schedule": 300.0,
    },
}

WAGTAIL_SITE_NAME = "PHSO Academy"
WAGTAILADMIN_BASE_URL = ACADEMY_SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv", "xlsx"]
# The time zones staff may choose on their admin account page. Wagtail lists every name Python
# finds, and on Debian that includes `localtime`, the system's own link, which no browser accepts
# (the account page's script then fails); it is not a zone anyone would choose.
WAGTAIL_USER_TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime"})
# Nothing a page asks for leaves our origin: the admin shows Wagtail's own default picture instead
# of asking Gravatar (which would be sent a hash of each person's e-mail address), and does not
# ask Wagtail's release server whether an upgrade is out (we upgrade through pyproject.toml).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production, shared by every web node) and written
# through to the database, so a signed-in request costs no query for its session and a session
# outlives a cache that is emptied or restarted.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Content Security Policy (issue 17; docs/decisions.md, "Content Security Policy") ----------
# django-csp writes the header from CONTENT_SECURITY_POLICY; academy.middleware adds the admin's
# relaxations on its paths only, and lets a page framed by its own site (Wagtail's preview) say
# frame-ancestors 'self'. Literal source keywords rather than csp.constants, to keep this block
# free of imports.
# The one inline <style> of the site (templates/base.html, the system font stack), allowed by its
# hash: a hash, unlike a nonce, survives a page cached whole and served to many people.
# tests/academy/test_content_security_policy.py fails if the style and this hash part.
ACADEMY_CSP_FONT_STYLE_HASH = "'sha256-QNFK+mLQLEa/TmmOJ4QrMaPVyjYGHXeGjH4uVtDT/b4='"
# Hosts a lesson's video block may play from besides our own (e.g. "https://media.example.org"):
# none by default, so a video on another host is refused by the browser until it is listed here.
ACADEMY_CSP_MEDIA_HOSTS = env.list("ACADEMY_CSP_MEDIA_HOSTS", default=[])
# On object storage, its origins: images from the public media URL, recordings from the bucket.
_object_store_sources = _object_store.csp_sources() if _object_store else {}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ACADEMY_CSP_FONT_STYLE_HASH],
        "img-src": ["'self'", "data:", *_object_store_sources.get("img-src", [])],
        "font-src": ["'self'"],
        "media-src": [
            "'self'",
            *ACADEMY_CSP_MEDIA_HOSTS,
            *_object_store_sources.get("media-src", []),
        ],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Wagtail's admin (and only it) needs more: on its paths these directives replace the ones above
# (replace, not add: beside a hash, a browser ignores 'unsafe-inline'). Each source is explained
# in docs/decisions.md.
ACADEMY_CSP_ADMIN_PREFIXES = ("/admin/",)
ACADEMY_CSP_ADMIN_DIRECTIVES = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
}
# --- end of Content Security Policy ----------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
