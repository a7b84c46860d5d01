"""The one settings module. Everything comes from the environment (``MOTCUA_*`` and
``DATABASE_URL``); every default is the embedded one: SQLite in WAL mode under ``var/``,
files under ``var/media/``, tasks run in-process. See README "Settings"."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("MOTCUA_VAR_DIR", str(Path.cwd() / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# "production" refuses the embedded conveniences (generated secret key, sandboxes).
ENVIRONMENT = env("MOTCUA_ENV", "embedded")
DEBUG = env_bool("MOTCUA_DEBUG", False)


def _secret_key() -> str:
    key = env("MOTCUA_SECRET_KEY")
    if key:
        return key
    if ENVIRONMENT == "production":
        raise RuntimeError("MOTCUA_SECRET_KEY must be set when MOTCUA_ENV=production")
    # Embedded installs keep a generated key in var/ so sessions survive restarts
    # without anyone having to invent a secret.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.accounts",
    "motcua.geo",
    "motcua.catalog",
    "motcua.eforms",
    "motcua.dossiers",
    "motcua.notifications",
    "motcua.resumable",
    "motcua.reports",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.community",
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "motcua.core.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "motcua.api.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into a clear refusal.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context_processors.site",
                "motcua.reports.context_processors.stats",
                "motcua.community.context_processors.community",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
        # BEGIN so two writers queue on busy_timeout instead of failing with "database is locked".
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["TEST"] = {"NAME": env("MOTCUA_TEST_SQLITE_NAME", "") or None}
else:
    if env_bool("MOTCUA_DB_POOL", False):
        # psycopg's pool in each process: connections are reused across requests without
        # holding one per idle thread (persistent connections must then be off).
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": int(env("MOTCUA_DB_POOL_MIN", "2")),
            "max_size": int(env("MOTCUA_DB_POOL_MAX", "10")),
            "timeout": float(env("MOTCUA_DB_POOL_TIMEOUT", "10")),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = int(env("MOTCUA_DB_CONN_MAX_AGE", "60"))
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts --------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "motcua.accounts.hashers.ModestArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:my_dossiers"
# Lockout after repeated failures (django-axes): per user name and address together, so one
# attacker cannot lock every citizen out from one machine, nor guess from many.
AXES_FAILURE_LIMIT = int(env("MOTCUA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("MOTCUA_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "motcua.accounts.lockout.lockout_response"
API_TOKEN_DAYS = int(env("MOTCUA_API_TOKEN_DAYS", "30"))

# Resumable uploads: how long an unfinished one is kept.
RESUMABLE_UPLOAD_HOURS = int(env("MOTCUA_RESUMABLE_UPLOAD_HOURS", "24"))

# --- dossiers --------------------------------------------------------------------------------
# How many times an apology letter may move an appointment (NĐ 61/2018: once).
APOLOGY_LIMIT = int(env("MOTCUA_APOLOGY_LIMIT", "1"))
# Tracking: lookups allowed per address per 10 minutes.
TRACKING_RATE_LIMIT = int(env("MOTCUA_TRACKING_RATE_LIMIT", "20"))

# --- community digital technology teams (docs/community.md) ----------------------------------
# Team size (4–9 in the ministry's guidance), the allowance per attended desk session, and the
# consent code a citizen reads back when a member submits on their behalf. A province or a
# commune may set its own bounds and rate (Quản trị → Local rules for teams).
TEAM_MIN_MEMBERS = int(env("MOTCUA_TEAM_MIN_MEMBERS", "4"))
TEAM_MAX_MEMBERS = int(env("MOTCUA_TEAM_MAX_MEMBERS", "9"))
ALLOWANCE_PER_SESSION = int(env("MOTCUA_ALLOWANCE_PER_SESSION", "30000"))
CONSENT_CODE_MINUTES = int(env("MOTCUA_CONSENT_CODE_MINUTES", "10"))
CONSENT_CODE_ATTEMPTS = int(env("MOTCUA_CONSENT_CODE_ATTEMPTS", "5"))
# Officials of these kinds of agency manage the teams of their commune / see every team.
COMMUNITY_COMMUNE_AGENCY_KINDS = env_list("MOTCUA_COMMUNITY_COMMUNE_AGENCY_KINDS", "ubnd_xa")
COMMUNITY_PROVINCE_AGENCY_KINDS = env_list("MOTCUA_COMMUNITY_PROVINCE_AGENCY_KINDS", "so_khcn")

# --- background tasks ------------------------------------------------------------------------
# "immediate" runs a task in the process that enqueued it, after the transaction commits;
# "database" queues it in the database for `motcua db_worker`.
# "redis" queues it in Redis for RQ workers (`motcua rqworker --job-class django_tasks_rq.Job`).
TASKS_BACKEND = env("MOTCUA_TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
            "redis": "django_tasks_rq.RQBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
if TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env("MOTCUA_REDIS_URL", "redis://127.0.0.1:6379/0")}}

# --- cache ---------------------------------------------------------------------------------
# Per-process memory by default; MOTCUA_CACHE_URL=redis://… shares it between processes.
CACHE_URL = env("MOTCUA_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": 5000}}}

# --- internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env("MOTCUA_LANGUAGE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- files -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("MOTCUA_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MOTCUA_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "MOTCUA_STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Attachments in S3-compatible object storage (MinIO, Ceph, a cloud's), never public: files
# are read through the application, which checks who may see them.
if env("MOTCUA_STORAGE", "local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("MOTCUA_S3_BUCKET", "motcua"),
            "endpoint_url": env("MOTCUA_S3_ENDPOINT_URL") or None,
            "region_name": env("MOTCUA_S3_REGION") or None,
            "access_key": env("MOTCUA_S3_ACCESS_KEY") or None,
            "secret_key": env("MOTCUA_S3_SECRET_KEY") or None,
            "location": env("MOTCUA_S3_PREFIX", "media"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Without collectstatic (embedded, tests) WhiteNoise serves straight from the apps.
WHITENOISE_USE_FINDERS = env_bool("MOTCUA_STATIC_FROM_APPS", True)
WHITENOISE_MAX_AGE = int(env("MOTCUA_STATIC_MAX_AGE", "3600"))

# --- uploads (motcua.core.uploads) ------------------------------------------------------------
# Largest file accepted (PDF, JPEG, PNG, HEIC) and the longest side a photo is reduced to.
UPLOAD_MAX_BYTES = int(env("MOTCUA_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
UPLOAD_IMAGE_MAX_PX = int(env("MOTCUA_UPLOAD_IMAGE_MAX_PX", "2000"))
# Django keeps an upload in memory up to this size, then streams it to a temporary file; past
# UPLOAD_MAX_BYTES the first handler drops the bytes, so no upload grows beyond the limit.
FILE_UPLOAD_MAX_MEMORY_SIZE = min(UPLOAD_MAX_BYTES, 2_621_440)
FILE_UPLOAD_HANDLERS = [
    "motcua.core.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Request bodies other than files (form fields, JSON) stay small: files are not counted here.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", ENVIRONMENT == "production")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Our own files only: no inline script, no other host, no framing. Inline SVG charts may carry
# style attributes, hence 'unsafe-inline' for styles alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_HSTS_SECONDS = int(env("MOTCUA_HSTS_SECONDS", "31536000" if ENVIRONMENT == "production"
                              else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = (("HTTP_X_FORWARDED_PROTO", "https")
                           if env_bool("MOTCUA_BEHIND_HTTPS_PROXY", False) else None)

# --- the installation ------------------------------------------------------------------------
# Statistical code of the province this installation serves (25 = Phú Thọ, the demo).
PROVINCE_CODE = env("MOTCUA_PROVINCE_CODE", "25")
SITE_NAME = env("MOTCUA_SITE_NAME", "Cổng Dịch vụ công")
# The public address of the portal, printed on paper (the tracking link and QR code of a
# receipt): a printed notice has no request to take the host from.
SITE_URL = env("MOTCUA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PAGE_SIZE = int(env("MOTCUA_PAGE_SIZE", "20"))
# Office hours every deadline counts in, unless a one-stop desk has its own: comma-separated
# HH:MM-HH:MM periods, a morning and an afternoon (each is a "half day"). Checked at start-up.
WORKING_PERIODS = env("MOTCUA_WORKING_PERIODS", "07:30-11:30,13:30-17:00")
# Adds /_bench/bare/<pk>, the single-query reference view of the benchmarks. Never in production.
BENCH_VIEWS = env_bool("MOTCUA_BENCH_VIEWS", False) and ENVIRONMENT != "production"

# --- notifications ---------------------------------------------------------------------------
# Email through Django's mail backend. The embedded default writes each message to a file under
# var/mail/: nothing is lost and a developer can read what citizens would receive.
_EMAIL_BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS.get(env("MOTCUA_EMAIL_BACKEND", "file"),
                                    env("MOTCUA_EMAIL_BACKEND", "file"))
EMAIL_FILE_PATH = Path(env("MOTCUA_EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = env("MOTCUA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("MOTCUA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("MOTCUA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env("MOTCUA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("MOTCUA_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("MOTCUA_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("MOTCUA_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = env("MOTCUA_EMAIL_FROM", f"{SITE_NAME} <no-reply@localhost>")
# SMS through an SmsGateway class; the embedded one appends each message to a local file.
SMS_GATEWAY = env("MOTCUA_SMS_GATEWAY", "motcua.notifications.channels.FileSmsGateway")
SMS_OUTBOX = Path(env("MOTCUA_SMS_OUTBOX", str(VAR_DIR / "sms" / "outbox.log")))
NOTIFY_MAX_ATTEMPTS = int(env("MOTCUA_NOTIFY_MAX_ATTEMPTS", "5"))
NOTIFY_RETRY_SECONDS = int(env("MOTCUA_NOTIFY_RETRY_SECONDS", "60"))
NOTIFY_STUCK_MINUTES = int(env("MOTCUA_NOTIFY_STUCK_MINUTES", "10"))

# "json" (one object a line, for a log collector; the default in production) or "plain".
LOG_FORMAT = env("MOTCUA_LOG_FORMAT", "json" if ENVIRONMENT == "production" else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal": {"()": "motcua.core.logging.MaskPersonalData"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
                 "rename_fields": {"asctime": "time", "levelname": "level"}},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["personal"]}},
    "root": {"handlers": ["console"], "level": env("MOTCUA_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task run is noise; failures still show.
        "django_tasks": {"level": "WARNING"},
        # pypdf logs every oddity of a broken upload as a warning: noise, since it is refused.
        "pypdf": {"level": "ERROR"},
    },
}
