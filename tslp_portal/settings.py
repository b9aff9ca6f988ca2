"""Settings for the TSLP Portal.

Everything is declared here once; a deployment differs only by environment variables
(see README.md, "Configuration").
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# DJANGO_SECURE=true declares an HTTPS deployment: secure cookies, HTTPS redirect, HSTS, and a real
# secret key required. Development and the test suite run over plain HTTP without it.
SECURE_DEPLOYMENT = env_bool("DJANGO_SECURE", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if SECURE_DEPLOYMENT:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_SECURE=true.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "tslp_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "tslp_portal.apps.TasksDatabaseConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "tslp_portal",
    "accounts",
    "poverty_data",
    "companies",
    "programs",
    "cycle",
    "etalase",
    "dashboards",
    "demo",
    "lapangan",
    "publik",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tslp_portal.logs.RequestLogMiddleware",
    "api.middleware.MalformedApiRequestMiddleware",
    "tslp_portal.middleware.MalformedRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tslp_portal.middleware.IndonesianByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionSecurityMiddleware",
    "accounts.two_factor.TwoFactorRequiredMiddleware",
    "accounts.field_officer.FieldOfficerMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tslp_portal.urls"

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
                "django.template.context_processors.i18n",
                "tslp_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "tslp_portal.wsgi.application"

# Database: DATABASE_URL, defaulting to a SQLite file in the project. Connections persist between
# requests (measured: 2.5x the throughput of a dashboard-like page on PostgreSQL).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are cheap; persisting them only holds file locks longer.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """The cache named by TSLP_CACHE_URL: ``redis://host:port/db`` (Redis), ``db://table`` (a table in the
    portal's database, made by ``manage.py createcachetable``) or empty for each process's own memory."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    parts = urlsplit(url)
    if parts.scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": parts.netloc or "tslp_cache",
        }
    raise ImproperlyConfigured(
        f"TSLP_CACHE_URL {url!r}: use redis://host:port/db, db://table, or leave it empty."
    )


# The default cache counts the rate limits (sign-in, registration, API throttling). Each gunicorn worker has
# its own by default, so a limit is counted per worker; TSLP_CACHE_URL gives every worker the same one and
# makes the limits exact.
CACHES = {
    "default": cache_from_url(os.environ.get("TSLP_CACHE_URL", "")),
    # Each process's own: page content, figures and reference data, keyed so they cannot go stale
    # (tslp_portal/caching.py). At most about 500 pages of up to 60 KB per worker.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tslp-local",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in protection (django-axes, policy in tslp_portal/security.py: lockout_parameters). Wrong passwords
# within TSLP_LOGIN_LOCKOUT_MINUTES of each other lock signing in for that long:
# - TSLP_LOGIN_FAILURE_LIMIT for one username from one address (that pair only: a guesser elsewhere cannot
#   lock the owner out);
# - TSLP_LOGIN_USERNAME_LIMIT for one username from any addresses, each address counting at most
#   TSLP_LOGIN_FAILURE_LIMIT (a guess spread over many addresses);
# - TSLP_LOGIN_ADDRESS_LIMIT from one address on any usernames (one password tried on many accounts).
# Dinsos unlocks earlier by deleting the attempts in the back office (Axes → Access attempts). Every success
# and failure is in the security log.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TSLP_LOGIN_FAILURE_LIMIT", "5"))
TSLP_LOGIN_USERNAME_LIMIT = int(os.environ.get("TSLP_LOGIN_USERNAME_LIMIT", "30"))
TSLP_LOGIN_ADDRESS_LIMIT = int(os.environ.get("TSLP_LOGIN_ADDRESS_LIMIT", "30"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("TSLP_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = "tslp_portal.security.lockout_parameters"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tslp_portal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "tslp_portal.security.client_ip"
AXES_VERBOSE = False  # the portal's own security log records each attempt

# Sessions (accounts/sessions.py): at most 12 hours; signed out after 30 minutes idle for Dinsos and staff
# (whose session also ends with the browser), 2 hours for the other roles.
# Stored in the database (Django's default engine).
SESSION_COOKIE_AGE = int(os.environ.get("TSLP_SESSION_MAX_AGE", str(12 * 3600)))
TSLP_IDLE_TIMEOUT_DINSOS = int(os.environ.get("TSLP_IDLE_TIMEOUT_DINSOS", str(30 * 60)))
TSLP_IDLE_TIMEOUT = int(os.environ.get("TSLP_IDLE_TIMEOUT", str(2 * 3600)))

# Second factor (TOTP app plus recovery codes, django-otp) for Dinsos and staff accounts: required in an
# HTTPS deployment, off by default in development so that `make run`'s demo logins need only a password.
TSLP_REQUIRE_2FA = env_bool("TSLP_REQUIRE_2FA", SECURE_DEPLOYMENT)
OTP_TOTP_ISSUER = "Portal TSLP Pulang Pisau"

# Company registration: at most TSLP_REGISTER_LIMIT submissions per address per TSLP_REGISTER_WINDOW seconds.
TSLP_REGISTER_LIMIT = int(os.environ.get("TSLP_REGISTER_LIMIT", "10"))
TSLP_REGISTER_WINDOW = int(os.environ.get("TSLP_REGISTER_WINDOW", "3600"))
# Password reset: at most this many requests per address, and mails per account, an hour; past either the
# page looks the same and no mail is sent.
TSLP_PASSWORD_RESET_LIMIT_ADDRESS = int(os.environ.get("TSLP_PASSWORD_RESET_LIMIT_ADDRESS", "5"))
TSLP_PASSWORD_RESET_LIMIT_ACCOUNT = int(os.environ.get("TSLP_PASSWORD_RESET_LIMIT_ACCOUNT", "3"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Internationalisation: Indonesian first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"  # Kalimantan Tengah is on WIB.
USE_I18N = True
USE_TZ = True
# Grouping is applied where a number is an amount (rupiah, intcomma), never to years or codes.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["tslp_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "tslp_portal.storage.StaticFilesStorage"
        )
    },
}
# Uploaded files hold personal and business data: they live outside any public path and are served
# only through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("TSLP_PRIVATE_MEDIA_ROOT") or BASE_DIR / "private_media")
# Uploaded files (registry exports with every NIK, photos of people) are readable by the portal's own
# user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# The delivery page posts three fields per household in one form; a program may have a few thousand.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# E-mail: printed to the console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Portal TSLP Pulang Pisau <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where submissions are announced to Dinsos (comma-separated addresses).
TSLP_DINSOS_EMAILS = env_list("TSLP_DINSOS_EMAILS")

# The portal's public address, for links in e-mails.
TSLP_SITE_URL = os.environ.get("TSLP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background tasks (registry imports): the database backend with a worker (`make worker`), or run at once
# in the request with TSLP_TASKS_IMMEDIATE=true (the default with DJANGO_DEBUG, i.e. `make run`).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TSLP_TASKS_IMMEDIATE", DEBUG)
            else "django_tasks_db.backend.DatabaseBackend"
        )
    }
}
# Uploaded registry files not applied (checked only, refused, failed) are deleted this many days after
# their last use by `manage.py purge_registry_files` (run daily); applied ones at once.
TSLP_REGISTRY_FILE_RETENTION_DAYS = int(os.environ.get("TSLP_REGISTRY_FILE_RETENTION_DAYS", "7"))
# Registry files uploaded through the web page (bytes).
TSLP_IMPORT_MAX_UPLOAD = int(os.environ.get("TSLP_IMPORT_MAX_UPLOAD", str(512 * 1024**2)))

# The regency this portal serves: configuration, not code.
TSLP_KABUPATEN_KODE = os.environ.get("TSLP_KABUPATEN_KODE", "62.11")

# Dashboards cache their content (per area, year, poverty line, language) until anything they show changes;
# this bounds how long an entry lives. 0 turns the cache off.
TSLP_DASHBOARD_CACHE_SECONDS = int(os.environ.get("TSLP_DASHBOARD_CACHE_SECONDS", "600"))
TSLP_KABUPATEN_NAMA = os.environ.get("TSLP_KABUPATEN_NAMA", "Kabupaten Pulang Pisau")
# Organisation identifiers in the open-data files (IATI, 360Giving, HXL). A company's is this prefix and its
# NIB, never an NPWP. Replace them with registered org-id.guide identifiers when the regency has them.
TSLP_COMPANY_ORG_ID_PREFIX = os.environ.get("TSLP_COMPANY_ORG_ID_PREFIX", "ID-NIB")
TSLP_REGENCY_ORG_ID = os.environ.get("TSLP_REGENCY_ORG_ID", "ID-KEMENDAGRI-6211")
TSLP_REPORTING_ORG_ID = os.environ.get("TSLP_REPORTING_ORG_ID", "ID-KEMENDAGRI-6211-DINSOS")

# Security headers always; HTTPS-only behaviour with DJANGO_SECURE=true. Behind a TLS-terminating proxy
# also set DJANGO_SECURE_PROXY_SSL=true.
SESSION_COOKIE_SECURE = SECURE_DEPLOYMENT
CSRF_COOKIE_SECURE = SECURE_DEPLOYMENT
SECURE_SSL_REDIRECT = SECURE_DEPLOYMENT
SECURE_HSTS_SECONDS = (
    int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000")) if SECURE_DEPLOYMENT else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_DEPLOYMENT
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", SECURE_DEPLOYMENT)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp 4): everything from the portal itself, no inline script or style
# (behaviour lives in static/js, looks in static/css); data: images only for Bootstrap's inline SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
TSLP_TRUST_PROXY = env_bool("DJANGO_SECURE_PROXY_SSL", False)
# X-Forwarded-For is believed only from these peers (addresses or networks; tslp_portal/security.py): behind
# a TLS proxy on the same host, loopback; otherwise nobody.
TSLP_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy, strict=False))  # a typing error stops the start, not every request
    for proxy in env_list("TSLP_TRUSTED_PROXIES", "127.0.0.1,::1" if TSLP_TRUST_PROXY else "")
]
if TSLP_TRUST_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env_list("DJANGO_SILENCED_SYSTEM_CHECKS")

# The REST API under /api/v1/ (see README, "API"). Sessions serve the pages and the docs; tokens serve
# integrations. Rates are "N/sec|min|hour|day".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "tslp_portal.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
TSLP_API_THROTTLE_ANON = os.environ.get("TSLP_API_THROTTLE_ANON") or "60/min"
TSLP_API_THROTTLE_USER = os.environ.get("TSLP_API_THROTTLE_USER") or "600/min"
SPECTACULAR_SETTINGS = {
    "TITLE": "TSLP Portal API — Kabupaten Pulang Pisau",
    "DESCRIPTION": (
        "Wilayah, companies, programs, beneficiaries, households and statistics of the TSLP Portal, with the "
        "scope rules of the pages. Anonymous callers see public data; integrations send a token issued by "
        "Dinsos as `Authorization: Bearer <token>`. Errors have one shape (`Error`)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Anonymous callers get a subset of the fields of a signed-in caller, under one documented shape.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
    # Offline: Swagger UI and its favicon from the sidecar package, never from a CDN; no online validator.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True, "persistAuthorization": False},
}

# Logs go to standard output (journald or the service manager rotates them): JSON lines in an HTTPS
# deployment (TSLP_LOG_FORMAT=json), plain text in development. "tslp.security" holds sign-ins, lockouts,
# second-factor and session events; "tslp.request" one line per request.
TSLP_LOG_FORMAT = os.environ.get("TSLP_LOG_FORMAT", "json" if SECURE_DEPLOYMENT else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "tslp_portal.logs.JsonLinesFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": TSLP_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # django-axes repeats what the security log says, with masked names.
        "axes": {"level": "WARNING"},
        "tslp.request": {
            "level": os.environ.get("TSLP_REQUEST_LOG_LEVEL", "INFO" if SECURE_DEPLOYMENT else "WARNING")
        },
    },
}
