"""Demo files on a few cases, so the timeline shows every way an attachment appears: a photo and a
PDF with previews the worker draws, and a spreadsheet shown by its type and size."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta

from PIL import Image, ImageDraw

from rapport.cases import previews, services
from rapport.cases.models import Case
from rapport.domain.case_rules import ACTIVE_STATUSES
from rapport.platform.pdf import Heading, Paragraph, Table, render_pdf

CASES = 6


def _parcel_photo(rng: random.Random) -> bytes:
    """A picture of a dented parcel on a doormat (drawn, so the demo ships no image files)."""
    picture = Image.new("RGB", (1200, 900), (120, 94, 70))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 620, 1200, 900), fill=(90, 70, 52))
    draw.polygon([(330, 260), (870, 230), (900, 640), (300, 660)], fill=(196, 152, 96), outline=(60, 40, 20))
    draw.line([(330, 260), (900, 640)], fill=(150, 110, 60), width=6)
    dent = rng.randint(420, 560)
    draw.ellipse((dent, 420, dent + 180, 560), fill=(160, 120, 72))
    draw.rectangle((520, 300, 700, 360), fill=(245, 245, 240), outline=(40, 40, 40))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _invoice(reference: str, amount: str) -> bytes:
    return render_pdf(
        f"Invoice {reference}",
        [
            Heading(f"Invoice {reference}"),
            Paragraph("Northbridge Home Supplies Ltd, 14 Canal Street, Manchester M1 3HE"),
            Table(
                header=("Item", "Quantity", "Price"),
                rows=[("Kettle, brushed steel", "1", amount), ("Delivery", "1", "£4.99")],
            ),
            Paragraph("VAT included at 20%. Payment due within 30 days."),
        ],
    )


def _meter_readings(rng: random.Random) -> bytes:
    lines = ["date,reading_kwh"] + [f"2026-{m:02d}-01,{10_000 + m * rng.randint(180, 260)}" for m in range(1, 11)]
    return ("\n".join(lines) + "\n").encode()


def seed_demo_files(now: datetime, *, seed: int) -> int:
    """Attach a photo, an invoice and a CSV to a few open cases (as if the customer sent them);
    their previews are drawn at once, as the worker would. How many cases got files."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    cases = list(
        Case.objects.filter(status__in=ACTIVE_STATUSES, owner__isnull=False)
        .select_related("owner")
        .order_by("id")[:CASES]
    )
    for n, case in enumerate(cases):
        reference = case.reference
        files = [
            services.Upload("damaged-parcel.jpg", _parcel_photo(rng)),
            services.Upload(f"invoice-INV{40210 + n}.pdf", _invoice(f"INV{40210 + n}", f"£{rng.randint(19, 89)}.99")),
        ]
        if n % 2 == 0:
            files.append(services.Upload("meter-readings.csv", _meter_readings(rng)))
        services.message_add(
            actor=case.owner,  # the case's agent records what the customer emailed
            reference=reference,
            kind="inbound",
            channel="email",
            body="Photos of the parcel as it arrived and the invoice, as you asked.",
            attachments=files,
            now=now - timedelta(hours=n + 1),
        )
    return len(cases)


def draw_demo_previews() -> None:
    """Draw every pending preview now (after the demo's transaction has committed)."""
    while previews.previews_sweep():
        pass
