"""A customer's deflections are their personal data: in their subject access bundle, gone when
they are erased (through the privacy app's registries)."""

from __future__ import annotations

from rapport import extensions
from rapport.knowledge import services
from rapport.knowledge.models import Deflection
from rapport.knowledge.personal_data import DEFLECTIONS


def test_the_bundle_lists_the_articles_the_customer_opened_and_what_followed(
    customer, other_customer, public_article, now
):
    services.suggestion_opened(customer=customer, article=public_article, now=now)
    services.suggestion_opened(customer=other_customer, article=public_article, now=now)

    sections = dict(section(customer) for section in extensions.subject_access_sections)

    assert sections[DEFLECTIONS] == [
        {
            "article": "Refunds for faulty goods",
            "opened": now.isoformat(),
            "outcome": "pending",
            "decided": None,
            "case": None,
        }
    ]


def test_erasing_the_customer_deletes_their_deflections_only(customer, other_customer, public_article, now):
    services.suggestion_opened(customer=customer, article=public_article, now=now)
    services.suggestion_opened(customer=other_customer, article=public_article, now=now)

    summary: dict[str, int] = {}
    for handler in extensions.erasure_handlers:
        summary.update(handler(customer, [], lambda text: text))

    assert summary["help-article deflections deleted"] == 1
    assert list(Deflection.objects.values_list("customer_id", flat=True)) == [other_customer.pk]
