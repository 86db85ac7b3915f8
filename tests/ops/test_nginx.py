"""Debian's nginx in front of two ``rapport serve`` groups, as on two hosts: each with a data folder
of its own, one database, one S3 bucket (moto's server). A file uploaded through one group is
downloaded through the other with its private headers, whichever group nginx picks, and the
request id nginx makes reaches the response (ADR 0032, deploy/nginx/rapport.conf)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest

from .conftest import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PDF = b"%PDF-1.4 a meter reading " + bytes(range(256)) * 400

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx-light)")

SITE = """
{user}
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{ worker_connections 64; }}
http {{
    log_format upstream '$request_uri $upstream_addr $status';
    access_log {run}/access.log upstream;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    upstream rapport {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 25m;
        location / {{
            proxy_pass http://rapport;
            proxy_set_header Host desk.example.org;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Request-ID $request_id;
        }}
        location = /metrics {{ return 404; }}
    }}
}}
"""


def _env(tmp_path: Path, host: str, bucket_url: str) -> dict[str, str]:
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("RAPPORT_", "DJANGO_"))},
        "RAPPORT_ENV": "production",
        "SECRET_KEY": "nginx-test-only-" + "k" * 50,
        "ALLOWED_HOSTS": "desk.example.org",
        "RAPPORT_SSL_REDIRECT": "false",
        "RAPPORT_DATA_DIR": str(tmp_path / host),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "RAPPORT_STORAGE_URL": bucket_url,
        "AWS_ACCESS_KEY_ID": "rapport-test",
        "AWS_SECRET_ACCESS_KEY": "rapport-test-secret",
        "WEB_CONCURRENCY": "1",
        "PYTHONPATH": str(ROOT),
    }


def _request(url: str, *, token: str, data: bytes | None = None, content_type: str = ""):
    request = urllib.request.Request(url, data=data, headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        return urllib.request.urlopen(request, timeout=60)  # noqa: S310 - our own nginx on 127.0.0.1
    except urllib.error.HTTPError as error:
        return error


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_nginx_in_front_of_two_groups_serves_a_file_uploaded_through_either(tmp_path, s3_endpoint):
    bucket = "rapport-nginx-test"
    boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="eu-west-2",
        aws_access_key_id="rapport-test", aws_secret_access_key="rapport-test-secret",
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})  # fmt: skip
    bucket_url = f"s3://{bucket}/desk?endpoint={s3_endpoint}&region=eu-west-2"
    rapport = [sys.executable, "-m", "rapport.cli"]
    first = _env(tmp_path, "host-a", bucket_url)
    for step in ([*rapport, "migrate"], [sys.executable, "-m", "tests.ops.backup_steps", "api_setup"]):
        done = subprocess.run(step, env=first, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
        assert done.returncode == 0, done.stderr
    setup = json.loads(done.stdout)

    ports = {"host-a": free_port(), "host-b": free_port()}
    groups = {
        host: subprocess.Popen(  # noqa: S603
            [*rapport, "serve", "--bind", f"127.0.0.1:{port}"],
            env=_env(tmp_path, host, bucket_url),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"{host}.log").open("w"),
        )
        for host, port in ports.items()
    }
    run = tmp_path / "nginx"
    run.mkdir()
    port = free_port()
    (run / "nginx.conf").write_text(
        SITE.format(user=_as_user(), run=run, a=ports["host-a"], b=ports["host-b"], port=port)
    )
    nginx = subprocess.Popen(  # noqa: S603
        [NGINX, "-c", str(run / "nginx.conf"), "-p", str(run), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for group_port in ports.values():
            wait_for_port(group_port, within=240)
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        _wait_ready(f"{base}/healthz")

        # when a case is opened with a file through nginx
        body, content_type = _multipart(
            {"customer": str(setup["customer"]), "subject": "Meter reading", "body": "Reading attached."},
            "reading.pdf",
            PDF,
        )
        created = _request(f"{base}/api/v1/cases", token=setup["token"], data=body, content_type=content_type)
        assert created.status == 201, created.read()
        reference = json.loads(created.read())["reference"]
        messages = json.loads(_request(f"{base}/api/v1/cases/{reference}/messages", token=setup["token"]).read())
        items = messages["items"] if isinstance(messages, dict) else messages
        attachment = next(a for m in items for a in m.get("attachments", []))

        # then it downloads through nginx, from both groups in turn, with the private headers
        for _ in range(4):
            got = _request(f"{base}/api/v1/attachments/{attachment['id']}", token=setup["token"])
            assert got.status == 200
            assert got.read() == PDF
            assert got.headers["Cache-Control"] == "private, no-store"
            assert got.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
            assert len(got.headers["X-Request-ID"]) == 32  # nginx's $request_id, carried through
        # (nginx alternates between the two groups: each of them served the file)
        served = [line.split() for line in (run / "access.log").read_text().splitlines() if "/attachments/" in line]
        assert {upstream for _, upstream, _ in served} == {f"127.0.0.1:{p}" for p in ports.values()}
        assert _request(f"{base}/metrics", token=setup["token"]).status == 404
        ready = json.loads(_request(f"{base}/readyz", token="").read())
        assert ready["checks"]["storage"] == "ok"
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)
        for group in groups.values():
            group.terminate()
        for group in groups.values():
            group.wait(timeout=40)
    hits = {host: (tmp_path / host / "metrics").exists() for host in ports}
    assert all(hits.values())  # each group started and kept its own metrics folder


def _as_user() -> str:
    """Started as root, nginx's workers would be nobody, who cannot enter pytest's private folders."""
    return "user root;" if os.geteuid() == 0 else ""


def _wait_ready(url: str, *, within: float = 240.0) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:  # refused, reset, timed out or a 502 while the groups start
            pass
        assert time.monotonic() < deadline, f"{url} never answered"
        time.sleep(0.5)
