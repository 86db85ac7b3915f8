"""A stored file sent to someone allowed to see it: always a download, never cached or rendered.

The desk page and the API send attachments through this one function, so both carry the same
headers: ``Cache-Control: private, no-store`` (a shared cache or the browser's disk keeps no copy
of personal data) and a sandboxing ``Content-Security-Policy`` (a file opened in the browser runs
no script and reaches nothing).
"""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse

from rapport.platform.errors import NotFound

MISSING = "The file is missing from storage."
PRIVATE = "private, no-store"
SANDBOX = "default-src 'none'; sandbox"


def private_download(file: FieldFile, *, filename: str, content_type: str, as_attachment: bool = True) -> FileResponse:
    """``file`` as a download named ``filename``; ``NotFound`` when storage no longer has it.
    ``as_attachment=False`` only for pictures the product drew itself (an attachment's preview,
    shown by an ``<img>``): the same headers, so it is no more cached or able to run anything."""
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise NotFound(MISSING) from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE
    response["Content-Security-Policy"] = SANDBOX
    return response
