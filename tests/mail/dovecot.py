"""A real IMAP server on 127.0.0.1 for the tests: Debian's dovecot-imapd, run in the foreground
with its own configuration in a temporary folder (one user, plaintext login allowed locally)."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.mail.smtp_server import free_port

DOVECOT = shutil.which("dovecot") or ("/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None)
USER, PASSWORD = "desk", "imap-test-password"


def require_dovecot() -> str:
    if DOVECOT is None:
        if os.environ.get("CI"):
            pytest.fail("dovecot is not installed: .ci/run installs dovecot-imapd for the IMAP tests")
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd to run the IMAP tests)")
    return DOVECOT


class Dovecot:
    def __init__(self, root: Path) -> None:
        self.binary = require_dovecot()
        self.root = root
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def _config(self) -> Path:
        if os.geteuid() == 0:
            owner = pwd.getpwnam("dovecot")
            login_user = internal_user = "dovecot"
        else:
            owner = pwd.getpwuid(os.geteuid())
            login_user = internal_user = owner.pw_name
        mail = self.root / "mail"
        for folder in (self.root / "run", mail):
            folder.mkdir(parents=True, exist_ok=True)
        os.chown(mail, owner.pw_uid, owner.pw_gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        config = self.root / "dovecot.conf"
        config.write_text(
            f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.root}/run
state_dir = {self.root}/run
log_path = {self.root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
mail_location = maildir:{mail}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
        )
        return config

    def __enter__(self) -> Dovecot:
        config = self._config()
        self.process = subprocess.Popen(  # noqa: S603 - our own dovecot with our own configuration
            [self.binary, "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        output = self.process.stdout.read().decode() if self.process.poll() is not None and self.process.stdout else ""
        log = (self.root / "dovecot.log").read_text() if (self.root / "dovecot.log").exists() else ""
        self.__exit__()
        raise RuntimeError(f"dovecot did not start: {output}\n{log}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def client(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> None:
        conn = self.client()
        try:
            for raw in messages:
                status, data = conn.append(folder, "", None, raw)  # type: ignore[arg-type]
                assert status == "OK", data
        finally:
            conn.logout()

    def unseen(self, folder: str = "INBOX") -> int:
        conn = self.client()
        try:
            conn.select(folder)
            _, data = conn.uid("SEARCH", None, "UNSEEN")  # type: ignore[arg-type]
            return len((data[0] or b"").split())
        finally:
            conn.logout()
