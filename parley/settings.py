"""Parley's one settings module.

Every value comes from an environment variable with a documented default
(docs/configuration.md). A bad value fails loudly at start-up instead of
being silently replaced.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false)")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_float(name: str, default: float, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Where the embedded database, the generated secret key and uploads live.
DATA_DIR = Path(env_str("PARLEY_DATA_DIR", str(Path.cwd() / "var"))).resolve()


def _secret_key() -> str:
    key = os.environ.get("PARLEY_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("PARLEY_SECRET_KEY must be at least 32 characters")
        return key
    # Self-hosted default: generate once and keep it beside the database.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("PARLEY_DEBUG", False)
ALLOWED_HOSTS = env_list("PARLEY_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("PARLEY_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Redoc and Swagger UI assets served from our static files
    "django_tasks",
    "django_tasks_db",
    "parley.accounts",
    "parley.platforms",
    "parley.inbox",
    "parley.triage",
    "parley.routing",
    "parley.sla",
    "parley.composer",
    "parley.customers",
    "parley.api",
    "parley.server",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "parley.urls"
ASGI_APPLICATION = "parley.asgi.application"
WSGI_APPLICATION = "parley.wsgi.application"

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
            ],
        },
    },
]

# --- database ---------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'parley.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("PARLEY_DB_CONN_MAX_AGE", 0, 0))
except Exception as exc:  # dj_database_url raises several types
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    if _db["NAME"] and _db["NAME"] != ":memory:":
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE
        # transactions avoid "database is locked" upgrades under concurrency.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
elif _db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL")
if os.environ.get("PARLEY_TEST_DB_NAME"):
    _db["TEST"] = {"NAME": os.environ["PARLEY_TEST_DB_NAME"]}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("PARLEY_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS: send plain-HTTP requests to https:// (Django's SecurityMiddleware, and the webhook fast path in
# parley/platforms/intake.py), and, behind a proxy that sets it, trust X-Forwarded-Proto for "came over HTTPS".
SECURE_SSL_REDIRECT = env_bool("PARLEY_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("PARLEY_TRUST_X_FORWARDED_PROTO", False) else None

# --- i18n / time --------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("PARLEY_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- static -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True  # serve straight from the package; collectstatic optional
WHITENOISE_AUTOREFRESH = DEBUG

# --- background tasks ---------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("PARLEY_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- REST API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Parley API",
    "DESCRIPTION": "Conversations, posts and actions of a Parley installation.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs pages load their scripts from drf-spectacular-sidecar's static files, never a CDN.
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ConversationStatusEnum": "parley.inbox.models.Status",
        "SettableStatusEnum": "parley.api.serializers.SETTABLE_STATUSES",
        "IngestOutcomeEnum": "parley.api.serializers.INGEST_OUTCOMES",
        "ReplyVisibilityEnum": "parley.api.serializers.REPLY_VISIBILITIES",
        "VisibilityEnum": "parley.api.serializers.POST_VISIBILITIES",
        "TriageStatusEnum": "parley.api.triage.TRIAGE_STATUSES",
        "TriageIntentEnum": "parley.api.triage.TRIAGE_INTENTS",
        "TriageSentimentEnum": "parley.api.triage.TRIAGE_SENTIMENTS",
        "TriageEmotionEnum": "parley.api.triage.TRIAGE_EMOTIONS",
        "TriageOutcomeEnum": "parley.api.triage.TRIAGE_OUTCOMES",
        "CorrectableFieldEnum": "parley.api.triage.CORRECTABLE_FIELDS",
    },
}

# --- Parley ---------------------------------------------------------------------
# Key for encrypting channel credentials at rest (Fernet). Derived from the
# secret key when unset; set it explicitly to rotate SECRET_KEY independently.
PARLEY_CREDENTIALS_KEY = env_str("PARLEY_CREDENTIALS_KEY", "")
# A post arriving within this many hours of its conversation's resolution
# reopens it; later posts start a new conversation. Brands may override.
PARLEY_REOPEN_WINDOW_HOURS = env_int("PARLEY_REOPEN_WINDOW_HOURS", 72, 0)
# Largest post text we store, in characters; longer texts are truncated and flagged.
PARLEY_MAX_POST_CHARS = env_int("PARLEY_MAX_POST_CHARS", 20000, 280)
# Largest request body the ingestion API accepts, in bytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("PARLEY_MAX_REQUEST_BYTES", 2_621_440, 1024)
# Inbox page size and how often the live stream polls for changes (seconds).
PARLEY_INBOX_PAGE_SIZE = env_int("PARLEY_INBOX_PAGE_SIZE", 50, 1)
PARLEY_LIVE_POLL_SECONDS = env_float("PARLEY_LIVE_POLL_SECONDS", 0.5, 0.1)

# Triage of inbound posts (docs/triage.md): on/off, model profile, phone-number region, retries.
PARLEY_TRIAGE_ENABLED = env_bool("PARLEY_TRIAGE_ENABLED", True)
PARLEY_TRIAGE_PROFILE = env_str("PARLEY_TRIAGE_PROFILE", "accurate")
if PARLEY_TRIAGE_PROFILE not in ("fast", "accurate"):
    raise ImproperlyConfigured(f"PARLEY_TRIAGE_PROFILE={PARLEY_TRIAGE_PROFILE!r} must be fast or accurate")
PARLEY_TRIAGE_PHONE_REGION = env_str("PARLEY_TRIAGE_PHONE_REGION", "US").upper()
PARLEY_TRIAGE_MAX_ATTEMPTS = env_int("PARLEY_TRIAGE_MAX_ATTEMPTS", 5, 1)
# Periodic jobs (parley/server/periodic.py) run by `parley worker` and `parley tick`: on/off, how
# often the loop looks for due jobs, and how often waiting conversations' priorities are recomputed.
PARLEY_PERIODIC_ENABLED = env_bool("PARLEY_PERIODIC_ENABLED", True)
PARLEY_PERIODIC_POLL_SECONDS = env_float("PARLEY_PERIODIC_POLL_SECONDS", 15.0, 1.0)
PARLEY_PRIORITY_REFRESH_SECONDS = env_int("PARLEY_PRIORITY_REFRESH_SECONDS", 60, 10)

# --- channels: platform connectors, webhooks, outbox (docs/channels.md) ----------
# Platform API base URLs (point them at `parley simulate` in tests and demos).
PARLEY_X_API_BASE = env_str("PARLEY_X_API_BASE", "https://api.x.com").rstrip("/")
PARLEY_GRAPH_API_BASE = env_str("PARLEY_GRAPH_API_BASE", "https://graph.facebook.com").rstrip("/")
PARLEY_GRAPH_API_VERSION = env_str("PARLEY_GRAPH_API_VERSION", "v21.0")
# Instagram accounts connected with "Instagram API with Instagram Login" are served from their own host.
PARLEY_INSTAGRAM_API_BASE = env_str("PARLEY_INSTAGRAM_API_BASE", "https://graph.instagram.com").rstrip("/")
# App secrets that sign webhook deliveries (X consumer secret, Meta app secret) and
# the verify token Meta echoes when subscribing (derived from SECRET_KEY when unset).
PARLEY_X_CONSUMER_SECRET = env_str("PARLEY_X_CONSUMER_SECRET", "")
PARLEY_META_APP_SECRET = env_str("PARLEY_META_APP_SECRET", "")
PARLEY_META_VERIFY_TOKEN = env_str("PARLEY_META_VERIFY_TOKEN", "")
# Largest webhook body accepted (bytes); larger ones get 413.
PARLEY_WEBHOOK_MAX_BYTES = env_int("PARLEY_WEBHOOK_MAX_BYTES", 1_048_576, 1024)
# Most webhook deliveries one server process stores in one transaction (group commit, ASGI path).
PARLEY_WEBHOOK_BATCH_MAX = env_int("PARLEY_WEBHOOK_BATCH_MAX", 256, 1)
# A folder to write a timing trace of the webhook intake to (group commits, GC pauses, event-loop
# lag; parley/platforms/intaketrace.py). Empty (the default): nothing is measured.
PARLEY_INTAKE_TRACE = env_str("PARLEY_INTAKE_TRACE", "")
# Freeze the objects alive after the ASGI app has loaded (gc.freeze), so full garbage collections
# skip them (parley/server/gctune.py): they stopped a busy server for up to 300 ms.
PARLEY_GC_FREEZE = env_bool("PARLEY_GC_FREEZE", True)
# SQLite: seconds between the webhook writer's WAL checkpoints, run by a thread of their own instead
# of inside the writer's commits (parley/platforms/intake.py, Checkpointer). 0 (the default): inside
# the commits, as SQLite does; the thread did not shorten the tail measurably (docs/benchmarks.md).
PARLEY_SQLITE_CHECKPOINT_SECONDS = env_float("PARLEY_SQLITE_CHECKPOINT_SECONDS", 0.0, 0.0)
# Outbox: attempts before a send fails for good, first retry delay (doubles each time, capped), HTTP timeout.
PARLEY_OUTBOX_MAX_ATTEMPTS = env_int("PARLEY_OUTBOX_MAX_ATTEMPTS", 6, 1)
PARLEY_OUTBOX_BACKOFF_SECONDS = env_float("PARLEY_OUTBOX_BACKOFF_SECONDS", 30.0, 0.0)
PARLEY_OUTBOX_BACKOFF_MAX_SECONDS = env_float("PARLEY_OUTBOX_BACKOFF_MAX_SECONDS", 3600.0, 0.0)
PARLEY_PLATFORM_TIMEOUT_SECONDS = env_float("PARLEY_PLATFORM_TIMEOUT_SECONDS", 10.0, 0.1)
# YouTube comment polling: API base, the project's daily quota, the share polling may spend
# (the rest is kept for replies at 50 units each), seconds between polls, pages per poll.
PARLEY_YOUTUBE_API_BASE = env_str("PARLEY_YOUTUBE_API_BASE", "https://www.googleapis.com").rstrip("/")
PARLEY_YOUTUBE_DAILY_QUOTA = env_int("PARLEY_YOUTUBE_DAILY_QUOTA", 10000, 1)
PARLEY_YOUTUBE_POLL_QUOTA = env_int("PARLEY_YOUTUBE_POLL_QUOTA", 5000, 0)
PARLEY_YOUTUBE_POLL_SECONDS = env_int("PARLEY_YOUTUBE_POLL_SECONDS", 300, 10)
PARLEY_YOUTUBE_MAX_PAGES = env_int("PARLEY_YOUTUBE_MAX_PAGES", 10, 1)
# Inbound mail: the secret the mail relay signs raw messages with (POST /hooks/email/).
PARLEY_EMAIL_WEBHOOK_SECRET = env_str("PARLEY_EMAIL_WEBHOOK_SECRET", "")
# Poll X mentions with API v2 (GET /2/users/:id/mentions) for accounts without Account Activity webhooks.
PARLEY_X_POLL_MENTIONS = env_bool("PARLEY_X_POLL_MENTIONS", False)
# Inbound mail by IMAP polling (`platforms.poll`): largest message read (bigger ones become dead letters,
# left unread), messages per poll, and the folder processed mail moves to (empty: marked \Seen, left in place).
PARLEY_IMAP_MAX_BYTES = env_int("PARLEY_IMAP_MAX_BYTES", 10_485_760, 1024)
PARLEY_IMAP_MAX_MESSAGES = env_int("PARLEY_IMAP_MAX_MESSAGES", 100, 1)
PARLEY_IMAP_MOVE_TO = env_str("PARLEY_IMAP_MOVE_TO", "")
# Mail servers' TLS (IMAP in, SMTP out) is always verified against the system CAs plus this PEM bundle
# (private CAs of in-house mail servers); there is no setting that skips verification.
PARLEY_MAIL_CA_FILE = env_str("PARLEY_MAIL_CA_FILE", "")
if PARLEY_MAIL_CA_FILE and not Path(PARLEY_MAIL_CA_FILE).is_file():
    raise ImproperlyConfigured(f"PARLEY_MAIL_CA_FILE={PARLEY_MAIL_CA_FILE!r} is not a readable file")
# Messenger / Instagram HUMAN_AGENT tag: a person's reply 24 h - 7 days after the customer's last message
# (needs Meta's Human Agent permission; a channel may also enable it alone).
PARLEY_META_HUMAN_AGENT = env_bool("PARLEY_META_HUMAN_AGENT", False)
# The app secret of an "Instagram API with Instagram Login" app (its deliveries are signed with it).
PARLEY_INSTAGRAM_APP_SECRET = env_str("PARLEY_INSTAGRAM_APP_SECRET", "")
# The live demo (`parley demo --serve`, `make demo`): the simulator plays the demo brands' platforms and pushes
# a customer post about every N seconds (0 / false: serve the demo as loaded); the simulator's port.
PARLEY_DEMO_LIVE = env_bool("PARLEY_DEMO_LIVE", True)
PARLEY_DEMO_LIVE_SECONDS = env_float("PARLEY_DEMO_LIVE_SECONDS", 15.0, 1.0)
PARLEY_DEMO_SIMULATOR_PORT = env_int("PARLEY_DEMO_SIMULATOR_PORT", 8210, 1)


# --- workflow: routing, assignment, SLAs, follow-ups ----------------------------
# Routing rules (docs/workflow.md): on/off; automatic assignment strategy; hand an agent's
# open conversations on when they go offline. Brands may override the last two.
PARLEY_ROUTING_ENABLED = env_bool("PARLEY_ROUTING_ENABLED", True)
PARLEY_ASSIGNMENT_STRATEGY = env_str("PARLEY_ASSIGNMENT_STRATEGY", "round_robin")
if PARLEY_ASSIGNMENT_STRATEGY not in ("round_robin", "least_loaded"):
    raise ImproperlyConfigured(
        f"PARLEY_ASSIGNMENT_STRATEGY={PARLEY_ASSIGNMENT_STRATEGY!r} must be round_robin or least_loaded"
    )
PARLEY_REASSIGN_WHEN_OFFLINE = env_bool("PARLEY_REASSIGN_WHEN_OFFLINE", True)
# SLA alerts by email (one summary per recipient per sweep) and the mail transport they use.
PARLEY_SLA_ALERT_EMAIL = env_bool("PARLEY_SLA_ALERT_EMAIL", True)
# Email a brand's admins when one of its channels needs re-authorisation (token refused, TLS failure).
PARLEY_CHANNEL_ALERT_EMAIL = env_bool("PARLEY_CHANNEL_ALERT_EMAIL", True)
# How often the worker sweeps SLA timers and reminds overdue follow-ups (seconds).
PARLEY_SLA_SWEEP_SECONDS = env_int("PARLEY_SLA_SWEEP_SECONDS", 60, 5)
EMAIL_BACKEND = env_str("PARLEY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("PARLEY_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PARLEY_EMAIL_PORT", 25, 1)
EMAIL_HOST_USER = env_str("PARLEY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PARLEY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PARLEY_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PARLEY_EMAIL_FROM", "parley@localhost")
# Off-hours: send one acknowledgement saying when a person will answer (brands override
# with the settings off_hours_ack and off_hours_ack_text).
PARLEY_OFF_HOURS_ACK = env_bool("PARLEY_OFF_HOURS_ACK", False)
# After a brand's SLA policy or calendar changes, its stored due times are recomputed in the same
# request when it has at most this many active conversations, else by a background task (parley.sla.stored).
PARLEY_SLA_RECOMPUTE_INLINE_MAX = env_int("PARLEY_SLA_RECOMPUTE_INLINE_MAX", 2000, 0)
# A promise in a reply that names no time is followed up after this many hours.
PARLEY_FOLLOWUP_DEFAULT_HOURS = env_int("PARLEY_FOLLOWUP_DEFAULT_HOURS", 24, 1)
# A public reply inviting the customer to DM/email/phone/chat: remind the agent after this many
# hours if the customer has not written privately (brand setting handoff_wait_hours).
PARLEY_HANDOFF_WAIT_HOURS = env_int("PARLEY_HANDOFF_WAIT_HOURS", 24, 1)
# How long a satisfaction survey link stays open (brand setting csat_valid_days).
PARLEY_CSAT_VALID_DAYS = env_int("PARLEY_CSAT_VALID_DAYS", 14, 1)


# --- composer: templates, suggestions, guardrails --------------------------------
# Guardrails (docs/guardrails.md): the default apology policy (brands override it), and when a
# reply counts as a blanket statement (as many near-identical public replies to other customers
# within the window). Phone numbers use PARLEY_TRIAGE_PHONE_REGION unless the brand sets phone_region.
PARLEY_COMPOSER_APOLOGY_POLICY = env_str("PARLEY_COMPOSER_APOLOGY_POLICY", "sympathy_only")
if PARLEY_COMPOSER_APOLOGY_POLICY not in ("sympathy_only", "always_apologise"):
    raise ImproperlyConfigured(
        f"PARLEY_COMPOSER_APOLOGY_POLICY={PARLEY_COMPOSER_APOLOGY_POLICY!r} must be sympathy_only or always_apologise"
    )
PARLEY_COMPOSER_BLANKET_MIN_REPEATS = env_int("PARLEY_COMPOSER_BLANKET_MIN_REPEATS", 3, 1)
PARLEY_COMPOSER_BLANKET_WINDOW_HOURS = env_int("PARLEY_COMPOSER_BLANKET_WINDOW_HOURS", 24, 1)
# Suggestions (docs/composer.md): how many past replies the retrieval index holds per brand, and
# how old (seconds) an index may get before it is rebuilt.
PARLEY_COMPOSER_SUGGESTION_HISTORY = env_int("PARLEY_COMPOSER_SUGGESTION_HISTORY", 100_000, 100)
PARLEY_COMPOSER_SUGGESTION_REFRESH_SECONDS = env_int("PARLEY_COMPOSER_SUGGESTION_REFRESH_SECONDS", 600, 0)
# Optional drafting backend speaking the OpenAI-compatible chat API (off when the URL is empty);
# its drafts are suggestions and pass the guardrails like any other.
PARLEY_COMPOSER_DRAFT_URL = env_str("PARLEY_COMPOSER_DRAFT_URL", "")
PARLEY_COMPOSER_DRAFT_MODEL = env_str("PARLEY_COMPOSER_DRAFT_MODEL", "")
PARLEY_COMPOSER_DRAFT_API_KEY = env_str("PARLEY_COMPOSER_DRAFT_API_KEY", "")
PARLEY_COMPOSER_DRAFT_TIMEOUT = env_float("PARLEY_COMPOSER_DRAFT_TIMEOUT", 5.0, 0.1)
# Praise (docs/composer.md): whether brands like customers' praise automatically unless their
# brand setting auto_like says otherwise. Never fires for abuse, spam, trolls or anger.
PARLEY_PRAISE_AUTO_LIKE = env_bool("PARLEY_PRAISE_AUTO_LIKE", False)


# Customers and data protection (docs/security.md): after an erasure, SQLite's full-text index is
# optimised so the erased words leave its pages; the audit-log browser's page size.
PARLEY_ERASURE_OPTIMIZE_SEARCH = env_bool("PARLEY_ERASURE_OPTIMIZE_SEARCH", True)
PARLEY_AUDIT_PAGE_SIZE = env_int("PARLEY_AUDIT_PAGE_SIZE", 50, 10)
# SQLite: how often the words of posts deleted on the platform are merged out of the search index's
# pages (the periodic job inbox.search_purge; it runs only after deletions).
PARLEY_SEARCH_PURGE_SECONDS = env_int("PARLEY_SEARCH_PURGE_SECONDS", 600, 10)


# Presence on the conversation page (docs/composer.md): how often an open page says "still here",
# how long a silent agent still counts as viewing, and how long after the last keystroke as typing.
PARLEY_PRESENCE_HEARTBEAT_SECONDS = env_int("PARLEY_PRESENCE_HEARTBEAT_SECONDS", 10, 2)
PARLEY_PRESENCE_TTL_SECONDS = env_int("PARLEY_PRESENCE_TTL_SECONDS", 30, 5)
PARLEY_PRESENCE_TYPING_SECONDS = env_int("PARLEY_PRESENCE_TYPING_SECONDS", 8, 2)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PARLEY_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The task worker logs every task's start and finish at INFO: a flood under `parley serve`
        # (the demo's login scrolls away). Warnings and failures always show.
        **{
            name: {"handlers": ["tasks_console"], "propagate": False}
            for name in ("django_tasks", "django_tasks_db", "django.tasks")
        },
    },
}
LOGGING["handlers"]["tasks_console"] = {
    "class": "logging.StreamHandler",
    "level": "INFO" if env_bool("PARLEY_LOG_TASKS", False) else "WARNING",
}
