"""A throw-away OpenID Connect provider for the identity tests (django-oidc-provider).

It runs as its own process (``tests/identity/provider.py`` starts it), with its own SQLite file in a
temporary folder given by ``OIDC_TEST_DATA`` and its own address in ``OIDC_TEST_SITE_URL``, so
Rapport's SSO is tested against a real provider over HTTP: discovery, authorisation, the token
endpoint, RS256-signed ID tokens checked against the JWKS, userinfo, and end-session.
"""

import os
from pathlib import Path

DATA = Path(os.environ["OIDC_TEST_DATA"])
SITE_URL = os.environ["OIDC_TEST_SITE_URL"]

SECRET_KEY = "oidc-test-provider-only-" + "y" * 32
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.oidc_provider.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA / "provider.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/login/"

OIDC_USERINFO = "tests.oidc_provider.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc_provider.claims.GroupsClaims"
OIDC_IDTOKEN_INCLUDE_CLAIMS = True
