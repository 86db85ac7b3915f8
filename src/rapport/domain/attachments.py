"""Which files a case may carry.

Only document and image types that staff and customers exchange in service work are accepted,
and each is checked by its first bytes as well as its name, so a renamed executable or an HTML
page posing as a text file is refused. SVG and HTML are refused outright: they can carry script.
"""

from __future__ import annotations

from dataclasses import dataclass

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)


@dataclass(frozen=True)
class FileKind:
    content_type: str
    magic: tuple[bytes, ...] | None  # None: text, checked as UTF-8 without NUL bytes


ALLOWED: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", (b"%PDF-",)),
    "png": FileKind("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": FileKind("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": FileKind("image/gif", (b"GIF87a", b"GIF89a")),
    "webp": FileKind("image/webp", (b"RIFF",)),
    "txt": FileKind("text/plain", None),
    "csv": FileKind("text/csv", None),
    "eml": FileKind("message/rfc822", None),
    "docx": FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "odt": FileKind("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": FileKind("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    "doc": FileKind("application/msword", _OLE),
    "xls": FileKind("application/vnd.ms-excel", _OLE),
}


class AttachmentRefused(ValueError):
    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


def check_attachment(filename: str, head: bytes, size: int, *, max_bytes: int) -> str:
    """The content type to store for this file, or ``AttachmentRefused`` saying why not.

    ``head`` is the start of the file (at least the first 4 KiB when it is that long).
    """
    if size > max_bytes:
        raise AttachmentRefused(f"{filename} is {size:,} bytes; the limit is {max_bytes:,} bytes.", too_large=True)
    if size == 0:
        raise AttachmentRefused(f"{filename} is empty.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = ALLOWED.get(extension)
    if kind is None:
        allowed = ", ".join(sorted(ALLOWED))
        raise AttachmentRefused(f"{filename}: files of this type are not accepted (allowed: {allowed}).")
    if kind.magic is None:
        if b"\x00" in head:
            raise AttachmentRefused(f"{filename} is not a text file.")
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A cut in the middle of a multi-byte character at the end of head is fine.
            if exc.start < len(head) - 3:
                raise AttachmentRefused(f"{filename} is not UTF-8 text.") from None
    elif not head.startswith(kind.magic):
        raise AttachmentRefused(f"{filename} does not contain what its name says ({extension}).")
    return kind.content_type


def clean_filename(filename: str) -> str:
    """A display name without path parts or control characters, at most 255 characters."""
    return (filename_part(filename) or "attachment")[-255:]


def upload_filename(sent: str) -> str:
    """The display name for a file someone chose to upload, or ``AttachmentRefused`` when its name
    cleans to nothing (``..``, ``a/..``, only spaces or control characters).

    Unlike mail, where a nameless part is still kept as "attachment", an upload comes from a person
    who can rename the file: taking it under another name, or dropping it, would surprise them.
    """
    name = filename_part(sent)
    if name in {"", ".", ".."}:
        shown = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in sent[:80]) or "(no name)"
        raise AttachmentRefused(f'"{shown}" cannot be used as a file name: rename the file and attach it again.')
    return name[-255:]


def filename_part(filename: str) -> str:
    """The last path part of ``filename`` without control characters (may be empty)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable()).strip()


_UNSAFE_IN_ARCHIVES = frozenset('<>:"/\\|?*')


def archive_filename(filename: str) -> str:
    """``filename`` as a path part inside a zip that opens safely everywhere: the characters Windows
    forbids in names (``< > : " / \\ | ? *``) and control characters become ``_``, and a name that
    is only dots cannot climb out of its folder."""
    name = "".join("_" if ch in _UNSAFE_IN_ARCHIVES or not ch.isprintable() else ch for ch in filename).strip()
    return name if name.strip(".") else "_" + name
