"""Which language a page is in: a visitor gets their browser's (Accept-Language), a signed-in
customer their saved preference, anyone the one they pick with the switch on every customer page;
staff pages stay in English whatever the browser says (ADR 0034)."""

from __future__ import annotations

import pytest
from django.utils import translation

from rapport.customers import services
from rapport.customers.models import Customer
from rapport.platform.errors import FieldError, NotFound
from tests.portal.test_home import make_cases

pytestmark = pytest.mark.django_db

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy-GB,cy;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_visitor_gets_the_portal_in_the_language_their_browser_asks_for(client):
    # When a visitor opens the portal with a Welsh browser
    response = client.get("/portal/", follow=True, **WELSH)

    # Then the sign-in page it leads to is in Welsh, and says so to screen readers and caches
    html = response.content.decode()
    assert response.redirect_chain[0][0].startswith("/login/?next=/portal/")
    assert html_lang(response) == "cy"
    assert "<h1>Mewngofnodi</h1>" in html
    assert "Neidio i'r prif gynnwys" in html
    assert response["Content-Language"] == "cy"
    assert "Accept-Language" in response["Vary"]


def test_a_visitor_with_an_english_or_unknown_browser_gets_english(client):
    for headers in (ENGLISH, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,de;q=0.8"}, {}):
        response = client.get("/login/", **headers)
        assert html_lang(response) == "en-gb"
        assert "<h1>Sign in</h1>" in response.content.decode()


def test_a_signed_in_customers_saved_language_wins_over_their_browser(client, customer):
    client.force_login(customer.user)
    customer.language = "cy"
    customer.save()

    welsh = client.get("/portal/", **ENGLISH)
    assert html_lang(welsh) == "cy"
    assert "Fy achosion" in welsh.content.decode()

    customer.language = "en"
    customer.save()
    english = client.get("/portal/", **WELSH)
    assert html_lang(english) == "en-gb"
    assert "My cases" in english.content.decode()


def test_staff_pages_stay_in_english_whatever_the_browser_says(client, agent):
    client.force_login(agent)

    response = client.get("/", **WELSH)

    assert html_lang(response) == "en-gb"
    assert "Skip to main content" in response.content.decode()
    assert "Content-Language" not in response
    assert 'class="language-switch"' not in response.content.decode()


def test_a_welsh_page_leaves_the_next_request_on_this_thread_in_english(client, customer):
    client.force_login(customer.user)
    Customer.objects.filter(pk=customer.pk).update(language="cy")

    client.get("/portal/")

    assert translation.get_language() == "en-gb"


def test_every_customer_page_has_the_switch_to_the_other_language(client, customer, case):
    client.force_login(customer.user)
    for url in ("/portal/", "/portal/cases/new/", f"/portal/cases/{case.reference}/", "/privacy/request/", "/help/"):
        html = client.get(url).content.decode()
        assert 'class="language-switch"' in html, url
        assert '<button type="submit" class="link" name="language" value="cy" lang="cy">Cymraeg</button>' in html, url
        assert '<span lang="en-gb" aria-current="true">English</span>' in html, url


def test_switching_saves_a_signed_in_customers_preference_and_returns_to_the_page(client, customer, case):
    client.force_login(customer.user)
    page = f"/portal/cases/{case.reference}/"

    response = client.post("/language/", {"language": "cy", "next": page})

    assert response.status_code == 302
    assert response["Location"] == page
    assert response.cookies["rapport_language"].value == "cy"
    customer.refresh_from_db()
    assert customer.language == "cy"
    assert html_lang(client.get(page, **ENGLISH)) == "cy"


def test_switching_as_a_visitor_keeps_the_choice_in_a_cookie_only(client, customer):
    response = client.post("/language/", {"language": "cy", "next": "/help/"})

    assert response["Location"] == "/help/"
    assert html_lang(client.get("/help/", **ENGLISH)) == "cy"
    assert Customer.objects.filter(language="cy").count() == 0


def test_switching_as_staff_changes_no_customer(client, agent, customer):
    client.force_login(agent)

    client.post("/language/", {"language": "cy", "next": "/help/"})

    assert Customer.objects.filter(language="cy").count() == 0


def test_a_language_not_offered_is_refused_with_a_message_and_nothing_changes(client, customer):
    client.force_login(customer.user)

    response = client.post("/language/", {"language": "fr", "next": "/portal/"}, follow=True)

    assert response.status_code == 200
    assert "Choose English or Cymraeg (Welsh)." in response.content.decode()
    assert "rapport_language" not in response.cookies or response.cookies["rapport_language"].value == ""
    customer.refresh_from_db()
    assert customer.language == "en"


def test_the_switch_never_sends_anyone_to_another_site(client):
    response = client.post("/language/", {"language": "cy", "next": "https://evil.example/"})

    assert response["Location"] == "/portal/"


def test_the_switch_takes_the_language_tag_as_well_as_the_code(client, customer):
    client.force_login(customer.user)

    client.post("/language/", {"language": "en-gb", "next": "/portal/"})

    customer.refresh_from_db()
    assert customer.language == "en"


def test_welsh_costs_the_portal_no_extra_query(client, customer, now, django_assert_num_queries):
    # The same six queries as the English page (tests/portal/test_home.py): the preference comes
    # with the customer record the portal loads anyway.
    make_cases(customer, now, 12)
    Customer.objects.filter(pk=customer.pk).update(language="cy")
    client.force_login(customer.user)

    with django_assert_num_queries(6):
        response = client.get("/portal/")

    assert html_lang(response) == "cy"


def test_customers_set_only_their_own_language(customer, other_customer, agent):
    with pytest.raises(NotFound):
        services.customer_language_set(actor=other_customer.user, customer_id=customer.pk, language="cy")
    with pytest.raises(FieldError) as refused:
        services.customer_language_set(actor=customer.user, customer_id=customer.pk, language="fr")
    assert refused.value.errors == {"language": ["Choose one of: en, cy."]}
    customer.refresh_from_db()
    assert customer.language == "en"


def test_staff_record_a_customers_language_on_their_record(agent, customer):
    updated = services.customer_update(actor=agent, customer_id=customer.pk, language="cy")
    assert updated.language == "cy"
    with pytest.raises(FieldError) as refused:
        services.customer_update(actor=agent, customer_id=customer.pk, language="Welsh")
    assert refused.value.errors == {"language": ["Choose one of: en, cy."]}
