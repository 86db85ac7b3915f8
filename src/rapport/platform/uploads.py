"""Uploaded files keep the name they were sent with, so a name that cannot be used is refused.

Django's multipart parser drops, without a word, a file whose name cleans to nothing (``..``,
``a/..``, only control characters): the request then succeeds without the file. This upload
handler parses with a parser that keeps such a file under a stand-in name and records the name
as sent (``unusable_name``); ``sent_filename`` gives it back, and the attachment rules refuse it
by name (a 422 in the API, a message beside the field on the pages).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.utils.encoding import force_str

from rapport.domain.attachments import AttachmentRefused, upload_filename
from rapport.platform.errors import FieldError

STAND_IN = "unusable-name"


class _NameKeepingParser(MultiPartParser):
    _unusable: str | None = None

    def sanitize_file_name(self, file_name: str) -> str | None:
        kept = super().sanitize_file_name(file_name)
        self._unusable = None if kept else file_name
        return kept or STAND_IN

    def handle_file_complete(self, old_field_name: str, counters: list[int]) -> None:
        super().handle_file_complete(old_field_name, counters)
        if self._unusable is not None:
            files = self._files.getlist(force_str(old_field_name, self._encoding, errors="replace"))
            if files:
                files[-1].unusable_name = self._unusable
            self._unusable = None


class KeepUnusableNames(FileUploadHandler):
    """First in ``FILE_UPLOAD_HANDLERS``: parses the body with the other handlers storing the files."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: bytes, encoding: str | None = None
    ) -> tuple[Any, Any]:
        assert self.request is not None
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        return _NameKeepingParser(META, input_data, others, encoding).parse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def sent_filename(file: UploadedFile) -> str:
    """The name ``file`` was sent with, even one Django would have dropped."""
    unusable = getattr(file, "unusable_name", None)
    return unusable if unusable is not None else (file.name or "")


def upload_name(file: UploadedFile) -> str:
    """The display name for an uploaded file, or ``FieldError`` on ``attachments`` naming it: the
    one check of an upload's name for the API, the desk pages and the portal."""
    try:
        return upload_filename(sent_filename(file))
    except AttachmentRefused as refused:
        raise FieldError(attachments=str(refused)) from None
