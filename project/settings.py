"""Parallax settings: one file, every deploy difference read from the environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no variable; anything but true/false, yes/no, on/off or 1/0 is refused (a typo
    in DEBUG must not quietly read as false)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise ImproperlyConfigured(
            f"{name}={os.environ[name]!r} is neither true nor false "
            "(write true/false, yes/no, on/off or 1/0)"
        )
    return value in TRUE_WORDS


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None


def sqlite_database(path) -> dict:
    """SQLite that holds a few concurrent writers: WAL (readers never wait for a writer),
    transactions that take the write lock when they begin (IMMEDIATE: two transactions that
    read then write cannot deadlock and fail with "database is locked"), and a busy timeout
    (a writer waits for the lock instead of failing at once)."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def database_from_url(url: str | None) -> dict:
    """Translate DATABASE_URL (sqlite:///..., postgres://...) into a DATABASES entry."""
    if not url:
        return sqlite_database(BASE_DIR / "db.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:////absolute/path.sqlite3 -> /absolute/path.sqlite3
        path = unquote(parts.path)[1:] if parts.path.startswith("//") else unquote(parts.path)
        return sqlite_database(path or BASE_DIR / "db.sqlite3")
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # The test suite runs with DEBUG off (as production does) and needs no real secret.
    if not DEBUG and "pytest" not in sys.modules:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-key-for-development-and-tests-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "statements",
]

MIDDLEWARE = [
    "statements.middleware.RequestLog",
    "django.middleware.security.SecurityMiddleware",
    "statements.middleware.PermissionsPolicy",
    "statements.middleware.RefuseNulBytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "statements.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "parallax",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# Background work (django.tasks): embedding, alignments, corpus statistics. TASKS_BACKEND
# chooses where tasks go: "database" (django-tasks-db, run by `manage.py db_worker`, on the
# same database as the site), "immediate" (run in the process that enqueues them: the test
# suite's default) or the dotted path of another backend class (say, a Redis-backed one).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
_tasks_backend = os.environ.get("TASKS_BACKEND", "").strip() or (
    "immediate" if "pytest" in sys.modules else "database"
)
TASKS = {
    "default": {"BACKEND": TASK_BACKENDS.get(_tasks_backend, _tasks_backend)},
    # Always there, whatever the default: `db_worker` runs what was queued in the database.
    "database": {"BACKEND": TASK_BACKENDS["database"]},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers. Scripts only from our own origin or with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Behind a TLS-terminating proxy the site is HTTPS only: plain HTTP is redirected and
# browsers are told (HSTS, a year) to use HTTPS alone; each can still be set on its own.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", BEHIND_TLS_PROXY)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The proxy's health checks come over plain HTTP from inside: not redirected.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS for subdomains and preloading commit every subdomain of the site's domain: the
# deployer's decision (the variables above), not a default `check --deploy` should nag for.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
# Browser features no page uses, refused (statements/middleware.PermissionsPolicy).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), browsing-topics=()"
)

# Parallax's own settings.
PARALLAX_IMPORT_MAX_BYTES = env_int("PARALLAX_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
PARALLAX_IMPORT_MAX_FILES = env_int("PARALLAX_IMPORT_MAX_FILES", 20)
# Most paragraphs one statement may have: the importer refuses more with a message, and
# every page of a statement is built to stay fast up to it.
PARALLAX_MAX_PARAGRAPHS = env_int("PARALLAX_MAX_PARAGRAPHS", 5000)
# A statement's admin page posts about eight fields per paragraph (and the import preview
# one per paragraph without JavaScript): Django's default of 1,000 would refuse to save a
# statement of 125 paragraphs. The size caps above still bound every request.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50_000
PARALLAX_SIGNUP = env_bool("PARALLAX_SIGNUP", True)
# A pair of statements whose compared paragraphs make at most this many pairs is aligned on
# the request that first asks for it (a few hundred milliseconds at most); a larger one is
# aligned by the worker while its page says "aligning…".
PARALLAX_ALIGN_ON_REQUEST_CELLS = env_int("PARALLAX_ALIGN_ON_REQUEST_CELLS", 40_000)
# Throttling (statements/throttle.py): failed sign-ins per account and per address, and
# sign-up attempts per address, allowed within PARALLAX_THROTTLE_SECONDS; past them, the
# next attempts are refused for as long. Counted in the cache (REDIS_URL to share them
# between web processes).
PARALLAX_SIGN_IN_FAILURES_PER_ACCOUNT = env_int("PARALLAX_SIGN_IN_FAILURES_PER_ACCOUNT", 5)
PARALLAX_SIGN_IN_FAILURES_PER_ADDRESS = env_int("PARALLAX_SIGN_IN_FAILURES_PER_ADDRESS", 20)
PARALLAX_SIGN_UPS_PER_ADDRESS = env_int("PARALLAX_SIGN_UPS_PER_ADDRESS", 10)
PARALLAX_THROTTLE_SECONDS = env_int("PARALLAX_THROTTLE_SECONDS", 15 * 60)
# A request slower than this is logged at WARNING with its timings (statements/middleware).
PARALLAX_SLOW_REQUEST_MS = env_int("PARALLAX_SLOW_REQUEST_MS", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "statements.middleware.JsonLines"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # One JSON object per line on stdout: method, path, status, duration, user.
        "requests": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "parallax.requests": {
            "handlers": ["requests"],
            "level": os.environ.get("REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
