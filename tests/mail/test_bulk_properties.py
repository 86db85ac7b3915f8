"""For any sequence of mails, the batch import (``cases.services.cases_receive_many`` through
``mail.bulk``) and the one-by-one path (``mail_receive`` → ``case_receive`` / ``message_receive``)
leave the same cases, events, messages and SLA clocks.

Mailboxes are drawn by hypothesis: senders, replies by In-Reply-To to earlier mails of the box or
to the desk's own cases (resolved, closed long ago, waiting on the customer, a complaint), a case
reference in the subject, dates in and out of order, historic mail, duplicates. Deterministic
(derandomize) and small. SQLite only, as the seeded corpus test: the snapshot compares case
references, and PostgreSQL's sequences skip numbers when an insert rolls back.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.domain.references import format_reference
from rapport.mail import imports
from rapport.mail.imports import mail_import
from tests.mail.test_bulk_equivalence import desk, snapshot  # noqa: F401 - the fixture is used by name
from tests.mail.test_import import write_mbox

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="references compared; PostgreSQL skips numbers"),
]

SENDERS = ("alice@example.com", "bob@example.com", "dana@example.net", "staff@rapport-org.example")
OWNERS = {  # the desk's cases (tests.mail.test_bulk_equivalence.desk) and whose they are
    "resolved": "alice@example.com",
    "open": "bob@example.com",
    "complaint": "carol@example.org",
    "waiting": "dave@example.org",
    "old": "eve@example.org",  # closed forty days ago: too late to re-open
}
DESK_CASES = tuple(OWNERS)

mail = st.fixed_dictionaries(
    {
        "sender": st.sampled_from(SENDERS),
        "reply": st.one_of(
            st.none(),
            st.tuples(st.just("earlier"), st.integers(0, 30)),
            st.tuples(st.just("desk"), st.sampled_from(DESK_CASES)),
            st.tuples(st.just("subject"), st.sampled_from(DESK_CASES)),
        ),
        "minutes": st.integers(-3000, 3000),  # mail arrives out of order
        "historic": st.booleans(),
        "again": st.booleans(),  # the same email twice
        "owner": st.booleans(),  # a reply to a desk case from its own customer (or from someone else)
    }
)


def mailbox(cases: dict, now, drawn: list[dict]) -> list[bytes]:
    out: list[bytes] = []
    for i, m in enumerate(drawn):
        if m["again"] and out:
            out.append(out[-1])
            continue
        written = now - timedelta(days=800) if m["historic"] else now - timedelta(days=1, minutes=m["minutes"])
        subject, extra = f"Question {i}", []
        kind = m["reply"][0] if m["reply"] else None
        sender = OWNERS[m["reply"][1]] if kind in {"desk", "subject"} and m["owner"] else m["sender"]
        if kind == "earlier" and i:
            extra.append(f"In-Reply-To: <prop{m['reply'][1] % i}@example.net>")
        elif kind == "desk":
            if m["reply"][1] == "resolved":
                extra.append(f"In-Reply-To: <{cases['sent_id']}>")
            subject = f"Re: [{format_reference(cases[m['reply'][1]])}]"
        elif kind == "subject":
            subject = f"About {format_reference(cases[m['reply'][1]])}"
        headers = [
            f"From: {sender.split('@')[0].title()} <{sender}>",
            "To: support@rapport.example",
            f"Subject: {subject}",
            f"Date: {format_datetime(written)}",
            f"Message-ID: <prop{i}@example.net>",
            *extra,
        ]
        out.append(("\n".join(headers) + f"\nContent-Type: text/plain\n\nMail number {i}.\n").encode())
    return out


def imported(tmp_path, now, raws: list[bytes], *, bulk: bool) -> dict:
    with transaction.atomic():
        path = tmp_path / f"box-{bulk}.mbox"
        write_mbox(path, raws)
        mail_import(path=path, now=now, acknowledge=True, bulk=bulk)
        taken = snapshot()
        transaction.set_rollback(True)
    return taken


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=st.lists(mail, min_size=1, max_size=14), batch=st.sampled_from([3, 7, 100]))
def test_any_mailbox_is_filed_the_same_in_batches_as_one_by_one(desk, tmp_path, now, drawn, batch, monkeypatch):  # noqa: F811
    monkeypatch.setattr(imports, "BATCH", batch)  # threads cross batch boundaries
    raws = mailbox(desk, now, drawn)
    one_by_one = imported(tmp_path, now, raws, bulk=False)
    batched = imported(tmp_path, now, raws, bulk=True)
    for part in ("cases", "events", "messages", "clocks", "pauses", "customers", "mail", "search", "outbox"):
        assert batched[part] == one_by_one[part], part
