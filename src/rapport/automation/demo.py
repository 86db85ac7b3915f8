"""Demo automation rules: the procedures a UK service desk writes first."""

from __future__ import annotations

from datetime import datetime

from rapport.accounts.models import Role, User
from rapport.automation import services
from rapport.automation.models import AutomationRule

DEMO_RULES: list[dict] = [
    {
        "name": "Refund requests are high priority",
        "description": "Refunds owed under the Consumer Rights Act 2015 must be paid within 14 days.",
        "position": 10,
        "active": True,
        "definition": {
            "trigger": "event",
            "events": ["created"],
            "conditions": {"match": "any", "conditions": [
                {"field": "text", "op": "contains", "value": "refund"},
                {"field": "text", "op": "contains", "value": "money back"},
            ]},
            "actions": [
                {"type": "add_tags", "tags": ["refund"]},
                {"type": "set_fields", "fields": {"priority": "high"}},
            ],
        },
    },
    {
        "name": "SLA breach: tell the owner and raise the priority",
        "description": "Our escalation procedure: a breached target goes to the top of the owner's queue.",
        "position": 20,
        "active": True,
        "definition": {
            "trigger": "event",
            "events": ["sla_breached"],
            "conditions": {"match": "all", "conditions": [
                {"field": "case.priority", "op": "in", "value": ["low", "normal"]},
            ]},
            "actions": [
                {"type": "set_fields", "fields": {"priority": "urgent"}},
                {"type": "add_note", "body": (
                    "The SLA target was breached: raised to urgent by our escalation procedure."
                )},
                {"type": "notify", "people": ["owner"], "message": "A case you own has breached its SLA target."},
            ],
        },
    },
    {
        "name": "Waiting on the customer for 5 business days: remind them",
        "description": "One reminder, then the next rule resolves the case.",
        "position": 30,
        "active": True,
        "definition": {
            "trigger": "time",
            "conditions": {"match": "all", "conditions": [
                {"field": "case.status", "op": "is", "value": "waiting_on_customer"},
                {"field": "case.type", "op": "is_not", "value": "complaint"},
                {"field": "case.tags", "op": "has_not", "value": "reminded"},
                {"field": "since.updated", "op": "at_least", "value": "5d"},
            ]},
            "actions": [
                {"type": "send_reply", "body": (
                    "Hello {{ customer.name }},\n\nWe are still waiting to hear from you about this. If we do "
                    "not hear back within 5 working days we will close the case; you can reopen it at any "
                    "time by replying."
                )},
                {"type": "add_tags", "tags": ["reminded"]},
                {"type": "set_fields", "fields": {"status": "waiting_on_customer"}},
            ],
        },
    },
    {
        "name": "No answer 5 business days after the reminder: resolve with a note",
        "position": 40,
        "active": False,
        "definition": {
            "trigger": "time",
            "conditions": {"match": "all", "conditions": [
                {"field": "case.status", "op": "is", "value": "waiting_on_customer"},
                {"field": "case.type", "op": "is_not", "value": "complaint"},
                {"field": "case.tags", "op": "has", "value": "reminded"},
                {"field": "since.updated", "op": "at_least", "value": "5d"},
            ]},
            "actions": [
                {"type": "add_note", "body": "No reply 5 business days after our reminder: resolved by automation."},
                {"type": "set_fields", "fields": {"status": "resolved"}},
            ],
        },
    },
]  # fmt: skip


def seed_automation_demo(now: datetime) -> None:
    if AutomationRule.objects.exists():
        return
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    if admin is None:
        return
    for spec in DEMO_RULES:
        services.rule_create(actor=admin, now=now, **spec)
