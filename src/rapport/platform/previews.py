"""Draw a small preview of an image or of a PDF's first page, safely, in memory.

Pillow decodes images and PDFium (through ``pypdfium2``, whose wheels ship the library) renders
PDF pages. Both read untrusted files, so every way a file can be hostile ends in ``None`` ("no
preview") rather than an exception or an exhausted worker:

- decompression bombs: the declared size is checked before any pixel is decoded
  (``domain.previews.source_acceptable``), Pillow's own guard is set to the same bound and its
  warning is an error here;
- huge PDF pages are drawn at the scale that fits the preview, so the bitmap is bounded whatever
  the page size; encrypted PDFs (no password) and broken ones raise inside PDFium and are refused;
- the output is a WebP of at most ``max_side`` pixels a side, and is refused above ``max_bytes``.

Nothing touches the local file system: bytes in, bytes out (the caller stores them through
Django storage, ADR 0011).
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image, ImageOps
from PIL.Image import open as open_image  # bytes in memory, never a path (ADR 0011)

from rapport.domain.previews import LIMITS, PreviewKind, PreviewLimits, fit, source_acceptable

log = logging.getLogger(__name__)

Image.MAX_IMAGE_PIXELS = LIMITS.max_source_pixels


@dataclass(frozen=True)
class Drawn:
    content: bytes
    width: int
    height: int


def _encoded(picture: Image.Image, limits: PreviewLimits) -> Drawn | None:
    picture = ImageOps.exif_transpose(picture)  # phone photos are stored sideways
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "transparency" in picture.info or "A" in picture.mode else "RGB")
    picture.thumbnail(fit(picture.width, picture.height, limits.max_side), Image.Resampling.LANCZOS)
    for quality in (80, 60, 40):
        out = io.BytesIO()
        picture.save(out, format="WEBP", quality=quality, method=4)
        if out.tell() <= limits.max_bytes:
            return Drawn(out.getvalue(), picture.width, picture.height)
    return None


def _image(data: bytes, limits: PreviewLimits) -> Drawn | None:
    with open_image(io.BytesIO(data)) as picture:  # reads the header only
        if not source_acceptable(picture.width, picture.height, limits):
            return None
        picture.draft("RGB", (limits.max_side, limits.max_side))  # JPEG: decode at a reduced scale
        picture.seek(0)  # an animation's first frame
        picture.load()
        return _encoded(picture, limits)


def _pdf_first_page(data: bytes, limits: PreviewLimits) -> Drawn | None:
    document = pdfium.PdfDocument(data)
    try:
        if len(document) == 0:
            return None
        page = document[0]
        try:
            width, height = page.get_size()  # points
            drawn_w, drawn_h = fit(width, height, limits.max_side)
            if not source_acceptable(drawn_w, drawn_h, limits):
                return None
            bitmap = page.render(scale=min(drawn_w / width, drawn_h / height))
            try:
                return _encoded(bitmap.to_pil(), limits)
            finally:
                bitmap.close()
        finally:
            page.close()
    finally:
        document.close()


def draw_preview(data: bytes, kind: PreviewKind, limits: PreviewLimits = LIMITS) -> Drawn | None:
    """A preview of ``data`` (an image, or a PDF's first page), or None when it cannot be drawn
    safely within ``limits``."""
    if not data or len(data) > limits.max_source_bytes:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if kind == PreviewKind.IMAGE:
                return _image(data, limits)
            return _pdf_first_page(data, limits)
    except Exception as failure:
        log.info("no preview: %s", type(failure).__name__)
        return None
