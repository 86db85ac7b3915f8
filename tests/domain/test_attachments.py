"""Which files a case may carry."""

from __future__ import annotations

import pytest

from rapport.domain.attachments import (
    AttachmentRefused,
    archive_filename,
    check_attachment,
    clean_filename,
    upload_filename,
)

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


@pytest.mark.parametrize("sent", ["..", ".", "a/..", "C:\\photos\\..", "\x01\x02", "   ", ""])
def test_an_upload_whose_name_cleans_to_nothing_is_refused_naming_it(sent):
    with pytest.raises(AttachmentRefused, match="cannot be used as a file name"):
        upload_filename(sent)


def test_an_upload_keeps_its_cleaned_name():
    assert upload_filename("C:\\Users\\me\\receipt.pdf") == "receipt.pdf"
    assert upload_filename("a" * 300 + ".pdf") == ("a" * 300 + ".pdf")[-255:]


@pytest.mark.parametrize(
    ("name", "safe"),
    [('<b>"bill".txt', '_b__bill_.txt'), ("a:b|c?.pdf", "a_b_c_.pdf"), ("..", "_.."), ("tab\there.txt", "tab_here.txt"),
     ("receipt.pdf", "receipt.pdf")],
)  # fmt: skip
def test_a_name_inside_an_archive_holds_nothing_a_file_system_refuses(name, safe):
    assert archive_filename(name) == safe
