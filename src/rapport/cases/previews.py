"""Previews of attachments: drawn by the worker after the upload commits, never in a request.

A new image or PDF starts ``pending`` (the timeline shows a placeholder); the queued job
``PREVIEW_JOB`` draws it (``platform.previews``), stores it through Django storage beside the
file, and marks it ``ready``, or ``none`` when it cannot be drawn safely. A sweep every few minutes
draws what a lost job left pending (and the previews of files attached before previews existed).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction

from rapport.cases.models import Attachment
from rapport.domain.previews import PreviewState, preview_kind
from rapport.platform import jobs
from rapport.platform.previews import draw_preview

PREVIEW_JOB = "cases.attachment_preview"
SWEEP_BATCH = 50


def previews_queue(attachment_ids: Sequence[int]) -> None:
    """Queue the previews of ``attachment_ids`` once the current transaction commits."""
    for pk in attachment_ids:
        transaction.on_commit(partial(jobs.enqueue, PREVIEW_JOB, pk))


def preview_draw(*, attachment_id: int) -> str:
    """Draw the preview of one attachment if it is still pending; the state it ends in."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return "gone"
    if attachment.preview_state != PreviewState.PENDING:
        return attachment.preview_state
    kind = preview_kind(attachment.content_type)
    drawn = None
    if kind is not None and attachment.file.name:
        try:
            with attachment.file.storage.open(attachment.file.name, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            data = b""
        drawn = draw_preview(data, kind)
    if drawn is None:
        Attachment.objects.filter(pk=attachment.pk, preview_state=PreviewState.PENDING).update(
            preview_state=PreviewState.NONE
        )
        return PreviewState.NONE
    name = attachment.preview.field.generate_filename(attachment, "preview.webp")
    storage = attachment.preview.storage
    if not storage.exists(name):  # content-addressed: the same file's preview is stored once
        name = storage.save(name, ContentFile(drawn.content))
    # Only a pending row is marked: an erasure meanwhile set it to none, and it stays so.
    Attachment.objects.filter(pk=attachment.pk, preview_state=PreviewState.PENDING).update(
        preview=name, preview_state=PreviewState.READY, preview_width=drawn.width, preview_height=drawn.height
    )
    return PreviewState.READY


def previews_sweep(*, batch: int = SWEEP_BATCH) -> int:
    """Draw up to ``batch`` pending previews (oldest first); how many were looked at."""
    due = list(
        Attachment.objects.filter(preview_state=PreviewState.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)[:batch]
    )
    for pk in due:
        preview_draw(attachment_id=pk)
    return len(due)
