"""Django settings, read from the environment (see `.env.example`).

`RAPPORT_ENV` picks the profile: `development` (default, what `rapport demo` uses), `test`, or
`production` (what `rapport serve` uses). Production fails fast when a secret is missing.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from rapport.domain import identity as identity_rules
from rapport.platform.envconf import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_required_list,
    env_str,
    secret_from_file,
)
from rapport.platform.logs import logging_config
from rapport.platform.storage import storage_from_url

BASE_DIR = Path(__file__).resolve().parent
ENV = env_str("RAPPORT_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise RuntimeError(f"RAPPORT_ENV must be development, test or production, not {ENV!r}")
PRODUCTION = ENV == "production"

DATA_DIR = Path(env_str("RAPPORT_DATA_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("RAPPORT_DEBUG", default=ENV == "development")
if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise RuntimeError("SECRET_KEY must be set (50+ random characters) in production")
elif ENV == "test":
    SECRET_KEY = env_str("SECRET_KEY", "test-only-key-not-for-any-server-" + "x" * 20)
else:
    # No key is published with the code: signed links (surveys) and sessions could be forged with
    # it. Each installation makes its own on first start and keeps it beside its data.
    SECRET_KEY = env_str("SECRET_KEY", "") or secret_from_file(DATA_DIR / "secret_key")

if PRODUCTION:
    # No fallback: a server that guesses its own host names answers for hosts it does not serve.
    ALLOWED_HOSTS = env_required_list(
        "ALLOWED_HOSTS", "the host names this desk answers to, comma-separated (desk.example.org)"
    )
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves its API docs page's assets locally rather than from a CDN
    "huey.contrib.djhuey",
    "rapport.platform",
    "rapport.web",
    "rapport.accounts",
    "rapport.customers",
    "rapport.cases",
    "rapport.portal",
    "rapport.mail",
    "rapport.sla",
    "rapport.complaints",
    "rapport.privacy",
    "rapport.feedback",
    "rapport.timetracking",
    "rapport.learning",
    "rapport.knowledge",
    "rapport.macros",
    "rapport.workforce",
    "rapport.routing",  # after workforce: its demo reads the rota and skills workforce seeds
    "rapport.plans",
    "rapport.coaching",
    "rapport.outreach",
    "rapport.improvement",
    "rapport.quality",
    "rapport.notifications",
    "rapport.imports",
    "rapport.automation",  # after the apps whose event kinds its rules are triggered by
    "rapport.chat",
    "rapport.webhooks",  # last: it offers the event kinds the apps above register
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "rapport.identity",
    "django.forms",  # after rapport.web, whose widget templates override Django's
]
FORM_RENDERER = "rapport.web.renderers.DeskFormRenderer"

MIDDLEWARE = [
    # First: answers /healthz, /readyz and /metrics before the rest run; a request id, counts and
    # timings for everything else (ADR 0032).
    "rapport.platform.middleware.OpsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rapport.web.middleware.CustomerLanguageMiddleware",  # customer pages only: English or Welsh
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "rapport.web.middleware.SecurityHeadersMiddleware",
    "rapport.web.middleware.AccessLogMiddleware",
    "rapport.identity.middleware.SecondFactorMiddleware",
]

ROOT_URLCONF = "rapport.urls"
WSGI_APPLICATION = "rapport.wsgi.application"
ASGI_APPLICATION = "rapport.asgi.application"  # live chat's WebSockets (docs/chat.md)

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
                "rapport.web.context.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'rapport.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "rapport.platform.dbbackends.sqlite"  # writers queue fairly (see there)
    # Keep each thread's connection: opening one runs the PRAGMAs below on every request otherwise.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE avoids lock upgrades that deadlock.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = None
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (login rate limits) and background jobs --------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif ENV == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif DATABASES["default"]["ENGINE"] == "rapport.platform.dbbackends.sqlite":
    # One host on SQLite: the cache in files of its own (diskcache: SQLite in WAL mode, one file a
    # shard), so the writes every page makes (presence, counts) never wait on or hold the case
    # database's one write lock, and a read costs a twentieth of a table read (ADR 0012).
    CACHES = {
        "default": {
            "BACKEND": "rapport.platform.filecache.FileCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "SHARDS": 4,
            "DATABASE_TIMEOUT": 0.25,  # seconds a write waits for its shard before it is dropped
            "OPTIONS": {"size_limit": 2**30, "statistics": 0},
        }
    }
else:
    # PostgreSQL without Redis: the cache is a table in the database every host shares.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "rapport_cache"}}

# Live chat (docs/chat.md): the channel layer joins every ASGI process through Redis; without it
# the layer is one process's memory, so one ASGI process must serve every socket (the demo does).
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 reads with a 5 s timeout by default, the length of the layer's blocking
            # receive: a longer one, so a quiet socket is not an error.
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 5}]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
CHAT_WEBSOCKET_URL = env_str("CHAT_WEBSOCKET_URL", "")  # blank: wss://<this host>/ws/chat/
CHAT_PORTAL_SITE = env_str("CHAT_PORTAL_SITE", "website")  # the chat site the portal offers; blank: none
CHAT_MESSAGES_PER_MINUTE = 30
CHAT_STARTS_PER_MINUTE = 6  # per address: chats and offline messages

if REDIS_URL:
    HUEY = {
        "huey_class": "rapport.platform.queue.RapportRedisHuey",
        "name": "rapport",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "rapport.platform.queue.SecureSqliteHuey",
        "name": "rapport",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": ENV == "test",
    }

# --- webhooks (rapport/webhooks/urlguard.py) -----------------------------------------------------
# Plain http:// receivers only outside production; loopback receivers only when set (the tests').
WEBHOOKS_ALLOW_HTTP = not PRODUCTION
WEBHOOKS_ALLOW_LOOPBACK = env_bool("RAPPORT_WEBHOOKS_ALLOW_LOOPBACK", default=False)
WEBHOOKS_TIMEOUT = 10.0

# --- auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENV == "test":
    # Hashing cost is not what the tests prove; Argon2 stays first in every other profile.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sign-in throttling (rapport/accounts/throttle.py): failures allowed per account and address, and
# accounts with a failure allowed per address, in each window; addresses exempt from the second.
RAPPORT_LOGIN_ATTEMPTS = env_int("RAPPORT_LOGIN_ATTEMPTS", 5)
RAPPORT_LOGIN_ADDRESS_ACCOUNTS = env_int("RAPPORT_LOGIN_ADDRESS_ACCOUNTS", 10)
RAPPORT_LOGIN_WINDOW_SECONDS = env_int("RAPPORT_LOGIN_WINDOW_SECONDS", 900)
RAPPORT_LOGIN_ALLOWLIST = env_networks("RAPPORT_LOGIN_ALLOWLIST")

# --- identity: single sign-on (OpenID Connect) and second factors (docs/identity.md, ADR 0033) -----
# Single sign-on is on when a client id is set; mozilla-django-oidc reads the OIDC_* names.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
RAPPORT_OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
RAPPORT_OIDC_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT", "")
if RAPPORT_OIDC_ENABLED and not all(
    (OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_JWKS_ENDPOINT)
):
    raise RuntimeError(
        "OIDC_RP_CLIENT_ID is set: set OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT, "
        "OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT too (docs/identity.md)"
    )
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # sent back to the provider as id_token_hint when signing out
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:oidc_callback"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
LOGIN_REDIRECT_URL_FAILURE = "/login/"
RAPPORT_OIDC_LABEL = env_str("RAPPORT_OIDC_LABEL", "Sign in with your organisation's account")
RAPPORT_OIDC_CREATE_USERS = env_bool("RAPPORT_OIDC_CREATE_USERS", default=False)
RAPPORT_OIDC_REQUIRE_VERIFIED_EMAIL = env_bool("RAPPORT_OIDC_REQUIRE_VERIFIED_EMAIL", default=True)
RAPPORT_OIDC_TRUST_MFA = env_bool("RAPPORT_OIDC_TRUST_MFA", default=False)
RAPPORT_OIDC_GROUPS_CLAIM = env_str("RAPPORT_OIDC_GROUPS_CLAIM", "groups")
RAPPORT_OIDC_ROLE_MAP = identity_rules.parse_rules(env_str("RAPPORT_OIDC_ROLE_MAP", ""), roles=True)
RAPPORT_OIDC_TEAM_MAP = identity_rules.parse_rules(env_str("RAPPORT_OIDC_TEAM_MAP", ""), roles=False)
RAPPORT_OIDC_DEFAULT_ROLE = env_str("RAPPORT_OIDC_DEFAULT_ROLE", "")
if RAPPORT_OIDC_DEFAULT_ROLE and RAPPORT_OIDC_DEFAULT_ROLE not in identity_rules.ROLE_ORDER:
    raise RuntimeError("RAPPORT_OIDC_DEFAULT_ROLE must be agent, team_leader, manager, admin or blank")
# Local passwords for staff: switch off once single sign-on works; the break-glass admins keep theirs.
RAPPORT_STAFF_PASSWORDS = env_bool("RAPPORT_STAFF_PASSWORDS", default=True)
RAPPORT_BREAK_GLASS = frozenset(email.lower() for email in env_list("RAPPORT_BREAK_GLASS", []))
AUTHENTICATION_BACKENDS = ["rapport.identity.backends.PasswordBackend"] + (
    ["rapport.identity.backends.SSOBackend"] if RAPPORT_OIDC_ENABLED else []
)
# Roles that must use a second factor: managers and admins in production (ICO: MFA for access to
# personal data, UK GDPR Art 32); none by default elsewhere, so the demo and tests sign in as before.
RAPPORT_MFA_REQUIRED_ROLES = tuple(env_list("RAPPORT_MFA_REQUIRED_ROLES", ["manager", "admin"] if PRODUCTION else []))
RAPPORT_MFA_REMEMBER_DAYS = env_int("RAPPORT_MFA_REMEMBER_DAYS", 30)
RAPPORT_MFA_REMEMBER_LIMIT = env_int("RAPPORT_MFA_REMEMBER_LIMIT", 5)
OTP_TOTP_ISSUER = env_str("RAPPORT_ORGANISATION", "Rapport Demo Ltd")

# --- attachments --------------------------------------------------------------------------------
MEDIA_ROOT = str(DATA_DIR / "uploads")
MEDIA_URL = "/media/"  # never served directly: attachments go through the permission policy
RAPPORT_MAX_ATTACHMENT_BYTES = env_int("RAPPORT_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
RAPPORT_MAX_ATTACHMENTS = env_int("RAPPORT_MAX_ATTACHMENTS", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = RAPPORT_MAX_ATTACHMENT_BYTES * 2
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The first keeps a file whose name Django would drop (".."), so it is refused by name, not lost.
FILE_UPLOAD_HANDLERS = [
    "rapport.platform.uploads.KeepUnusableNames",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- static -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = str(DATA_DIR / "static")
Path(STATIC_ROOT).mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
# Product files (attachments, letters, raw email): MEDIA_ROOT on this host by default; an
# S3-compatible bucket shared by every host when RAPPORT_STORAGE_URL is set (s3://bucket/prefix
# ?endpoint=…&region=…; keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY). ADR 0032.
RAPPORT_STORAGE_URL = env_str("RAPPORT_STORAGE_URL", "")
STORAGES = {
    "default": storage_from_url(RAPPORT_STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- locale -------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
# Customer pages, messages, letters and surveys in English or Welsh (ADR 0011, ADR 0034); the
# catalogue is src/rapport/locale/cy/, compiled by `make` (docs/languages.md).
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LANGUAGE_COOKIE_NAME = "rapport_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION and env_bool("RAPPORT_SECURE_COOKIES", default=True)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("RAPPORT_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env_bool("RAPPORT_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_HSTS_SECONDS = env_int("RAPPORT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- product ------------------------------------------------------------------------------------
RAPPORT_ORGANISATION = env_str("RAPPORT_ORGANISATION", "Rapport Demo Ltd")
# Whose bank holidays the demand forecast expects: england, wales, scotland or northern_ireland.
RAPPORT_NATION = env_str("RAPPORT_NATION", "england")
RAPPORT_PAGE_SIZE = env_int("RAPPORT_PAGE_SIZE", 25)
# Exports of more rows than this are written by the worker and downloaded from a link (ADR 0031).
RAPPORT_EXPORT_STREAM_LIMIT = env_int("RAPPORT_EXPORT_STREAM_LIMIT", 50_000)
# The language assistant (docs/language.md): the organisation's own internal terms (system names,
# team codes) to flag as jargon, and terms its customers do know, comma-separated.
RAPPORT_LANGUAGE_JARGON = tuple(env_list("RAPPORT_LANGUAGE_JARGON", []))
RAPPORT_LANGUAGE_KNOWN = tuple(env_list("RAPPORT_LANGUAGE_KNOWN", []))
# Reverse proxies in front of the app (their X-Forwarded-For is believed for sign-in rate limits).
RAPPORT_TRUSTED_PROXIES = frozenset(env_list("RAPPORT_TRUSTED_PROXIES", []))
RAPPORT_BASE_URL = env_str("RAPPORT_BASE_URL", "http://127.0.0.1:8000")
# Passkeys (WebAuthn) as a second factor: the relying party is this site's host name, and the
# browser must be on one of these origins (docs/identity.md).
# WebAuthn needs a secure origin: https, or http://localhost (open the demo at localhost:8000 for it).
_secure_base = RAPPORT_BASE_URL.startswith("https://")
OTP_WEBAUTHN_RP_ID = env_str(
    "RAPPORT_WEBAUTHN_RP_ID", (urlsplit(RAPPORT_BASE_URL).hostname or "localhost") if _secure_base else "localhost"
)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "RAPPORT_WEBAUTHN_ORIGINS", [RAPPORT_BASE_URL.rstrip("/")] if _secure_base else ["http://localhost:8000"]
)
OTP_WEBAUTHN_RP_NAME = env_str("RAPPORT_ORGANISATION", "Rapport Demo Ltd")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, after the first

# --- outbound mail (SMTP) ---------------------------------------------------------------------------
# Outside production, with no mail server named, mail is written to files under DATA_DIR/mail
# (one file per email) rather than retried against a server that is not there.
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION or os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "support@rapport.example")
# The organisation's own mail domains: senders there become internal customers.
RAPPORT_MAIL_DOMAINS = env_list("RAPPORT_MAIL_DOMAINS", [])
# A customer's reply re-opens a resolved or closed case within this many days; later, a new case.
RAPPORT_MAIL_REOPEN_DAYS = env_int("RAPPORT_MAIL_REOPEN_DAYS", 30)
RAPPORT_MAIL_MAX_ATTEMPTS = env_int("RAPPORT_MAIL_MAX_ATTEMPTS", 10)
# Mail written more than this many days before it is filed (an archive import) is history: filed
# with its own date, but it starts no SLA clock (docs/mail.md).
RAPPORT_MAIL_HISTORIC_DAYS = env_int("RAPPORT_MAIL_HISTORIC_DAYS", 7)

# --- operations (ADR 0032, docs/operations.md) -----------------------------------------------------
# Logs: one JSON object a line with the request id (production's default) or plain text.
RAPPORT_LOG_FORMAT = env_str("RAPPORT_LOG_FORMAT", "json" if PRODUCTION else "text")
if RAPPORT_LOG_FORMAT not in {"json", "text"}:
    raise RuntimeError(f"RAPPORT_LOG_FORMAT must be json or text, not {RAPPORT_LOG_FORMAT!r}")
LOGGING = logging_config(fmt=RAPPORT_LOG_FORMAT, level=env_str("RAPPORT_LOG_LEVEL", "WARNING"))
# /metrics: readable from these addresses (CIDR ranges) or with this bearer token; nobody otherwise.
RAPPORT_METRICS_ALLOW = env_networks("RAPPORT_METRICS_ALLOW")
RAPPORT_METRICS_TOKEN = env_str("RAPPORT_METRICS_TOKEN", "")
# Errors to Sentry when SENTRY_DSN is set: no personal data (no user, cookies or request bodies).
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", ENV),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
