"""The product's own error pages, as production and the demo show them (DEBUG off)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from tests.web.html_checks import page_problems


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("broken/", _broken)]


@pytest.mark.urls(__name__)
def test_a_server_error_shows_our_page_and_no_details(db, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    response = client.get("/broken/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "<title>Something went wrong · Rapport</title>" in html
    assert "a bug" not in html
    assert "Traceback" not in html
    assert page_problems(html) == []


def test_a_missing_page_shows_our_page_to_a_portal_customer(customer_client, settings):
    settings.DEBUG = False

    response = customer_client.get("/no/such/page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found" in html
    assert "URLconf" not in html
    assert 'href="/portal/"' in html
    assert page_problems(html) == []
