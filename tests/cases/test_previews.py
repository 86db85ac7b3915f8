"""Attachment previews: drawn by the worker after the upload commits, bounded, safe with hostile
files, stored through Django storage, and erased with the file (``cases.previews``,
``platform.previews``)."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

from rapport.cases import previews
from rapport.cases.models import Attachment
from rapport.cases.services import Upload, message_add
from rapport.domain.previews import LIMITS, PreviewKind, PreviewLimits
from rapport.platform.previews import draw_preview
from rapport.privacy.erasure import erase_files


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), "red" if mode == "RGB" else 0).save(out, format="PNG")
    return out.getvalue()


def pdf(text: str = "Invoice INV40210") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=24)
    document.cell(text=text)
    return bytes(document.output())


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _webp(drawn) -> Image.Image:
    picture = Image.open(io.BytesIO(drawn.content))
    assert picture.format == "WEBP"
    return picture


# --- drawing -------------------------------------------------------------------------------------


def test_a_large_photo_becomes_a_small_bounded_preview():
    drawn = draw_preview(png(4000, 3000), PreviewKind.IMAGE)

    assert drawn is not None
    assert (drawn.width, drawn.height) == (480, 360)
    assert _webp(drawn).size == (480, 360)
    assert len(drawn.content) <= LIMITS.max_bytes


def test_a_small_picture_is_not_enlarged():
    drawn = draw_preview(png(120, 80), PreviewKind.IMAGE)
    assert (drawn.width, drawn.height) == (120, 80)


def test_a_pdf_gets_a_picture_of_its_first_page():
    drawn = draw_preview(pdf(), PreviewKind.PDF)

    assert drawn is not None
    assert drawn.height == 480  # A4 is taller than wide
    assert 330 <= drawn.width <= 345
    picture = _webp(drawn).convert("L")
    assert picture.getextrema()[0] < 128  # the text is drawn: some dark pixels on white


def test_a_decompression_bomb_gets_no_preview():
    """A 10,000 by 10,000 picture is 12 KB of PNG but 100 megapixels: its header is read, never its pixels."""
    bomb = png(10_000, 10_000, mode="1")
    assert len(bomb) < 50_000
    assert draw_preview(bomb, PreviewKind.IMAGE) is None


def test_a_tighter_pixel_bound_refuses_what_the_default_allows():
    assert draw_preview(png(800, 800), PreviewKind.IMAGE, PreviewLimits(max_source_pixels=500_000)) is None


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, PreviewKind.IMAGE),  # a PNG that stops after its signature
        (png(300, 300)[:200], PreviewKind.IMAGE),  # cut short
        (b"GIF89a not really", PreviewKind.IMAGE),
        (b"%PDF-1.4 a receipt", PreviewKind.PDF),  # broken
        (b"", PreviewKind.PDF),
    ],
)
def test_a_broken_file_gets_no_preview(content, kind):
    assert draw_preview(content, kind) is None


def test_an_encrypted_pdf_gets_no_preview():
    assert draw_preview(encrypted_pdf(), PreviewKind.PDF) is None


def test_a_preview_over_the_byte_cap_is_refused():
    noisy = Image.effect_noise((480, 480), 100).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert draw_preview(out.getvalue(), PreviewKind.IMAGE, PreviewLimits(max_bytes=500)) is None


# --- the job -------------------------------------------------------------------------------------


def _attach(case, agent, now, *uploads, kind="outbound"):
    message = message_add(
        actor=agent, reference=case.reference, kind=kind, body="Files attached.", attachments=list(uploads), now=now
    )
    return list(message.attachments.all())


def test_the_preview_is_drawn_after_the_upload_commits_and_stored_through_storage(
    case, agent, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        [photo] = _attach(case, agent, now, Upload("photo.png", png(1600, 1200)))
        assert photo.preview_state == "pending"  # nothing is drawn inside the request
    assert queued  # the job is queued for after the commit

    for callback in queued:
        callback()

    photo.refresh_from_db()
    assert photo.preview_state == "ready"
    assert (photo.preview_width, photo.preview_height) == (480, 360)
    assert photo.preview.name == f"previews/{photo.sha256[:2]}/{photo.sha256}.webp"
    assert default_storage.exists(photo.preview.name)


def test_other_files_need_no_job_and_show_type_and_size(case, agent, now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        [text] = _attach(case, agent, now, Upload("notes.txt", b"Called back at 14:00."))
    assert text.preview_state == "none"
    assert not [c for c in queued if "preview" in getattr(c, "__qualname__", "")]
    assert not text.preview.name


def test_a_file_that_cannot_be_drawn_ends_as_no_preview(case, agent, now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [broken] = _attach(case, agent, now, Upload("receipt.pdf", b"%PDF-1.4 a receipt"))
    broken.refresh_from_db()
    assert broken.preview_state == "none"
    assert not broken.preview.name


def test_the_sweep_draws_what_a_lost_job_left_pending(case, agent, now):
    [photo, document] = _attach(case, agent, now, Upload("photo.png", png(100, 100)), Upload("letter.pdf", pdf()))
    assert {photo.preview_state, document.preview_state} == {"pending"}

    assert previews.previews_sweep() == 2
    assert previews.previews_sweep() == 0  # nothing left: each is drawn once

    assert set(Attachment.objects.values_list("preview_state", flat=True)) == {"ready"}


def test_a_job_for_a_gone_or_finished_attachment_does_nothing(case, agent, now):
    [photo] = _attach(case, agent, now, Upload("photo.png", png(100, 100)))
    assert previews.preview_draw(attachment_id=photo.pk) == "ready"
    assert previews.preview_draw(attachment_id=photo.pk) == "ready"
    assert previews.preview_draw(attachment_id=999_999) == "gone"


def test_erasing_a_file_erases_its_preview(case, agent, now, django_capture_on_commit_callbacks):
    [photo] = _attach(case, agent, now, Upload("photo.png", png(100, 100)))
    previews.preview_draw(attachment_id=photo.pk)
    photo.refresh_from_db()
    stored = photo.preview.name
    assert default_storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        erase_files(Attachment.objects.filter(pk=photo.pk))

    photo.refresh_from_db()
    assert (photo.preview.name, photo.preview_state, photo.preview_width) == ("", "none", None)
    assert not default_storage.exists(stored)
