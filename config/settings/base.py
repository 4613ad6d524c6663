"""Settings shared by every environment. Everything that differs comes from the environment (12-factor)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LIENKET_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-lienket-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves Swagger UI from its bundled static files, never a CDN
    "django_tasks",
    "django_tasks_db",
    "lienket.core",
    "lienket.search",
    "lienket.users",
    "lienket.regions",
    "lienket.conferences",
    "lienket.library",
    "lienket.reporting",
    "lienket.products",
    "lienket.proposals",
    "lienket.cooperation",
    "lienket.analytics",
    "lienket.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lienket.users.middleware.BearerTokenMiddleware",
    "lienket.core.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lienket.core.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lienket" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lienket.core.context_processors.site",
            ],
            "builtins": ["lienket.core.templatetags.lk"],
        },
    }
]

# DB_CONN_MAX_AGE: seconds a connection is kept between requests (0 = a new one per request). Development
# keeps 0 (runserver's threads would each hold one); production.py defaults to persistent connections.
# CONN_HEALTH_CHECKS: a kept connection that the server dropped is replaced before the request uses it.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server, the task worker and a shell share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "home"
# Where each role lands after logging in without a `next` (lienket.users.views.LoginView; first matching role
# in this order). Roles not listed land on LOGIN_REDIRECT_URL.
LIENKET_LANDING = {
    "province_officer": "reporting:home",
    "province_director": "reporting:home",
    "ministry_coordinator": "reporting:home",
    # A Ministry unit's work is answering the proposals assigned to it; a conference secretariat gathers the
    # proposals the conference will discuss — both start on the proposals work list (due-soon, overdue first).
    "ministry_unit": "proposals:work_list",
    "secretariat": "proposals:work_list",
}
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failed logins (see lienket.users.services.user_authenticate).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "lienket" / "static"]
# plotly's bundled plotly.min.js, served from the pinned package (lienket.analytics.staticfiles).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "lienket.analytics.staticfiles.PlotlyFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: the Excel importer enforces its own limit with a clear message; Django's guard sits above it.
LIENKET_MAX_UPLOAD_BYTES = int(os.environ.get("LIENKET_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:  # Django's Redis cache, reusing its client object (lienket.core.cache: issue #18)
    CACHES = {"default": {"BACKEND": "lienket.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: immediate in dev and tests, database queue + `manage.py db_worker` in production.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Public address of the site, for links in e-mails (reminders).
LIENKET_SITE_URL = os.environ.get("LIENKET_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "LienKet <no-reply@lienket.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie; kept readable for API clients
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4): only our own files run or style the page — no inline script, no inline
# style, no eval, nothing from another origin. Templates keep to it (a test greps them; a browser test listens for
# violations). The Swagger UI at /api/v1/docs needs nothing more.
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
    },
}
# Permissions-Policy (lienket.core.middleware.PermissionsPolicyMiddleware): no page needs these browser features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment",
                    "usb", "display-capture")
}

NINJA_PAGINATION_PER_PAGE = 100
# Every `@paginate` gets bounded limit/offset (ninja's own leaves offset unbounded: a 500 on a huge offset).
NINJA_PAGINATION_CLASS = "lienket.core.api.BoundedLimitOffsetPagination"
NINJA_PAGINATION_MAX_LIMIT = 1000
NINJA_MAX_PER_PAGE_SIZE = 1000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Search (lienket.search): every app that puts items in the index names its `search_documents()` here, and
# `manage.py search_reindex` rebuilds the index from them (search sits low and cannot import the apps itself).
# A new app = one line. The viewer's scope (what they may see) is computed by the users app, which knows the roles.
SEARCH_DOCUMENT_SOURCES = [
    "lienket.regions.selectors.search_documents",
    "lienket.conferences.selectors.search_documents",
    "lienket.library.selectors.search_documents",
    "lienket.reporting.selectors.search_documents",
    "lienket.products.selectors.search_documents",
    "lienket.proposals.selectors.search_documents",
    "lienket.cooperation.selectors.search_documents",
]
# The apps above the library that name its documents: each `f(document=..., user=...) -> list[CitedBy]` (the
# library page lists "Named in"; the library cannot import them).
LIBRARY_CITED_BY_SOURCES = [
    "lienket.proposals.selectors.proposals_citing",
    "lienket.cooperation.selectors.programmes_citing",
]
SEARCH_SCOPE_FUNCTION = "lienket.users.search.search_scope"
# Library files: what a document's file may be, and how large.
LIENKET_LIBRARY_MAX_FILE_BYTES = int(os.environ.get("LIENKET_LIBRARY_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
