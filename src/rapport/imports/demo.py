"""Demo data: the admin checking the old Zendesk export before the move. A small export (a trade
customer's split pallet, a boiler engineer who did not come, a delivery question) is put through a
dry run exactly as an upload would be, so /imports/ shows a finished dry run with its report (what
would be created, the staff matched by email, the values that cannot be mapped) and the desk's
own demo cases stay as they are; importing it for real is one click away in the same form."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from rapport.imports.models import ImportRun
from rapport.imports.services import run_create, run_execute

LABEL = "Zendesk export (demo)"


def _export(folder: Path, start: datetime) -> None:
    def at(days: float, hours: float = 0) -> str:
        return (start + timedelta(days=days, hours=hours)).isoformat()

    organisations = [{"id": 9501, "name": "Thornbury Garden Centre Ltd", "details": "Trade account since 2021"}]
    users = [
        {"id": 9101, "name": "Bethan Pritchard", "email": "bethan.pritchard@thornbury.example", "role": "end-user",
         "organization_id": 9501, "phone": "01454 960 118"},
        {"id": 9102, "name": "Callum Fraser", "email": "callum.fraser@example.co.uk", "role": "end-user"},
        {"id": 9103, "name": "Nadia Hussain", "email": "nadia.hussain@example.co.uk", "role": "end-user"},
        {"id": 9201, "name": "Rhys Morgan", "email": "rhys.morgan@zendesk-era.example", "role": "agent"},
    ]  # fmt: skip
    fields = [{"id": 71, "title": "Order number"}, {"id": 72, "title": "Store"}]
    tickets = [
        {"id": 4101, "subject": "Pallet of compost arrived split", "status": "solved", "priority": "high",
         "type": "incident", "via": {"channel": "email"}, "requester_id": 9101, "assignee_id": 9201,
         "organization_id": 9501, "tags": ["delivery", "trade"],
         "custom_fields": [{"id": 71, "value": "TR-20931"}, {"id": 72, "value": "Bristol"}],
         "created_at": at(0), "updated_at": at(2), "metric_set": {"solved_at": at(2)},
         "satisfaction_rating": {"score": "good", "comment": "Replacement came next day, thank you"},
         "comments": [
             {"id": 81001, "author_id": 9101, "public": True, "created_at": at(0),
              "plain_body": "Two of the bags on today's pallet were split open. Can you replace them?",
              "html_body": "<p>Two of the bags on today's pallet were <b>split open</b>. Can you replace them?</p>"},
             {"id": 81002, "author_id": 9201, "public": True, "created_at": at(0, 2),
              "body": "Sorry about that, Bethan. Two replacement bags go out on tomorrow's van."},
             {"id": 81003, "author_id": 9201, "public": False, "created_at": at(0, 2.1),
              "body": "Claim raised with the haulier, ref HX-5512."},
         ]},
        {"id": 4102, "subject": "Boiler engineer did not turn up", "status": "closed", "priority": "normal",
         "type": "question", "via": {"channel": "voice"}, "requester_id": 9102, "assignee_id": 9201,
         "tags": ["complaint", "engineer"], "created_at": at(5), "updated_at": at(9),
         "satisfaction_rating": {"score": "bad", "comment": "Took two weeks to sort"},
         "comments": [
             {"id": 81010, "author_id": 9102, "public": True, "created_at": at(5),
              "body": "I took the day off work and nobody came between 8 and 1."},
             {"id": 81011, "author_id": 9201, "public": True, "created_at": at(6),
              "body": "I'm very sorry. I've booked the first slot on Monday and refunded the call-out charge."},
         ]},
        {"id": 4103, "subject": "Where is my hedge trimmer?", "status": "pending", "priority": "low",
         "type": "question", "via": {"channel": "web"}, "requester_id": 9103, "assignee_id": 9201,
         "tags": ["delivery"], "created_at": at(12), "updated_at": at(13),
         "comments": [
             {"id": 81020, "author_id": 9103, "public": True, "created_at": at(12),
              "body": "Ordered online on Saturday, the tracking page has not changed since."},
             {"id": 81021, "author_id": 9201, "public": True, "created_at": at(13),
              "body": "It is with the courier now. Could you confirm the delivery address?"},
         ]},
    ]  # fmt: skip
    (folder / "organizations.json").write_text(json.dumps({"organizations": organisations}))
    (folder / "users.json").write_text(json.dumps({"users": users}))
    (folder / "ticket_fields.json").write_text(json.dumps({"ticket_fields": fields}))
    (folder / "tickets.jsonl").write_text("\n".join(json.dumps(t) for t in tickets))


def seed_imports_demo(now: datetime) -> None:
    if ImportRun.objects.filter(label=LABEL).exists():
        return
    with tempfile.TemporaryDirectory(prefix="rapport-demo-import-") as temp:
        folder = Path(temp)
        _export(folder, start=now - timedelta(days=200))
        run = run_create(source="zendesk", label=LABEL, now=now, dry_run=True)
        run_execute(run=run, path=folder, now=now)
