"""An S3-compatible server on 127.0.0.1 (moto in server mode, in its own process: it speaks the S3 protocol over HTTP),
and settings that point the product's file storage at a bucket on it, as production's
``RAPPORT_STORAGE_URL`` does."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.storage import default_storage

from rapport.platform.storage import storage_from_url

BUCKET = "rapport-files"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, *, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server in a process of its own (so a test measuring this process's memory counts
    only the desk's side), on a free port of 127.0.0.1."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, monkeypatch, s3_endpoint, tmp_path):
    """The default storage is a fresh bucket on the local S3 server (keys from the environment,
    as in production); yields the storage. Nothing may reach the local upload folder."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "rapport-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "rapport-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-2")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    settings.RAPPORT_STORAGE_URL = f"s3://{BUCKET}/desk?endpoint={s3_endpoint}&region=eu-west-2"
    settings.STORAGES = {**settings.STORAGES, "default": storage_from_url(settings.RAPPORT_STORAGE_URL)}
    yield default_storage
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)
