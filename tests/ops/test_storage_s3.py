"""Files in an S3-compatible store shared by every host (ADR 0032): a file uploaded through one
host is downloaded, exported and erased through another, streamed, with the download headers
kept. The store is a real S3 server on 127.0.0.1 (moto in server mode), never mocked calls."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rapport.cases.models import Attachment, Message
from rapport.privacy.erasure import erase_files
from rapport.privacy.exports import MISSING_FILE, customer_export

from .conftest import BUCKET

PDF = b"%PDF-1.4 the customer's receipt " + bytes(range(256)) * 64


def _keys(endpoint: str) -> list[str]:
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _nothing_under(folder: Path) -> bool:
    return not folder.exists() or not any(path.is_file() for path in folder.rglob("*"))


@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_through_one_host_is_served_exported_and_erased_through_another(
    s3_storage, s3_endpoint, settings, tmp_path, case, customer, customer_user, agent, team_leader, now
):
    # given the customer attaches a file through the portal on host A
    settings.MEDIA_ROOT = str(tmp_path / "host-a")
    portal = Client()
    portal.force_login(customer_user)
    posted = portal.post(
        f"/portal/cases/{case.reference}/",
        {"body": "Receipt attached.", "attachments": [SimpleUploadedFile("receipt.pdf", PDF)]},
    )
    assert posted.status_code == 302
    attachment = Attachment.objects.get(message__in=Message.objects.filter(case=case))

    # then it is an object in the bucket, under the configured prefix, and not on host A's disk
    assert _keys(s3_endpoint) == [f"desk/{attachment.file.name}"]
    assert _nothing_under(tmp_path / "host-a")

    # when an agent on host B (another disk) downloads it
    settings.MEDIA_ROOT = str(tmp_path / "host-b")
    desk = Client()
    desk.force_login(agent)
    response = desk.get(f"/attachments/{attachment.pk}/")

    # then it streams from the store with the download's private headers
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Length"] == str(len(PDF))
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'

    # and the API serves it the same way
    api = desk.get(f"/api/v1/attachments/{attachment.pk}")
    assert b"".join(api.streaming_content) == PDF
    assert api["Cache-Control"] == "private, no-store"

    # and the subject access bundle made on host B carries it
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        assert PDF in [archive.read(name) for name in archive.namelist()]

    # and erasure deletes the object from the bucket
    erase_files(Attachment.objects.filter(pk=attachment.pk))
    assert _keys(s3_endpoint) == []
    assert _nothing_under(tmp_path / "host-b")


@pytest.mark.django_db(transaction=True)
def test_two_files_of_the_same_name_are_both_kept(s3_storage):
    first = s3_storage.save("attachments/invoice.pdf", ContentFile(b"first"))
    second = s3_storage.save("attachments/invoice.pdf", ContentFile(b"second"))

    assert first != second
    assert (s3_storage.open(first).read(), s3_storage.open(second).read()) == (b"first", b"second")


@pytest.mark.django_db(transaction=True)
def test_a_download_streams_without_holding_the_object_in_memory(s3_storage, case, agent, now):
    # given a 24 MB attachment in the bucket
    size = 24 * 1024 * 1024
    message = Message.objects.filter(case=case).first()
    name = s3_storage.save("attachments/scan.pdf", ContentFile(b"%PDF" + b"\0" * (size - 4)))
    attachment = Attachment.objects.create(
        message=message,
        file=name,
        filename="scan.pdf",
        content_type="application/pdf",
        size=size,
        sha256="0" * 64,
        created_at=now,
    )
    desk = Client()
    desk.force_login(agent)

    # when it is downloaded, counting every byte sent
    tracemalloc.start()
    try:
        response = desk.get(f"/attachments/{attachment.pk}/")
        sent = sum(len(chunk) for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # then all of it arrived while memory held a few chunks, never the object
    assert sent == size
    assert peak < 4 * 1024 * 1024, f"peak {peak:,} bytes for a {size:,}-byte download"


@pytest.mark.django_db(transaction=True)
def test_a_file_missing_from_the_store_is_not_found_and_named_in_the_export(
    s3_storage, s3_endpoint, case, customer, agent, team_leader, now
):
    message = Message.objects.filter(case=case).first()
    attachment = Attachment.objects.create(
        message=message,
        file="attachments/gone.pdf",
        filename="gone.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        created_at=now,
    )
    desk = Client()
    desk.force_login(agent)

    assert desk.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert desk.get(f"/api/v1/attachments/{attachment.pk}").status_code == 404
    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="SAR", now=now)
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        notes = [archive.read(name).decode() for name in archive.namelist() if name.endswith(".missing.txt")]
    assert notes == [MISSING_FILE]
