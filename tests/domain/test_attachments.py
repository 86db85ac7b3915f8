"""Which files a case may carry."""

from __future__ import annotations

import pytest

from rapport.domain.attachments import AttachmentRefused, check_attachment, clean_filename

LIMIT = 1000


@pytest.mark.parametrize(
    ("name", "head", "content_type"),
    [
        ("receipt.PDF", b"%PDF-1.7", "application/pdf"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "image/jpeg"),
        ("notes.txt", "café".encode(), "text/plain"),
        ("letter.docx", b"PK\x03\x04rest", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted(name, head, content_type):
    assert check_attachment(name, head, len(head), max_bytes=LIMIT) == content_type


@pytest.mark.parametrize(
    ("name", "head", "size", "too_large"),
    [
        ("setup.exe", b"MZ", 2, False),
        ("noextension", b"%PDF-", 5, False),
        ("fake.pdf", b"<html>", 6, False),
        ("image.svg", b"<svg/>", 6, False),
        ("binary.txt", b"ab\x00cd", 5, False),
        ("empty.pdf", b"", 0, False),
        ("huge.pdf", b"%PDF-", LIMIT + 1, True),
    ],
)
def test_refused(name, head, size, too_large):
    with pytest.raises(AttachmentRefused) as refused:
        check_attachment(name, head, size, max_bytes=LIMIT)
    assert refused.value.too_large is too_large
    assert name in str(refused.value)


def test_clean_filename_drops_paths_and_control_characters():
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("C:\\Users\\a\\scan\x00.pdf") == "scan.pdf"
    assert clean_filename("\x07") == "attachment"
