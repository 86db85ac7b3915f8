"""Internal articles and drafts never reach customers or visitors, on any path: the help page,
plain text, large-print PDF, files, search, suggestions and the API (with or without a token)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rapport.knowledge import services

pytestmark = pytest.mark.django_db


def paths(article_id: int) -> list[str]:
    return [
        f"/help/articles/{article_id}/",
        f"/help/articles/{article_id}.txt",
        f"/help/articles/{article_id}.pdf",
        f"/api/v1/kb/articles/{article_id}",
    ]


@pytest.mark.parametrize("who", ["visitor", "customer"])
def test_internal_articles_are_not_found_by_the_public_on_any_page(client, customer_user, who, internal_article):
    if who == "customer":
        client.force_login(customer_user)
    for path in paths(internal_article.pk):
        assert client.get(path).status_code == 404, path


def test_drafts_of_public_articles_are_not_found_by_the_public(client, agent, now):
    draft = services.article_create(
        actor=agent, title="Draft refund policy", body="Not yet", audience="public", now=now
    )
    for path in paths(draft.pk):
        assert client.get(path).status_code == 404, path


def test_the_public_read_public_articles_without_signing_in(client, public_article):
    page = client.get(f"/help/articles/{public_article.pk}/")
    assert page.status_code == 200
    assert b"full refund within 30 days" in page.content
    text = client.get(f"/help/articles/{public_article.pk}.txt")
    assert text["Content-Type"].startswith("text/plain")
    assert "Your rights\n-----------" in text.content.decode()
    pdf = client.get(f"/help/articles/{public_article.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/kb/articles/{public_article.pk}").json()["title"] == "Refunds for faulty goods"


def test_search_and_suggestions_never_offer_internal_articles_to_the_public(
    client, customer_user, public_article, internal_article
):
    assert client.get("/api/v1/kb/search", {"q": "zebracrossing"}).json()["results"] == []
    assert client.get("/api/v1/kb/search", {"q": "goodwill"}).json()["results"] == []
    assert b"Goodwill" not in client.get("/help/search/", {"q": "goodwill"}).content
    assert b"Goodwill" not in client.get("/help/suggest/", {"subject": "goodwill limits"}).content
    listed = client.get("/api/v1/kb/articles").json()["items"]
    assert [a["id"] for a in listed] == [public_article.pk]
    # not even a typo correction to an internal word
    assert client.get("/api/v1/kb/search", {"q": "zebracrosing"}).json()["corrected"] is None
    client.force_login(customer_user)
    assert client.get("/api/v1/kb/search", {"q": "goodwill"}).json()["results"] == []


def test_staff_find_internal_articles_with_a_token(client, auth, agent, internal_article):
    found = client.get("/api/v1/kb/search", {"q": "goodwill"}, **auth(agent)).json()["results"]
    assert [hit["id"] for hit in found] == [internal_article.pk]
    assert client.get(f"/api/v1/kb/articles/{internal_article.pk}", **auth(agent)).json()["status"] == "published"


def test_an_internal_articles_files_are_for_staff_only(client, agent, internal_article):
    upload = SimpleUploadedFile("limits.pdf", b"%PDF-1.4 limits", content_type="application/pdf")
    added = services.file_add(actor=agent, article_id=internal_article.pk, upload=upload)
    assert client.get(f"/help/files/{added.pk}/").status_code == 404
    client.force_login(agent)
    assert client.get(f"/help/files/{added.pk}/").status_code == 200


def test_an_image_needs_its_text_alternative(agent, internal_article):
    from rapport.platform.errors import FieldError

    image = SimpleUploadedFile("label.png", b"\x89PNG", content_type="image/png")
    with pytest.raises(FieldError, match="text alternative"):
        services.file_add(actor=agent, article_id=internal_article.pk, upload=image)


def test_staff_pages_are_not_for_customers(client, customer_user, internal_article):
    client.force_login(customer_user)
    for path in ["/kb/", f"/kb/articles/{internal_article.pk}/", "/kb/gaps/", "/kb/reply-search/?kb_q=goodwill"]:
        assert client.get(path).status_code == 404, path


def test_versions_are_for_staff_only(client, auth, agent, customer_user, public_article):
    assert client.get(f"/api/v1/kb/articles/{public_article.pk}/versions").status_code in (401, 404)
    assert client.get(f"/api/v1/kb/articles/{public_article.pk}/versions", **auth(customer_user)).status_code == 404
    versions = client.get(f"/api/v1/kb/articles/{public_article.pk}/versions", **auth(agent)).json()
    assert [v["number"] for v in versions] == [3, 2, 1]
