"""A stored file sent to someone allowed to see it: always a download, never cached or rendered.

The desk page and the API send attachments through this one function, so both carry the same
headers: ``Cache-Control: private, no-store`` (a shared cache or the browser's disk keeps no copy
of personal data) and a sandboxing ``Content-Security-Policy`` (a file opened in the browser runs
no script and reaches nothing).

The file is sent as it is read from storage, a block at a time (``rapport.platform.storage``):
from an S3-compatible store the object's body streams through without being copied whole to the
web host first.
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from rapport.platform.errors import NotFound
from rapport.platform.storage import open_stream

MISSING = "The file is missing from storage."
PRIVATE = "private, no-store"
SANDBOX = "default-src 'none'; sandbox"


def private_download(file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True) -> FileResponse:
    """``file`` as a download named ``filename``; ``NotFound`` when storage no longer has it.
    ``as_attachment=False`` only for pictures the product drew itself (an attachment's preview,
    shown by an ``<img>``): the same headers, so it is no more cached or able to run anything."""
    try:
        stream = open_stream(file.storage, file.name)
    except FileNotFoundError:
        raise NotFound(MISSING) from None
    response = FileResponse(stream, as_attachment=as_attachment, filename=filename, content_type=content_type)
    if stream.size is not None:
        response["Content-Length"] = str(stream.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE
    response["Content-Security-Policy"] = SANDBOX
    return response
