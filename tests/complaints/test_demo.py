"""The demo shows complaints at every stage, and the deadline warnings run as a daily task."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapport.complaints.models import ApprovalRequest, Complaint, ComplaintSettings
from rapport.seeding.demo import seed_demo
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_the_demo_has_complaints_at_every_stage():
    # as installed: the checks apply from the moment the app arrived, after the demo's history
    ComplaintSettings.objects.filter(pk=1).update(checks_from=timezone.now())
    seed_demo(now=NOW, seed=1)

    heard = Complaint.objects.filter(heard_at__isnull=False)
    assert heard.filter(owned_at__isnull=True).exists()  # heard only
    assert heard.filter(owned_at__isnull=False, final_response_at__isnull=True).exists()  # owned, in hand
    answered = heard.get(final_response_at__isnull=False)  # handled and answered
    assert answered.case.messages.filter(kind="outbound", attachments__filename__endswith=".pdf").exists()
    assert ApprovalRequest.objects.filter(decided_at__isnull=True, award__basis="legal").exists()
    assert Complaint.objects.filter(heard_at__isnull=True).exists()  # just received

    seed_demo(now=NOW, seed=1)  # a second run adds nothing
    assert Complaint.objects.filter(heard_at__isnull=False).count() == heard.count()


def test_the_daily_task_gives_the_warnings(complaint_case):
    from rapport.cases.models import CaseEvent
    from rapport.complaints.tasks import warn_final_response_deadlines

    # the complaint was received on the test clock's day, long before today: overdue
    warn_final_response_deadlines.call_local()
    assert CaseEvent.objects.filter(case=complaint_case, kind="final_response_warning", after="overdue").exists()
