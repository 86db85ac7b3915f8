"""Where product files live: the local file system by default, an S3-compatible store when
``RAPPORT_STORAGE_URL`` names one, so every host of a desk sees the same attachments (ADR 0032).

``RAPPORT_STORAGE_URL`` is ``s3://BUCKET[/PREFIX]?endpoint=https://…&region=eu-west-2`` (AWS,
MinIO, Ceph, Garage, any store that speaks the S3 protocol). The keys are never in the URL: boto3
reads ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` (or the host's instance role) itself.

Files are read as a stream (:func:`open_stream`): a download sends the object's body as it
arrives from the store, a chunk at a time, instead of copying the whole object to the web host
first (django-storages' ``S3File`` downloads it all into a temporary file before the first byte).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from django.core.files.storage import Storage

CHUNK = 64 * 1024

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3 = "storages.backends.s3.S3Storage"


class StorageURLError(RuntimeError):
    """``RAPPORT_STORAGE_URL`` cannot be used; the message says why, naming the setting (a
    RuntimeError, as every setting that stops the desk at start: one line from the command)."""


def storage_from_url(url: str) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry for ``url``: the file system for ``""`` or ``file:``,
    django-storages' S3 backend for ``s3://bucket/prefix?endpoint=…&region=…``.

    Names are never overwritten (two "invoice.pdf" files keep both), objects are private (no ACL,
    presigned links live 60 seconds) and path-style addressing is used when an endpoint is named,
    as self-hosted stores expect."""
    if not url or url.startswith("file:"):
        return dict(LOCAL)
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise StorageURLError(f"RAPPORT_STORAGE_URL must start with s3:// or file:, not {parts.scheme or url!r}")
    if not parts.netloc:
        raise StorageURLError("RAPPORT_STORAGE_URL must name a bucket: s3://BUCKET/PREFIX")
    if parts.username or parts.password:
        raise StorageURLError(
            "RAPPORT_STORAGE_URL must not carry keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(query) - {"endpoint", "region", "addressing"}
    if unknown:
        raise StorageURLError(f"RAPPORT_STORAGE_URL has unknown options: {', '.join(sorted(unknown))}")
    options: dict[str, Any] = {
        "bucket_name": parts.netloc,
        "location": parts.path.strip("/"),
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        "signature_version": "s3v4",
    }
    if "endpoint" in query:
        options["endpoint_url"] = query["endpoint"]
        options["addressing_style"] = query.get("addressing", "path")
    elif "addressing" in query:
        options["addressing_style"] = query["addressing"]
    if "region" in query:
        options["region_name"] = query["region"]
    return {"BACKEND": S3, "OPTIONS": options}


def is_remote(storage: Storage) -> bool:
    """Whether ``storage`` is an object store (no local path)."""
    return hasattr(storage, "bucket_name")


class _Readable(Protocol):
    def read(self, amt: int | None = ...) -> bytes: ...

    def close(self) -> None: ...


@dataclass
class Stream:
    """A stored file opened for reading in chunks: ``read(n)`` and ``close()``, so Django's
    ``FileResponse`` sends it a block at a time; ``size`` in bytes when the store said."""

    body: _Readable
    size: int | None

    def read(self, amt: int = CHUNK) -> bytes:
        return self.body.read(amt)

    def close(self) -> None:
        self.body.close()

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(CHUNK):
            yield chunk

    def __enter__(self) -> Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_stream(storage: Storage, name: str) -> Stream:
    """``name`` in ``storage`` as a :class:`Stream`; ``FileNotFoundError`` when it is not there.

    A local file is its open handle (read in blocks, as before). An S3 object is its HTTP body,
    read as it arrives: memory holds one chunk whatever the object's size."""
    handle = storage.open(name, "rb")
    obj = getattr(handle, "obj", None)  # django-storages' S3File: the boto3 object, already checked to exist
    if obj is None:
        return Stream(handle, _local_size(handle))
    response = obj.get()
    return Stream(response["Body"], response.get("ContentLength"))


def _local_size(handle: Any) -> int | None:
    try:
        return int(handle.size)
    except (AttributeError, OSError, TypeError, ValueError):
        return None


def check(storage: Storage) -> None:
    """Raise when ``storage`` cannot be reached (the readiness check): one cheap call that lists
    nothing and reads no one's file."""
    if is_remote(storage):
        client = storage.connection.meta.client  # type: ignore[attr-defined]
        client.head_bucket(Bucket=storage.bucket_name)  # type: ignore[attr-defined]
    else:
        storage.exists(".readyz")
