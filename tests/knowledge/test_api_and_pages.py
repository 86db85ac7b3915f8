"""The API's conventions, and the pages: staff, help centre, portal suggestions and the reply box."""

from __future__ import annotations

import pytest

from rapport.knowledge import services
from rapport.knowledge.models import Article, Deflection, Feedback
from tests.api.conftest import fields
from tests.knowledge.conftest import PUBLIC_BODY

pytestmark = pytest.mark.django_db


def test_staff_write_then_patch_with_the_version_they_read(client, auth, agent, manager, section):
    created = client.post(
        "/api/v1/kb/articles",
        {"title": "Damaged parcels", "body": "## What to do\n\nTell us.", "audience": "public", "section": section.pk},
        content_type="application/json",
        **auth(agent),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["version"]) == ("draft", 1)
    url = f"/api/v1/kb/articles/{body['id']}"
    submitted = client.patch(url, {"version": 1, "action": "submit"}, content_type="application/json", **auth(agent))
    assert submitted.json()["status"] == "review"
    stale = client.patch(url, {"version": 1, "title": "X"}, content_type="application/json", **auth(agent))
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    approved = client.patch(url, {"version": 2, "action": "approve"}, content_type="application/json", **auth(manager))
    assert approved.json()["status"] == "published"
    assert approved.json()["published_version"] == 3
    assert client.get(url).json()["title"] == "Damaged parcels"


def test_bad_input_names_the_field(client, auth, agent):
    response = client.post(
        "/api/v1/kb/articles", {"title": " ", "body": "# Top\n\ntext"}, content_type="application/json", **auth(agent)
    )
    assert response.status_code == 422
    errors = fields(response)
    assert "title" in errors
    assert "body" in errors


def test_customers_cannot_write(client, auth, customer_user):
    response = client.post(
        "/api/v1/kb/articles", {"title": "T", "body": "B"}, content_type="application/json", **auth(customer_user)
    )
    assert response.status_code == 404


def test_anyone_may_say_whether_an_article_helped(client, public_article):
    url = f"/api/v1/kb/articles/{public_article.pk}/feedback"
    refused = client.post(url, {"helpful": False}, content_type="application/json")
    assert refused.status_code == 422
    assert "reason" in fields(refused)
    given = client.post(url, {"helpful": False, "reason": "unclear"}, content_type="application/json")
    assert given.status_code == 201
    assert Feedback.objects.get().reason == "unclear"


def test_the_help_page_takes_feedback_and_asks_why_not(client, public_article):
    url = f"/help/articles/{public_article.pk}/feedback/"
    assert client.post(url, {"helpful": "no"}).status_code == 422
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    assert Feedback.objects.get().helpful is True


def test_the_portal_suggests_articles_while_a_case_is_typed(client, customer, customer_user, public_article):
    client.force_login(customer_user)
    page = client.get("/portal/cases/new/").content.decode()
    assert 'hx-get="/help/suggest/"' in page
    assert 'aria-live="polite"' in page
    suggested = client.get("/help/suggest/", {"subject": "refund", "body": "my kettle is broken"}).content.decode()
    assert f"/help/articles/{public_article.pk}/?from=suggestion" in suggested


def test_opening_a_suggestion_starts_a_deflection_and_saying_it_helped_ends_it(
    client, customer, customer_user, public_article
):
    client.force_login(customer_user)
    client.get(f"/help/articles/{public_article.pk}/", {"from": "suggestion"})
    assert Deflection.objects.get(customer=customer).outcome == "pending"
    client.post(f"/help/articles/{public_article.pk}/answered/")
    assert Deflection.objects.get(customer=customer).outcome == "deflected"


def test_the_reply_box_finds_and_inserts_an_article_with_placeholders_filled(
    client, agent, case, manager, section, now
):
    from tests.knowledge.conftest import publish_public

    article = publish_public(
        agent,
        manager,
        now,
        title="Kettle refunds",
        body="Hello {{ customer.name }}, about {{ case.reference }}.",
        section=section,
    )
    client.force_login(agent)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="kb-finder-q"' in page
    results = client.get("/kb/reply-search/", {"kb_q": "kettle", "case": case.reference}).content.decode()
    assert f"/kb/articles/{article.pk}/insert/" in results
    text = client.get(f"/kb/articles/{article.pk}/insert/", {"case": case.reference, "as": "text"}).content.decode()
    assert f"Hello Alice Jones, about {case.reference}." in text
    link = client.get(f"/kb/articles/{article.pk}/insert/", {"case": case.reference, "as": "link"}).content.decode()
    assert link.endswith(f"/help/articles/{article.pk}/")


def test_staff_pages_render(client, agent, manager, public_article, internal_article):
    client.force_login(manager)
    for path in [
        "/kb/",
        "/kb/?q=refund",
        f"/kb/articles/{public_article.pk}/",
        f"/kb/articles/{public_article.pk}/edit/",
        f"/kb/articles/{public_article.pk}/versions/",
        "/kb/reviews/",
        "/kb/gaps/",
        "/kb/figures/",
        "/kb/articles/new/",
        "/help/",
        "/help/search/?q=refnud",
    ]:
        assert client.get(path).status_code == 200, path


def test_the_article_list_costs_the_same_whatever_its_length(client, agent, django_assert_num_queries, now):
    from rapport.knowledge.selectors import article_list

    for n in range(3):
        services.article_create(actor=agent, title=f"Article {n}", body=PUBLIC_BODY, now=now)
    with django_assert_num_queries(1):
        first = list(article_list(agent, size=50).items)
    services.article_create(actor=agent, title="Another", body=PUBLIC_BODY, now=now)
    with django_assert_num_queries(1):
        second = list(article_list(agent, size=50).items)
    assert len(second) == len(first) + 1 == Article.objects.count()


def test_owners_are_alerted_to_reviews_due(agent, internal_article, now):
    from datetime import timedelta

    from rapport import extensions

    Article.objects.filter(pk=internal_article.pk).update(review_due=now.date() - timedelta(days=3))
    alerts = [a.text for a in extensions.header_alerts_for(agent)]
    assert "1 of your knowledge articles needs review." in alerts


def test_a_search_without_words_names_the_field(client):
    response = client.get("/api/v1/kb/search", {"q": " "})
    assert response.status_code == 422
    assert "q" in fields(response)
    assert client.get("/api/v1/kb/search", {"q": "x" * 201}).status_code == 422


def test_an_inserted_article_fills_every_placeholder_a_macro_would(client, agent, case, manager, section, now):
    """The reply's filler is the macros app's (``extensions.reply_placeholders``): the next business
    day and the SLA promise mean the same in an article as in a macro."""
    from rapport import extensions
    from tests.knowledge.conftest import publish_public

    article = publish_public(
        agent,
        manager,
        now,
        title="When we reply",
        body="We will reply {{ sla.promise }}; the office is next open {{ next_business_day }}.",
        section=section,
    )
    client.force_login(agent)
    text = client.get(f"/kb/articles/{article.pk}/insert/", {"case": case.reference, "as": "text"}).content.decode()

    from django.utils import timezone

    expected = extensions.reply_placeholder_values(case, agent, timezone.now())  # the page's own clock
    assert "{{" not in text
    assert expected["next_business_day"] in text
    assert expected["sla.promise"] in text


def test_the_suggestion_call_is_two_queries_and_takes_any_input(
    client, public_article, internal_article, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):  # synonyms (cached for a minute after), the window, the ranking
        page = client.get("/help/suggest/", {"subject": "Refund", "body": "my kettle is faulty"})
    assert f"/help/articles/{public_article.pk}/?from=suggestion" in page.content.decode()
    for subject, body in [
        ('"refund" OR NEAR(x', "*"),
        ("a" * 5000, "refund " * 2000),
        ("£££ ^^^", "-- ;drop table"),
        ("\u00e9t\u00e9 caf\u00e9", "\u0000"),
    ]:
        response = client.get("/help/suggest/", {"subject": subject, "body": body})
        assert response.status_code == 200
        assert b"Goodwill" not in response.content
