"""`rapport demo` as a server others may reach: its own secret, no debug pages, mail kept on the
machine and said once, and "Sign in at …" only once the web server answers."""

from __future__ import annotations

import http.server
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from rapport.cli import _probe_url, demo_environment, email_destination, wait_until_answering

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_runs_without_debug_pages_unless_told_otherwise():
    env: dict[str, str] = {}
    demo_environment(env, host="127.0.0.1")
    assert env == {"RAPPORT_DEBUG": "false"}

    told = {"RAPPORT_DEBUG": "true"}
    demo_environment(told, host="127.0.0.1")
    assert told["RAPPORT_DEBUG"] == "true"


@pytest.mark.parametrize(
    ("host", "allowed"),
    [("192.168.1.20", "127.0.0.1,localhost,::1,192.168.1.20"), ("0.0.0.0", "*"), ("localhost", None)],  # noqa: S104
)
def test_the_demo_answers_to_the_host_it_listens_on(host, allowed):
    env: dict[str, str] = {}
    demo_environment(env, host=host)
    assert env.get("ALLOWED_HOSTS") == allowed


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/login/"),
        ("0.0.0.0", "http://127.0.0.1:8000/login/"),  # noqa: S104
        ("::1", "http://[::1]:8000/login/"),
        ("desk.local", "http://desk.local:8000/login/"),
    ],
)
def test_readiness_is_asked_where_the_server_can_be_reached(host, url):
    assert _probe_url(host, 8000) == url


def test_the_demo_says_once_where_email_goes(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    assert email_destination() == (
        f"Email is not sent: each message is written to a file in {tmp_path / 'mail'}/ "
        "(set EMAIL_HOST to send through a mail server)."
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "smtp.example.org", 587
    assert email_destination() == "Email is sent through the mail server at smtp.example.org:587."


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_waiting_returns_only_once_the_server_answers():
    # given a server that starts listening a moment after we begin to wait
    port = _free_port()
    served: list[http.server.HTTPServer] = []

    def start_later() -> None:
        time.sleep(0.6)
        server = http.server.HTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
        served.append(server)
        server.serve_forever(poll_interval=0.05)

    threading.Thread(target=start_later, daemon=True).start()
    try:
        # when
        answered = wait_until_answering(f"http://127.0.0.1:{port}/no-such-file", alive=lambda: True, timeout=30)

        # then it waited for the server (a 404 is an answer)
        assert answered
        assert served
    finally:
        if served:
            served[0].shutdown()
            served[0].server_close()


def test_waiting_gives_up_when_the_server_stops_or_time_runs_out():
    url = f"http://127.0.0.1:{_free_port()}/"
    assert not wait_until_answering(url, alive=lambda: False)

    ticks = iter(range(100))
    assert not wait_until_answering(url, alive=lambda: True, timeout=5, clock=lambda: next(ticks), pause=lambda _: None)


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own test server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_make_demo_end_to_end(tmp_path):
    """The whole start: the sign-in line appears only when the server answers; a missing page is
    ours, not Django's debug page; static files are served; the secret stays in the data directory;
    mail goes to files without a line per message."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAPPORT_", "DJANGO_", "EMAIL_", "DATABASE_"))}
    env |= {"RAPPORT_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "stderr.log").open("w")
    demo = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "rapport.cli", "demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        said = []
        assert demo.stdout is not None
        for line in demo.stdout:
            said.append(line)
            if line.startswith("Sign in at"):
                break
        assert said, (tmp_path / "stderr.log").read_text()
        assert said[-1].startswith("Sign in at"), "".join(said) + (tmp_path / "stderr.log").read_text()

        # then at that moment the server answers
        status, _ = _get(f"http://127.0.0.1:{port}/login/")
        assert status == 200
        status, page = _get(f"http://127.0.0.1:{port}/no/such/page/")
        assert status == 404
        assert "<title>Page not found" in page
        assert "URLconf" not in page
        assert _get(f"http://127.0.0.1:{port}/static/rapport/app.css")[0] == 200
        assert sum("Email is not sent" in line for line in said) == 1
        assert str(tmp_path / "mail") in "".join(said)
        assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
        log.close()
    assert not re.search(r"not sent", (tmp_path / "stderr.log").read_text())
