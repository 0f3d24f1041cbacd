"""Django settings for Tiaodu. Everything configurable comes from the environment (see .env.example)."""

from pathlib import Path

import dj_database_url

from tiaodu.env import env_bool, env_int, env_list, env_megabytes, env_str, load_dotenv, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")
# TIAODU_VAR_DIR (the misspelt TIADU_VAR_DIR of earlier versions is still read).
VAR_DIR = Path(env_str("TIAODU_VAR_DIR", env_str("TIADU_VAR_DIR", str(BASE_DIR / "var"))))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "tiaodu.core",
    "tiaodu.orgs",
    "tiaodu.projects",
    "tiaodu.scheduling",
    "tiaodu.progress",
    "tiaodu.investment",
    "tiaodu.supervision",
    "tiaodu.briefings",
    "tiaodu.command",
    "tiaodu.portal",
    "tiaodu.demo",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tiaodu.orgs.security.sessions.SessionRenewMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tiaodu.core.middleware.RejectNulMiddleware",
    "tiaodu.core.middleware.LoginReturnMiddleware",
    "tiaodu.orgs.security.middleware.SecurityControlsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tiaodu.core.headers.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiaodu.urls"

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
                "tiaodu.portal.context_processors.navigation",
                "tiaodu.supervision.context_processors.inbox_unread",
            ],
        },
    },
]

WSGI_APPLICATION = "tiaodu.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tiaodu.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tiaodu.orgs.backends.UserBackend",  # ModelBackend; the user with its person and unit in one query
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tiaodu.orgs.security.passwords.PasswordHistoryValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Session: expires after SESSION_TIMEOUT_MINUTES without activity, and when the browser closes. A request
# renews it when its last renewal is a minute old or more (SessionRenewMiddleware), not on every request.
SESSION_COOKIE_AGE = env_int("SESSION_TIMEOUT_MINUTES", 120) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# HTTPS=1 in production behind TLS: secure cookies, redirect to https, HSTS (HSTS_SECONDS).
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
if env_bool("BEHIND_PROXY", False):  # a TLS-terminating proxy (nginx) sets X-Forwarded-Proto
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No page may be framed (X-Frame-Options DENY, CSP frame-ancestors 'none'), except the document files
# that our own pages preview in a frame (PDF previews): those responses say SAMEORIGIN themselves.
# The Content-Security-Policy, Permissions-Policy and no-store headers: tiaodu.core.headers.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Joining the browsers' HSTS preload list is the operator's decision (HSTS_PRELOAD=1), not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
CSRF_FAILURE_VIEW = "tiaodu.core.error_views.csrf_failure"

# django-axes: lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False

# 等保 level-3 controls (tiaodu/orgs/security). A password older than PASSWORD_MAX_AGE_DAYS must be changed
# before anything else (0: never expires); the last PASSWORD_HISTORY passwords may not be reused.
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)
PASSWORD_HISTORY = env_int("PASSWORD_HISTORY", 5)
# SINGLE_SESSION=1: a new sign-in ends the account's other sessions.
SINGLE_SESSION = env_bool("SINGLE_SESSION", False)
# SEPARATION_OF_DUTIES=1 (三员分立): administrators cannot read the audit log, auditors change nothing,
# only security officers change accounts' permissions.
SEPARATION_OF_DUTIES = env_bool("SEPARATION_OF_DUTIES", False)
# The security audit log is kept this many days (at least 180), then pruned by the daily job.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
if AUDIT_RETENTION_DAYS < 180:
    raise RuntimeError(
        f"AUDIT_RETENTION_DAYS must be at least 180 (等保: 审计记录至少保存6个月), got {AUDIT_RETENTION_DAYS}"
    )
if PASSWORD_MAX_AGE_DAYS < 0 or PASSWORD_HISTORY < 0:
    raise RuntimeError("PASSWORD_MAX_AGE_DAYS and PASSWORD_HISTORY must not be negative")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# The apps' static files and, from node_modules and the API docs' sidecar, only the files the pages load
# (the list: tiaodu.core.staticfiles.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "tiaodu.core.staticfiles.CollectedAppsFinder",
    "tiaodu.core.staticfiles.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "tiaodu.core.staticfiles.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# The map's base layer (/map/, the project file, the big screen). No URL: the map is drawn offline on the
# district boundary the office uploads, and the page asks nothing of any other host. MAP_TILE_CRS says in
# which datum the tiles are drawn: "gcj02" (高德, 腾讯) or "wgs84" (天地图/CGCS2000, OpenStreetMap);
# coordinates are stored in WGS-84 and shifted for display (tiaodu.core.gcj02).
MAP_TILE_URL = env_str("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")
MAP_TILE_CRS = env_str("MAP_TILE_CRS", "wgs84").lower()
MAP_TILE_SUBDOMAINS = env_str("MAP_TILE_SUBDOMAINS", "")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tiaodu.orgs.security.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["tiaodu.core.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "tiaodu.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tiaodu 调度 API",
    "DESCRIPTION": "重点工程调度督办平台 REST API v1",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs are for signed-in users only (session or token).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents the JSON errors it can answer (400, 401, 403, 404): tiaodu.core.openapi.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tiaodu.core.openapi.document_error_responses",
    ],
}

LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise RuntimeError(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
# LOG_FORMAT=json: one JSON object per line (tiaodu.core.logs.JsonFormatter) for a log collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "tiaodu.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Weekly briefing (调度通报): when the job runner makes it (crontab: minute hour day month weekday),
# and the issuing office printed on it (default: the leading group's office unit).
BRIEFING_CRON = env_str("BRIEFING_CRON", "30 8 * * 5")
BRIEFING_ISSUER = env_str("BRIEFING_ISSUER", "")
BRIEFING_PDF_PARALLEL = env_bool("BRIEFING_PDF_PARALLEL", True)
# Document center
SHARE_LINK_MAX_DAYS = env_int("SHARE_LINK_MAX_DAYS", 30)

# Uploaded images (report and supervision photos, the document center) of more pixels are refused
# before they are decoded (tiaodu.core.images); Pillow's own warning band (89–179 MP) is refused too.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_MEGAPIXELS", 50) * 1_000_000

# /healthz reports a failure below this much free disk (MB) where the database and files live.
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 500)

# Absolute address of the site, used in links inside e-mails and group-robot messages.
SITE_URL = env_str("SITE_URL", "")

# Upload limits, each in MB in the environment (checked by tiaodu.core.uploads).
LEDGER_MAX_BYTES = env_megabytes("LEDGER_MAX_MB", 50)  # the project ledger workbook
DOCUMENT_MAX_BYTES = env_megabytes("DOCUMENT_MAX_MB", 50)  # a file in the document center
LETTER_SCAN_MAX_BYTES = env_megabytes("LETTER_SCAN_MAX_MB", 20)  # a responsibility letter's scan
PHOTO_MAX_BYTES = env_megabytes("PHOTO_MAX_MB", 10)  # each photo of a report or a supervision item
SCHEDULE_IMPORT_MAX_BYTES = env_megabytes("SCHEDULE_IMPORT_MAX_MB", 20)  # a schedule file
REPORT_IMPORT_MAX_BYTES = env_megabytes("REPORT_IMPORT_MAX_MB", 20)  # a workbook of weekly reports

# Background and periodic jobs (huey). Embedded SQLite queue by default; Redis at scale
# (HUEY_REDIS_URL=redis://127.0.0.1:6379/0). `make run` starts the consumer beside the web server.
# HUEY_IMMEDIATE=1 runs tasks in-process (tests).
_HUEY_REDIS = env_str("HUEY_REDIS_URL", "")
HUEY = {
    "name": "tiaodu",
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "utc": False,
    "consumer": {"workers": 1, "worker_type": "thread", "periodic": True},
}
if _HUEY_REDIS:
    # A Redis that stops answering must not hang a request (/healthz, a page queuing a job): time-outs
    # unless the URL sets its own.
    if "socket_timeout" not in _HUEY_REDIS:
        _HUEY_REDIS += ("&" if "?" in _HUEY_REDIS else "?") + "socket_connect_timeout=2&socket_timeout=5"
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _HUEY_REDIS})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")})

# E-mail for notifications (Django's mail settings). Console by default.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tiaodu@localhost")
# Group-robot webhooks (DingTalk / WeCom) that receive every notification, comma-separated.
# A DingTalk URL may carry its signing secret after a "|" : https://...robot/send?access_token=x|SEC...
NOTIFY_WEBHOOK_URLS = env_list("NOTIFY_WEBHOOK_URLS", [])
# Webhooks never go to loopback, private or link-local addresses unless named here (hosts, IPs, CIDRs).
NOTIFY_WEBHOOK_ALLOW = env_list("NOTIFY_WEBHOOK_ALLOW", [])
