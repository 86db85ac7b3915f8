"""Demo proactive service: the broadband outage of the day before yesterday, its notice sent to
every customer with an open case tagged with it (anyone whose processing is restricted is skipped,
with the reason)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from rapport.accounts.models import Role, User
from rapport.cases.models import Case, Tag
from rapport.outreach import services
from rapport.outreach.models import Outreach

TITLE = "Outage notice: online account service"
TAG = "outage-online-account"
BODY = (
    "Our online account service was unavailable between 07:40 and 11:15 on {day}. If you tried to "
    "pay a bill or update your details during that time, nothing was taken twice and no late-payment "
    "charge will be added.\n\nYour open case with us stays open, and we will reply to it as usual. "
    "We are sorry for the disruption."
)
EASY_READ = (
    "Our website did not work on {day} in the morning.\n\nYou did not pay twice.\n\nYou will not pay a "
    "late fee.\n\nWe will still answer your question."
)


def seed(*, now: datetime) -> None:
    if Outreach.objects.filter(title=TITLE).exists():
        return
    sender = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id").first()
    open_cases = list(Case.objects.filter(is_active=True).order_by("id")[:12])
    if sender is None or not open_cases:
        return
    tag, _ = Tag.objects.get_or_create(name=TAG)
    for case in open_cases:
        case.tags.add(tag)
    day = timezone.localdate(now) - timedelta(days=2)
    outreach = services.outreach_draft(
        actor=sender,
        title=TITLE,
        subject="Our online account service was down on " + f"{day:%-d %B}",
        body=BODY.format(day=f"{day:%-d %B}"),
        easy_read_body=EASY_READ.format(day=f"{day:%-d %B}"),
        segment={"open_case_tag": TAG},
        now=now - timedelta(days=1, hours=3),
    )
    services.outreach_send(actor=sender, outreach_id=outreach.pk, now=now - timedelta(days=1, hours=2))
    services.outreach_deliver(outreach_id=outreach.pk, now=now - timedelta(days=1, hours=2))
