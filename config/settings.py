"""SmartHR settings: one module, read from the environment (12-factor).

Defaults work on a laptop with nothing installed (SQLite, tasks in-process). With DEBUG off
the app refuses to start until the settings production needs are given.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-dev-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off SmartHR will not start without one: "
            "set the SECRET_KEY environment variable to a long random string "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "core",
    "audit",
    "hr",
    "recruiting",
    "privacy",
    "demo",
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "privacy.middleware.CurrentRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # X-RateLimit-* on the API's answers to a key (docs/api.md, "Rate limit").
    "integrations.middleware.RateLimitHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "core.context_processors.roles",
            ],
        },
    },
]

# Database: a SQLite file by default; PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's queries are short: PostgreSQL's JIT spent 30-40 ms compiling each search
    # query for no gain (bench/portal_speed.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a local worker writes; IMMEDIATE avoids
    # "database is locked" on write upgrades.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes), on /login/ and /admin/login/; API keys are not affected.
# LOGIN_FAILURE_LIMIT failed sign-ins for one username, or from one address, lock that
# username or address for LOGIN_LOCKOUT_MINUTES after the last failure (the page says so, and
# who can unlock it: README "Locked out of sign-in").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, not the pair
# A success must not clear failures: with one valid account an attacker would otherwise wipe
# the count of the address they guess another account's password from.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.login_guard.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # failures are counted; successful sign-ins are not logged
# Proxies (load balancer, nginx) in front of the app that append to X-Forwarded-For: without
# it, every sign-in seems to come from the proxy and its failures would lock everyone out.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Static files: WhiteNoise serves them from gunicorn; no separate web server needed.
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
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

# Uploads: the largest resume or attachment a user may send (bytes).
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_SIZE + 1024 * 1024
# Bulk uploads send hundreds of resumes in one request.
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("MAX_UPLOAD_FILES", default=1000)

# E-mail: console in development; e.g. EMAIL_URL=smtp+tls://user:pass@host:587 in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SmartHR <noreply@smarthr.local>")
# The company named in candidate e-mails ({company_name} in e-mail templates).
COMPANY_NAME = env.str("COMPANY_NAME", default="SmartHR")
# Absolute links in e-mails (a Celery worker has no request to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: no broker configured means tasks run in-process (eager), so a fresh machine
# needs nothing else; set CELERY_BROKER_URL (redis:// or amqp://) for real workers.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    CELERY_BROKER_URL = "memory://localhost/"  # never contacted in eager mode
# In-process tasks log their failures instead of failing the request that queued them.
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis only (RabbitMQ redelivers as soon as a worker's connection drops): a task taken by a
# worker that died is handed to another after this many seconds. A little above the longest
# task time limit (analyze_answers, 660 s), so a task still running is not handed out twice.
# A retry's countdown longer than this (webhook backoff) is also handed out again: tasks are
# idempotent and e-mails claimed before sending, so that costs work, never a second e-mail.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Workers look for such tasks every few seconds (kombu's default scans every ~100 s).
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 2)),
    "unacked_restore_throttle": 1,
}
CELERY_TIMEZONE = TIME_ZONE
# Work whose message was lost (broker down at enqueue, Redis restarted without persistence)
# stays pending in the database; the sweepers below queue it again once it is this old.
PENDING_WORK_DEADLINE_S = env.int("PENDING_WORK_DEADLINE_S", default=600)
# E-mails pending for longer than this are no longer worth sending (a stage change of last
# week); survey and self-ID links are still valid and can be sent again by a reminder.
PENDING_MAIL_MAX_AGE_S = env.int("PENDING_MAIL_MAX_AGE_S", default=2 * 86400)
# Models a worker process loads at start (core/warmup.py): "fit", "sentiment". The fit
# model is the one every scoring task needs; the sentiment ensemble loads on first use.
WORKER_WARM_MODELS = env.list("WORKER_WARM_MODELS", default=["fit"])

# Scheduled work (run `celery -A config beat`, exactly one per deployment).
CELERY_BEAT_SCHEDULE = {
    # Picks up a newly activated fit model: jobs without its embeddings are re-scored.
    "rescore-stale-jobs": {"task": "recruiting.tasks.rescore_stale", "schedule": 600.0},
    # Survey answers analysed by an older sentiment model are analysed again.
    "reanalyze-stale-answers": {"task": "hr.tasks.reanalyze_stale_answers", "schedule": 3600.0},
    # Candidates past their retention date are anonymised (docs/responsible-ai.md).
    "apply-candidate-retention": {"task": "privacy.tasks.apply_retention", "schedule": 86400.0},
    # Pending work whose message was lost (core/tasks.py): resumes queued or interrupted,
    # stage e-mails and survey links not sent.
    "sweep-pending-resumes": {"task": "recruiting.tasks.sweep_pending_resumes", "schedule": 120.0},
    "sweep-stage-notifications": {
        "task": "recruiting.tasks.sweep_stage_notifications",
        "schedule": 120.0,
    },
    "sweep-outbound-emails": {"task": "recruiting.tasks.sweep_outbound_emails", "schedule": 120.0},
    "sweep-unsent-survey-links": {"task": "hr.tasks.sweep_unsent_survey_links", "schedule": 120.0},
    "sweep-webhook-deliveries": {
        "task": "integrations.tasks.sweep_webhook_deliveries",
        "schedule": 120.0,
    },
    # Expired Idempotency-Key records (they are ignored once expired; this keeps the table small).
    "purge-idempotency-records": {
        "task": "integrations.tasks.purge_idempotency_records",
        "schedule": 86400.0,
    },
}

# The cache holds API rate-limit counters: with several web processes they must share one, so
# production sets CACHE_URL (e.g. redis://127.0.0.1:6379/2); the default is per process.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Privacy: a candidate without an explicit retain_until is kept this many days after their
# last activity; the bias audit flags "scored above threshold" at this calibrated score.
CANDIDATE_RETENTION_DAYS = env.int("CANDIDATE_RETENTION_DAYS", default=730)
BIAS_AUDIT_SCORE_THRESHOLD = env.float("BIAS_AUDIT_SCORE_THRESHOLD", default=60.0)

REST_FRAMEWORK = {
    # Integrations send an API key as a bearer token; the portal's own calls use the session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "integrations.auth.HasScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["integrations.auth.ApiKeyThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["integrations.filters.SyncFilterBackend"],
    # drf-spectacular, plus the error responses and Idempotency-Key of every operation.
    "DEFAULT_SCHEMA_CLASS": "integrations.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # JSON bodies only: a form or multipart body would lose nested objects, so it is refused
    # (415). The upload endpoints take multipart/form-data instead (their parser_classes).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # JSON only: the browsable API's HTML broke on list views (500s) and needs inline script;
    # people read the API at /api/docs/. A browser's Accept (…*/*) gets JSON, a bare
    # `Accept: text/html` a 406 in the one error body (docs/decisions.md).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
# Webhooks may target private or loopback addresses only in development (SSRF guard).
WEBHOOK_ALLOW_PRIVATE_URLS = env.bool("WEBHOOK_ALLOW_PRIVATE_URLS", default=DEBUG)
# Requests per minute for an API key without its own limit (docs/api.md).
API_KEY_DEFAULT_RATE = env.int("API_KEY_DEFAULT_RATE", default=600)

SPECTACULAR_SETTINGS = {
    "TITLE": "SmartHR API",
    "DESCRIPTION": "Recruiting (ATS), HR (HRIS) and the models as a service. See docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Enums as components (the default hook), then every field of an answer required: the
    # output serializers always write them all (a generated client would type them optional).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.schema.require_response_fields",
        "integrations.schema.forbid_nul_in_request_text",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "recruiting.pipeline.Stage",
        # Jobs and surveys share draft/open/closed.
        "LifecycleStatusEnum": "recruiting.models.Job.Status",
        "EmployeeStatusEnum": "hr.models.Employee.Status",
        "DeliveryStatusEnum": "integrations.models.WebhookDelivery.Status",
        # Fields named `kind`: a survey question's, a tombstone's, an erasure's, an attachment's.
        "KindEnum": "hr.models.Question.Kind",
        "TombstoneKindEnum": "integrations.models.Tombstone.Kind",
        "ErasureKindEnum": "privacy.models.CandidateErasure.Kind",
        "AttachmentKindEnum": "recruiting.models.CandidateAttachment.Kind",
    },
}

# Phone numbers without a country code are read in this region (ISO 3166 alpha-2).
PHONE_DEFAULT_REGION = env.str("PHONE_DEFAULT_REGION", default="US")

# Production hardening, switched on by the environment behind TLS.
# X-Forwarded-Proto says "https" only where a proxy that sets it stands in front (a client
# reaching the app directly could send it): trusted with TRUSTED_PROXY_COUNT > 0 or
# SECURE_PROXY_SSL_HEADER=1.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False) or env.int("TRUSTED_PROXY_COUNT", default=0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
# includeSubDomains covers the app's own host's subdomains (*.hr.example.com), not its
# parent domain, so it is on with HSTS. Preloading is the domain owner's choice: it needs
# the header on the apex domain and is slow to undo, so it is off unless asked for.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# A load balancer probes the health check over plain HTTP: answer it, do not redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# `check --deploy` is clean for a TLS deployment (tests/core/test_deploy_check.py). Silenced,
# deliberately: W021 (HSTS preload), the domain owner's decision above.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content-Security-Policy (django-csp): no inline or third-party script anywhere, so a value
# that slips past escaping still cannot run. Inline *styles* are allowed: the explanation
# highlights carry each word's strength in a style attribute, and a style cannot run script.
# `blob:` workers are for the ReDoc page; `data:` images for Swagger UI's icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"no_4xx_traceback": {"()": "core.logging.NoTracebackFor4xx"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler (on with DEBUG) printed every line a second time
        # through the root's: its records go to the root only.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"filters": ["no_4xx_traceback"], "propagate": True},
    },
}
