"""No stored code or raw timestamp reaches a person: every page of the demo desk shows labels and dates.

The demo covers every status, channel, priority and type, complaints with awards, data requests and
consents, so a code that slips past its label shows up here. Codes stay codes in the JSON API.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.db import transaction

from rapport import extensions
from rapport.accounts.models import User
from rapport.cases.models import Case
from rapport.complaints.models import ApprovalRequest, Award
from rapport.customers.models import Customer
from rapport.improvement.models import Initiative
from rapport.platform import caches
from rapport.seeding.demo import MANAGER, seed_demo
from rapport.web.labels import label, vocabularies
from tests.conftest import NOW
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # face_to_face, final_reject, waiting_on_customer
ISO_MOMENT = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class _VisibleText(HTMLParser):
    """The text a person reads: no tags, attributes, scripts or styles (the case timeline included:
    the journal's renderers word every event)."""

    SKIPPED = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping or tag in self.SKIPPED:
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(now=NOW, seed=1)
        transaction.set_rollback(True)


def _pages() -> list[str]:
    cases = Case.objects.order_by("id")
    award = Award.objects.filter(basis="legal").select_related("complaint__case").first()
    complaint = award.complaint.case if award else cases.filter(type="complaint").first()
    customer = Customer.objects.filter(cases__type="data_request").values_list("id", flat=True).first()
    paths = [
        "/",
        "/customers/",
        f"/customers/{customer}/",
        f"/privacy/customers/{customer}/",
        f"/cases/{complaint.reference}/",
        "/complaints/",
        "/complaints/reports/",
        "/sla/",
        "/privacy/",
        "/feedback/",
        "/mail/",
        "/learning/",
        "/improvement/",
        "/improvement/gaps/",
        "/improvement/journey/",
        *(f"/improvement/initiatives/{pk}/" for pk in Initiative.objects.values_list("pk", flat=True)),
    ]
    for kind in ("enquiry", "data_request", "complaint"):
        paths += [f"/cases/{case.reference}/" for case in cases.filter(type=kind)[:3]]
    for channel in ("face_to_face", "phone", "email"):
        paths += [f"/cases/{case.reference}/" for case in cases.filter(channel=channel)[:1]]
    paths += [f"/complaints/approvals/{pk}/" for pk in ApprovalRequest.objects.values_list("pk", flat=True)[:2]]
    paths.append(f"/complaints/reports/?start={(NOW - timedelta(days=365)).date()}&end={NOW.date()}")
    return paths


def test_pages_show_labels_and_dates_not_codes(demo):
    client = signed_in(User.objects.get(email=MANAGER.email))
    found = []
    for path in _pages():
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        found += [f"{path}: {code}" for code in sorted(set(CODE.findall(text)))]
        found += [f"{path}: {moment}" for moment in sorted(set(ISO_MOMENT.findall(text)))]
    assert found == []


def test_every_code_of_every_vocabulary_has_a_label():
    assert [(name, code) for name, codes in vocabularies().items() for code, text in codes.items() if "_" in text] == []


@pytest.mark.parametrize(
    ("vocabulary", "code", "shown"),
    [
        ("channel", "face_to_face", "Face to face"),
        ("channel", "email", "Email"),
        ("award_basis", "goodwill", "Goodwill"),
        ("award_basis", "legal", "Legal entitlement"),
        ("remedy", "final_reject", "Final right to reject"),
        ("case_status", "waiting_on_customer", "Waiting on customer"),
        ("channel", "carrier_pigeon", "Carrier pigeon"),  # unknown: words, never the code
    ],
)
def test_labels(vocabulary, code, shown):
    assert label(vocabulary, code) == shown


def test_capabilities_register_their_own_vocabularies():
    """The core names no capability: complaints and privacy register what their codes mean."""
    assert {"award_status", "remedy", "outcome", "lawful_basis", "restriction_ground"} <= set(
        extensions.label_vocabularies
    )
    assert label("award_status", "awaiting_approval") == "Awaiting approval"
    assert label("lawful_basis", "consent") == "Consent (Art 6(1)(a))"


def test_a_vocabulary_registered_later_is_read_and_none_replaces_the_cores(monkeypatch):
    registry = extensions.Registry[dict[str, str]]("label vocabulary")
    monkeypatch.setattr(extensions, "label_vocabularies", registry)
    registry.register("shelf", {"top_shelf": "Top shelf"})
    caches.clear_all()
    assert label("shelf", "top_shelf") == "Top shelf"
    registry.register("channel", {"email": "Electronic mail"})
    caches.clear_all()
    with pytest.raises(ValueError, match="core's own"):
        label("channel", "email")
    monkeypatch.undo()
    caches.clear_all()


def test_portal_pages_show_labels_and_dates_not_codes(demo):
    from rapport.seeding.demo import CUSTOMER

    user = User.objects.get(email=CUSTOMER.email)
    client = signed_in(user)
    cases = Case.objects.filter(customer__user=user).order_by("-id")[:5]
    found = []
    for path in [
        "/portal/",
        "/privacy/request/",
        "/privacy/choices/",
        *[f"/portal/cases/{c.reference}/" for c in cases],
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        found += [f"{path}: {code}" for code in sorted(set(CODE.findall(text)))]
        found += [f"{path}: {moment}" for moment in sorted(set(ISO_MOMENT.findall(text)))]
    assert found == []
