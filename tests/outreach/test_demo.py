"""The proactive demo: one outage notice, sent, with a customer skipped for a restriction."""

from __future__ import annotations

import pytest

from rapport.outreach.demo import TITLE, seed
from rapport.outreach.models import Outreach, OutreachState, Recipient

pytestmark = pytest.mark.django_db


def test_demo_sends_one_outage_notice_once(manager, case, now):
    seed(now=now)
    seed(now=now)
    outreach = Outreach.objects.get()
    assert outreach.title == TITLE
    assert outreach.state == OutreachState.SENT
    assert outreach.easy_read_body
    assert Recipient.objects.filter(outreach=outreach, customer=case.customer, state="queued").exists()
