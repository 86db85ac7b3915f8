"""The test OpenID Connect provider (``tests/oidc_provider``) as a real server on 127.0.0.1.

``start`` migrates its own SQLite file in a temporary folder, seeds Rapport as a client and four
people, and runs it with Django's ``runserver`` on a free port; ``browser_sign_in`` plays the
person's browser at the provider (the sign-in form, then the authorisation redirect) with
``requests``, and returns the callback address the provider sends the browser back to.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "rapport-test"
CLIENT_SECRET = "rapport-test-secret"
PASSWORD = "provider pass"
CALLBACK = "http://testserver/identity/oidc/callback/"
AFTER_SIGN_OUT = "http://testserver/login/"


@dataclass
class Provider:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def settings(self) -> dict[str, object]:
        """Rapport's settings for this provider, as an operator would set them from the environment."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "RAPPORT_OIDC_LOGOUT_ENDPOINT": f"{self.issuer}/end-session",
            "OIDC_RP_SCOPES": "openid email profile groups",
            "RAPPORT_OIDC_ENABLED": True,
            "AUTHENTICATION_BACKENDS": [
                "rapport.identity.backends.PasswordBackend",
                "rapport.identity.backends.SSOBackend",
            ],
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(data: Path) -> Provider:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_TEST_DATA": str(data),
        "OIDC_TEST_SITE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    env.pop("RAPPORT_ENV", None)
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], **run)
    subprocess.run([sys.executable, "-m", "tests.oidc_provider.seed", CALLBACK, AFTER_SIGN_OUT], **run)  # noqa: S603
    log = (data / "provider.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = Provider(url=url, process=process)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=1).ok:
                return provider
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the test OIDC provider did not start: {(data / 'provider.log').read_text()}")


def browser_sign_in(provider: Provider, authorise_url: str, username: str) -> tuple[requests.Session, str]:
    """Sign ``username`` in at the provider and follow it to the redirect back to Rapport; returns
    the browser's session at the provider and Rapport's callback path with its query."""
    browser = requests.Session()
    answer = browser.get(authorise_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    sign_in_page = urljoin(provider.url, answer.headers["Location"])
    page = browser.get(sign_in_page, timeout=10)
    assert page.ok
    next_url = urlsplit(sign_in_page).query.split("next=", 1)[1]
    from urllib.parse import unquote

    answer = browser.post(
        sign_in_page,
        data={
            "username": username,
            "password": PASSWORD,
            "next": unquote(next_url),
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    answer = browser.get(urljoin(provider.url, answer.headers["Location"]), allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = answer.headers["Location"]
    assert back.startswith(CALLBACK), back
    parts = urlsplit(back)
    return browser, f"{parts.path}?{parts.query}"
