"""Django settings, read from the environment (12-factor).

- ``DATABASE_URL``: default ``sqlite:///<VANBAN_VAR_DIR>/vanban.sqlite3`` (WAL mode).
- ``VANBAN_VAR_DIR``: where the embedded default keeps its state (default ``./var``).
- ``VANBAN_FILES_DIR``: stored files (default ``<VANBAN_VAR_DIR>/files``).
- ``VANBAN_STORAGE``: ``local`` (default: fsynced files under ``VANBAN_FILES_DIR``) or ``s3``
  (an S3-compatible bucket: ``VANBAN_S3_*``, see :func:`_s3_storage` and docs/operator.md).
- ``SECRET_KEY`` or ``SECRET_KEY_FILE``; without either, a key is generated once and
  kept in ``<VANBAN_VAR_DIR>/secret_key`` (the demo relies on this).
- ``VANBAN_KEY_ENCRYPTION_KEY`` or ``VANBAN_KEY_ENCRYPTION_KEY_FILE``: the key sealing the key
  files kept by the server; without either, generated once into
  ``<VANBAN_VAR_DIR>/key-encryption-key``.
- ``ALLOWED_HOSTS`` (comma-separated), ``DEBUG`` (0/1), ``CSRF_TRUSTED_ORIGINS``.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from vanban.pdfguard import PdfLimits

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    if os.environ.get(name):
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return None


# Whatever a Django process of vanban writes (the database, key files, stored files, their
# folders) is private to its user: `vanban` and the WSGI entry point set this too, and this
# line covers `python -m django ... --settings=vanban.settings` and any other way in.
os.umask(0o077)

VAR_DIR = Path(os.environ.get("VANBAN_VAR_DIR", "var")).resolve()
FILES_DIR = Path(os.environ.get("VANBAN_FILES_DIR", str(VAR_DIR / "files"))).resolve()


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


SECRET_KEY = _secret_key()

# Key files kept by the server are sealed with this key-encryption key (vanban.keystore):
# base64 of 32 bytes, in the environment or in the file VANBAN_KEY_ENCRYPTION_KEY_FILE names
# (a Docker or systemd secret). With neither, one is generated on first use into
# <VANBAN_VAR_DIR>/key-encryption-key (mode 0600). Rotation: docs/operator.md.
VANBAN_KEY_ENCRYPTION_KEY = os.environ.get("VANBAN_KEY_ENCRYPTION_KEY", "")
VANBAN_KEY_ENCRYPTION_KEY_FILE = os.environ.get("VANBAN_KEY_ENCRYPTION_KEY_FILE", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "vanban.audit",
    "vanban.directory",
    "vanban.registry",
    "vanban.connector",
    "vanban.scanning",
    "vanban.exchange",
    "vanban.web",
    "vanban.search",
    "vanban.records",
    "vanban.fixity",
    "vanban.reports",
]

# Which role this process serves: "office" (an agency's document system), "hub" (the
# interconnection hub) or "all" (both, as the demo runs). `vanban serve --role` sets it.
VANBAN_ROLE = os.environ.get("VANBAN_ROLE", "all")

# a refused CSRF check: the Vietnamese 403 page (JSON on the API paths)
CSRF_FAILURE_VIEW = "vanban.web.errorpages.csrf_failure"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "vanban.web.uploadlimit.RequestSizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vanban.web.authorize.AuthorizeByTable",  # every URL as its rule in vanban.web.access says
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The largest request body read at all (vanban.web.uploadlimit): above the largest scan
# (VANBAN_SCAN_MAX_BYTES) and hub package (VANBAN_HUB_MAX_PACKAGE_BYTES) accepted.
VANBAN_MAX_REQUEST_BYTES = int(os.environ.get("VANBAN_MAX_REQUEST_BYTES", str(110 * 1024 * 1024)))

# The bounds every PDF must keep before anything reads it (vanban.pdfguard.PdfLimits):
# JSON overriding the defaults, e.g. {"max_stream_inflated": 134217728, "max_pages": 2000};
# checked here, so a mistyped key stops the start rather than being ignored.
VANBAN_PDF_LIMITS: dict[str, Any] = dataclasses.asdict(PdfLimits.from_json(os.environ.get("VANBAN_PDF_LIMITS")))

ROOT_URLCONF = "vanban.urls"
WSGI_APPLICATION = "vanban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vanban.web.context.notifications",
                "vanban.web.context.menu",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'vanban.sqlite3'}"
    # Persistent connections (seconds) for busy processes such as a hub; 0 closes each
    # request's connection, which suits the embedded default.
    config: dict[str, Any] = dict(
        dj_database_url.parse(
            url, conn_max_age=int(os.environ.get("VANBAN_DB_CONN_MAX_AGE", "0")), conn_health_checks=True
        )
    )
    if config["ENGINE"] == "django.db.backends.postgresql":
        config["ENGINE"] = "vanban.db.postgresql"  # Django's, with a cheaper health check
    if config["ENGINE"] in ("django.db.backends.sqlite3", "vanban.db.sqlite3"):
        config["ENGINE"] = "vanban.db.sqlite3"  # Django's, with the database file kept private
        options = config.setdefault("OPTIONS", {})
        # Writers take the lock when the transaction starts, so a read-then-write
        # (numbering, the audit chain) cannot interleave with another writer.
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", 30)
        # Tests run on a real file (not the shared-cache in-memory default), so concurrent
        # writers meet the same locking as in production instead of "table is locked".
        config["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"vanban-test-{os.getpid()}.sqlite3")}
        options.setdefault(
            "init_command",
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        )
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Queues: "default", and "so-hoa" for digitizing (slow: a worker of its own keeps OCR from
# delaying the hub's work; `vanban worker --queue so-hoa`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("VANBAN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "so-hoa"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
# Wrong passwords (vanban.web.loginguard, django-axes): after VANBAN_LOGIN_FAILURE_LIMIT
# failures for one account, or from one address, that account and that address are refused
# for VANBAN_LOGIN_COOLOFF_MINUTES; a right password before then clears the count. Behind a
# proxy, the proxy must set REMOTE_ADDR (every office behind one NAT address shares a count:
# raise the limit there, or VANBAN_LOGIN_LIMIT_BY_ADDRESS=0).
AUTHENTICATION_BACKENDS = ["vanban.web.loginguard.LoginThrottleBackend", "django.contrib.auth.backends.ModelBackend"]
# Fixity (vanban.fixity): every VANBAN_FIXITY_SECONDS (default a day) the worker re-hashes
# the files of the next VANBAN_FIXITY_BATCH rows that name stored files.
VANBAN_FIXITY_BATCH = int(os.environ.get("VANBAN_FIXITY_BATCH", "1000"))

AXES_FAILURE_LIMIT = int(os.environ.get("VANBAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("VANBAN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = (
    ["username", "ip_address"] if env_bool("VANBAN_LOGIN_LIMIT_BY_ADDRESS", True) else ["username"]
)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "vanban.web.loginguard.client_address"
AXES_VERBOSE = False
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["vanban.formats"]

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("VANBAN_STATIC_ROOT") or None  # only for collectstatic
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(FILES_DIR)},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _s3_storage() -> dict:
    """django-storages' S3 backend for the files of vanban.storage (an S3-compatible bucket)."""
    bucket = os.environ.get("VANBAN_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("VANBAN_STORAGE=s3 needs VANBAN_S3_BUCKET")
    endpoint = os.environ.get("VANBAN_S3_ENDPOINT_URL") or None
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": env_secret("VANBAN_S3_ACCESS_KEY"),
        "secret_key": env_secret("VANBAN_S3_SECRET_KEY"),
        "region_name": os.environ.get("VANBAN_S3_REGION") or None,
        "location": os.environ.get("VANBAN_S3_PREFIX", "").strip("/"),
        # a self-hosted server (MinIO, SeaweedFS, Ceph) answers path-style requests
        "addressing_style": os.environ.get("VANBAN_S3_ADDRESSING_STYLE") or ("path" if endpoint else None),
        "verify": os.environ.get("VANBAN_S3_CA_BUNDLE") or None,
        "file_overwrite": True,  # content-addressed: the same key holds the same bytes
        "default_acl": None,
        "querystring_auth": False,
        "max_memory_size": 4 * 1024 * 1024,  # larger downloads spill to a temporary file
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {k: v for k, v in options.items() if v is not None}}


# Every stored file (registry files, connector and hub packages) goes through vanban.storage:
# "local" keeps them fsynced under FILES_DIR, "s3" in the bucket of STORAGES["vanban"].
VANBAN_STORAGE = os.environ.get("VANBAN_STORAGE", "").strip().lower() or "local"
if VANBAN_STORAGE == "s3":
    STORAGES["vanban"] = _s3_storage()
elif VANBAN_STORAGE != "local":
    raise ImproperlyConfigured(f"VANBAN_STORAGE must be local or s3, not {VANBAN_STORAGE!r}")
# Static files are served by WhiteNoise straight from the apps' folders (no collectstatic
# step for the embedded default).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("VANBAN_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind HTTPS (VANBAN_SECURE_COOKIES=1): browsers are told to come back only over HTTPS for
# a year (HSTS); the TLS proxy in front says so with X-Forwarded-Proto (VANBAN_TLS_PROXY=1).
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
if env_bool("VANBAN_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): scripts, styles, frames and forms from this site only,
# no inline script or style, no plug-ins; the PDFs beside their actions are same-site frames.
# The local signing agent the pages talk to for USB tokens (`vanban signing-agent`, on the
# person's own computer): its address, allowed in connect-src. docs/signing.md.
VANBAN_SIGNING_AGENT_URL = os.environ.get("VANBAN_SIGNING_AGENT_URL", "http://127.0.0.1:8765").rstrip("/")
# How long a remote signature waits for the person's approval on the phone (seconds).
VANBAN_REMOTE_SIGNING_APPROVAL_SECONDS = float(os.environ.get("VANBAN_REMOTE_SIGNING_APPROVAL_SECONDS", "120"))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "connect-src": ["'self'", VANBAN_SIGNING_AGENT_URL],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# E-mail: SMTP when VANBAN_EMAIL_HOST is set, otherwise messages are written as files under
# <VANBAN_VAR_DIR>/mail (the demo), so nothing is lost and nothing leaves the machine.
DEFAULT_FROM_EMAIL = os.environ.get("VANBAN_FROM_EMAIL", "vanban@localhost")
EMAIL_HOST = os.environ.get("VANBAN_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("VANBAN_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("VANBAN_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("VANBAN_EMAIL_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("VANBAN_EMAIL_TLS", False)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# The site's address as people reach it (links in notification e-mails), e.g. https://vanban.tinh.gov.vn
VANBAN_SITE_URL = os.environ.get("VANBAN_SITE_URL", "http://127.0.0.1:8000").strip()

# RFC 3161 timestamp service for the signer's and the seal's signatures (PAdES B-T); empty: none.
VANBAN_SIGNING_TSA_URL = os.environ.get("VANBAN_SIGNING_TSA_URL", "").strip()
# Timestamp service for the long-term validation data (PAdES B-LTA) each signed PDF gets when
# it goes into a transfer package to the archive; empty: VANBAN_SIGNING_TSA_URL; both empty: none.
VANBAN_ARCHIVE_TSA_URL = os.environ.get("VANBAN_ARCHIVE_TSA_URL", "").strip()
# Root certificates trusted when validating signatures (a PEM file or a folder of them).
VANBAN_TRUST_ROOTS = os.environ.get("VANBAN_TRUST_ROOTS", str(VAR_DIR / "pki" / "root.pem"))

# Digitizing paper (vanban.scanning.conf): the scanners' consume folders, one per agency
# (<dir>/<agency code>/; empty turns them off), and the limits of a scan.
VANBAN_CONSUME_DIR = os.environ.get("VANBAN_CONSUME_DIR", str(VAR_DIR / "consume"))
VANBAN_CONSUME_SECONDS = os.environ.get("VANBAN_CONSUME_SECONDS", "10")
VANBAN_CONSUME_SETTLE_SECONDS = os.environ.get("VANBAN_CONSUME_SETTLE_SECONDS", "5")
VANBAN_SCAN_MAX_BYTES = os.environ.get("VANBAN_SCAN_MAX_BYTES", str(100 * 1024 * 1024))

# Run by the connector's listeners right after a pull that brought something (comma-separated
# in the environment): arrivals become incoming documents, statuses reach outgoing ones.
VANBAN_CONNECTOR_AFTER_PULL = os.environ.get(
    "VANBAN_CONNECTOR_AFTER_PULL", "vanban.registry.tasks.apply_exchange_updates"
).split(",")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("VANBAN_LOG_LEVEL", "WARNING")},
    "loggers": {
        "vanban": {"level": os.environ.get("VANBAN_LOG_LEVEL", "INFO"), "propagate": True},
    },
}
