"""Settings for e-SAR, read from the environment through typed helpers.

Two shapes of the same code:
- the embedded default (ESAR_ENV=embedded): SQLite in var/, files in var/media, jobs in-process,
  a secret key generated once into var/; nothing to configure;
- a deployment (ESAR_ENV=production): PostgreSQL, a Celery broker, secrets and hosts required.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ESAR_VAR_DIR", str(BASE_DIR / "var")))

ESAR_ENV = env_choice("ESAR_ENV", "embedded", {"embedded", "production"})
PRODUCTION = ESAR_ENV == "production"
DEBUG = env_bool("DJANGO_DEBUG", False)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when ESAR_ENV=production. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # The embedded default keeps a generated key beside its database so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is required when ESAR_ENV=production (comma-separated)."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "esar.core",
    "esar.organizations",
    "esar.accounts",
    "esar.standards",
    "esar.cycles",
    "esar.assessments",
    "esar.sar",
    "esar.synthesis",
    "esar.delivery",
    "esar.helpdesk",
    "esar.monitoring",
    "esar.supervision",
    "esar.circulars",
    "esar.api",
    "esar.front",
    "esar.front.admin_site.EsarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "esar.core.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "esar.accounts.middleware.NoStoreMiddleware",
    # A NUL in any input is refused in one place (PostgreSQL cannot hold it).
    "esar.core.middleware.RefuseNulMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A service's refusal that a page does not answer itself: one Thai 403/409/422 page.
    "esar.core.middleware.ServiceRefusalMiddleware",
    # Signed out after ESAR_SESSION_IDLE_MINUTES without a request.
    "esar.accounts.middleware.IdleTimeoutMiddleware",
    # One-time passwords lead to the password change; DLA and province roles to their second factor.
    "esar.accounts.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "esar.core.middleware.PermissionsPolicyMiddleware",
    # Last, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "esar.front.context_processors.navigation",
            ],
            "builtins": ["esar.core.templatetags.thai"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'esar.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", "" if PRODUCTION else _default_db)
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is required when ESAR_ENV=production, e.g. postgres://user:pass@host:5432/esar"
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login security ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "esar.accounts.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Only for passwords the system generates (see esar/accounts/hashers.py).
    "esar.accounts.hashers.GeneratedSecretHasher",
]
# Django's rules, with messages in e-SAR's Thai catalogue (esar/accounts/validators.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "esar.accounts.validators.UserAttributeSimilarityValidator"},
    {
        "NAME": "esar.accounts.validators.MinimumLengthValidator",
        # ASVS L2: at least 12 characters.
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "esar.accounts.validators.CommonPasswordValidator"},
    {"NAME": "esar.accounts.validators.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Log-in lock-out (django-axes 8; docs/operations.md). Failures are counted per username AND
# client address; the address is read by esar.core.audit.client_ip, which trusts X-Forwarded-For
# only behind ESAR_TRUSTED_PROXIES reverse proxies (0: the header is ignored). A browser (or an
# API script) that has signed in to the account before carries a device key: its attempts skip
# that count and have their own (esar.accounts.lockout), so that someone failing on a colleague's
# username from the same office NAT locks themself out, not the colleague.
ESAR_TRUSTED_PROXIES = env_int("ESAR_TRUSTED_PROXIES", 0, minimum=0)
AXES_FAILURE_LIMIT = env_int("ESAR_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ESAR_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "esar.core.audit.client_ip"
AXES_WHITELIST_CALLABLE = "esar.accounts.lockout.from_known_device"
# A success clears the failures of its username and address, unless it came from a known device
# (esar.accounts.signals): the colleague's sign-in must not clear the guesser's count.
AXES_RESET_ON_SUCCESS = False
ESAR_LOGIN_DEVICE_DAYS = env_int("ESAR_LOGIN_DEVICE_DAYS", 180, minimum=1)
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Second factor (TOTP, django-otp): the name authenticator apps show beside the account.
OTP_TOTP_ISSUER = "e-SAR"
# The admin never shows an authenticator's secret (its key, its QR code): whoever read it could
# produce the owner's codes. Those two admin pages answer 403 instead.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Cookies and security headers -------------------------------------------------------------
SECURE_COOKIES = env_bool("ESAR_SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("ESAR_SESSION_HOURS", 12, minimum=1) * 3600
# Beside the absolute lifetime: signed out after this long without a request.
ESAR_SESSION_IDLE_SECONDS = env_int("ESAR_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_COOKIE_NAME = "esar_session"
LANGUAGE_COOKIE_NAME = "esar_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("ESAR_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ESAR_HSTS_INCLUDE_SUBDOMAINS", True)
BEHIND_TLS_PROXY = env_bool("ESAR_BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain HTTP is sent to HTTPS in production once the proxy says which requests came over TLS
# (without ESAR_BEHIND_TLS_PROXY every request would look plain and redirect for ever). The health
# check stays reachable over plain HTTP for the load balancer.
SECURE_SSL_REDIRECT = env_bool("ESAR_SSL_REDIRECT", PRODUCTION and BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Language, time ---------------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True
# Show Thai digits (๐-๙) in dates and figures.
ESAR_THAI_DIGITS = env_bool("ESAR_THAI_DIGITS", False)

# --- Static and uploaded files ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("ESAR_STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("ESAR_MEDIA_ROOT", str(VAR_DIR / "media")))
# whitenoise expects the folder even before the first collectstatic.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def _xstatic_dir(module: str) -> str:
    import importlib

    return importlib.import_module(module).BASE_DIR


STATICFILES_DIRS = [("vendor/bootstrap", _xstatic_dir("xstatic.pkg.bootstrap"))]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads above this stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ESAR_IMPORT_MAX_BYTES = env_int("ESAR_IMPORT_MAX_MB", 50, minimum=1) * 1024 * 1024

# --- Background jobs ---------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# Without a broker (the embedded default) tasks run in-process...
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# ...but long work (imports, exports, issuance, year refreshes) is handed to a background thread of
# the web process once committed, so the request returns at once (esar.core.background).
ESAR_JOBS_IN_BACKGROUND = env_bool("ESAR_JOBS_IN_BACKGROUND", not CELERY_BROKER_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks (run `make beat` beside the worker in deployments with a broker).
CELERY_BEAT_SCHEDULE = {
    # Each person's digest of what they still owe, every morning at 07:00 Thai time.
    "monitoring.send_reminders": {
        "task": "monitoring.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "e-SAR <no-reply@e-sar.invalid>")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The address links in e-mails point to (no request to take it from in a background task).
ESAR_SITE_URL = env_str("ESAR_SITE_URL", "http://127.0.0.1:8000")

# --- API --------------------------------------------------------------------------------------
ESAR_API_TOKEN_DAYS = env_int("ESAR_API_TOKEN_DAYS", 30, minimum=1)
NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 500

# --- Circulars ---------------------------------------------------------------------------------
ESAR_CIRCULAR_UPLOAD_LIMIT_MB = env_int("ESAR_CIRCULAR_UPLOAD_LIMIT_MB", 20, minimum=1)

# --- Delivery into e-SAR ----------------------------------------------------------------------
# "builtin": this system is the e-SAR store (delivered at once); "remote": packages are sent over
# HTTPS to ONESQA's e-SAR by a background task, retried with backoff.
ESAR_DELIVERY_CHANNEL = env_choice("ESAR_DELIVERY_CHANNEL", "builtin", {"builtin", "remote"})
ESAR_REMOTE_URL = env_str(
    "ESAR_REMOTE_URL",
    required=ESAR_DELIVERY_CHANNEL == "remote",
    hint="Set it to the remote e-SAR's address when ESAR_DELIVERY_CHANNEL=remote.",
)
ESAR_REMOTE_TOKEN = env_str(
    "ESAR_REMOTE_TOKEN",
    required=ESAR_DELIVERY_CHANNEL == "remote",
    hint="Set it to the bearer token ONESQA issued when ESAR_DELIVERY_CHANNEL=remote.",
)
ESAR_REMOTE_TIMEOUT_SECONDS = env_int("ESAR_REMOTE_TIMEOUT_SECONDS", 60, minimum=1)
ESAR_REMOTE_MAX_RETRIES = env_int("ESAR_REMOTE_MAX_RETRIES", 5, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ESAR_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
