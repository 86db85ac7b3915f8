"""Which attachments get a preview on the timeline, and how big a preview may be.

A preview is a small picture of a file drawn by the worker, never by a request: the file itself
for an image, the first page for a PDF. Everything else is shown by its type and size. A preview
is bounded on both sides: the source (pixels Pillow may decode, bytes the renderer may read), so
a decompression bomb or a hostile PDF fails with "no preview" instead of exhausting the worker,
and the result (dimensions and bytes), so the case page stays light whatever was attached.
WCAG 2.2 SC 1.1.1 (non-text content): each preview carries a text alternative naming its file.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PreviewKind(StrEnum):
    IMAGE = "image"
    PDF = "pdf"


class PreviewState(StrEnum):
    PENDING = "pending"  # the worker has not drawn it yet: a placeholder on the page
    READY = "ready"
    NONE = "none"  # not a previewable type, or the file could not be drawn safely


IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
PDF_TYPES = frozenset({"application/pdf"})
PREVIEW_CONTENT_TYPE = "image/webp"  # what every preview is drawn as


@dataclass(frozen=True)
class PreviewLimits:
    """Bounds of one preview: ``max_side`` pixels for its longer side, ``max_bytes`` of output;
    ``max_source_pixels`` an image (or a page at the scale drawn) may have before decoding, and
    ``max_source_bytes`` of file the renderer reads at all."""

    max_side: int = 480
    max_bytes: int = 150_000
    max_source_pixels: int = 40_000_000
    max_source_bytes: int = 25 * 1024 * 1024


LIMITS = PreviewLimits()


def preview_kind(content_type: str) -> PreviewKind | None:
    """How a file of ``content_type`` is previewed, or None when it is shown by type and size."""
    if content_type in IMAGE_TYPES:
        return PreviewKind.IMAGE
    if content_type in PDF_TYPES:
        return PreviewKind.PDF
    return None


def initial_state(content_type: str) -> PreviewState:
    """What a new attachment's preview starts as: pending for the worker, or none at once."""
    return PreviewState.PENDING if preview_kind(content_type) else PreviewState.NONE


def fit(width: float, height: float, max_side: int) -> tuple[int, int]:
    """``width`` by ``height`` scaled down (never up) so its longer side is at most ``max_side``,
    keeping the aspect ratio; each side at least one pixel."""
    if width <= 0 or height <= 0:
        raise ValueError("a picture has a positive width and height")
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def source_acceptable(width: int, height: int, limits: PreviewLimits = LIMITS) -> bool:
    """Whether a picture of ``width`` by ``height`` may be decoded at all (Pillow's own guard,
    ``Image.MAX_IMAGE_PIXELS``, is set to the same bound)."""
    return width > 0 and height > 0 and width * height <= limits.max_source_pixels
