"""Live chat in a real browser: a customer on an organisation's website (another origin, one script
tag) chats with an agent in the console (two browser contexts); the connection drops in the middle
and nothing is lost or doubled; outside staffed time the offline form makes a case; axe finds no
WCAG 2.2 AA violation in the widget."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.cases.models import Case
from rapport.chat.models import ChatLine, ChatSite
from tests.browser.conftest import axe_violations, sign_in
from tests.chat.servers import ChatServer, HostPage


@pytest.fixture
def servers(transactional_db, settings, team):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    rapport = ChatServer().start()
    host = HostPage(rapport.url)
    ChatSite.objects.create(
        name="Website", key="website", allowed_origins=host.url, team=team, adjustments=["Extra time to reply"]
    )
    yield rapport, host
    host.stop()
    rapport.stop()


def _context(browser, base_url, *, bypass_csp=True):
    """``bypass_csp`` lets axe be injected into the host page; the console runs under its own CSP."""
    context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London", bypass_csp=bypass_csp)
    context.set_default_timeout(15_000)
    return context


def _console(browser, rapport, agent):
    context = _context(browser, rapport.url, bypass_csp=False)
    page = context.new_page()
    sign_in(page, agent.email)
    page.goto("/chat/console/")
    expect(page.locator("#console-connection")).to_have_text("Connected.")
    page.get_by_label("I am taking chats").check()
    return context, page


def _start_chat(page):
    page.get_by_role("button", name="Chat with us").click()
    page.get_by_label("Your name").fill("Rhian Powell")
    page.get_by_label("What is it about?").fill("My meter reading")
    page.get_by_label("I have read this").check()
    page.get_by_role("button", name="Start chat").click()
    expect(page.get_by_role("log", name="Conversation")).to_be_visible()


def test_a_customer_chats_with_an_agent_and_a_reconnect_loses_nothing(browser, servers, agent):
    rapport, host = servers
    agent_context, console = _console(browser, rapport, agent)
    customer_context = _context(browser, host.url)
    customer = customer_context.new_page()
    sockets, blocked = [], {"on": False}

    def through(ws):
        if blocked["on"]:
            ws.close(code=4000, reason="network down")
            return
        ws.connect_to_server()
        sockets.append(ws)

    customer.route_web_socket(re.compile(r".*/ws/chat/$"), through)
    customer.goto("/")
    _start_chat(customer)
    assert axe_violations(customer) == []

    console.get_by_role("button", name="Take the chat with Rhian Powell").click()
    panel = console.get_by_role("region", name="Rhian Powell: My meter reading")
    expect(panel).to_be_visible()
    expect(customer.get_by_text("You are chatting with")).to_be_visible()

    box = customer.get_by_label("Your message")
    box.fill("My reading is 04512.")
    box.press("Enter")
    expect(panel.get_by_role("log")).to_contain_text("My reading is 04512.")
    panel.get_by_label("Message to the customer").fill("Thanks, I have recorded 04512.")
    panel.get_by_role("button", name="Send", exact=True).click()
    log = customer.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("Thanks, I have recorded 04512.")
    panel.get_by_label("Message to the customer").fill("Check the serial number too.")
    panel.get_by_role("button", name="Add internal note").click()
    expect(panel.get_by_role("log")).to_contain_text("Check the serial number too.")

    # the connection drops; the customer writes and the agent answers while it is down
    blocked["on"] = True
    sockets[-1].close(code=4000, reason="network down")
    box.fill("Is that all you need?")
    box.press("Enter")
    expect(log.get_by_text("(sending)")).to_be_visible()
    panel.get_by_label("Message to the customer").fill("Yes, that is everything.")
    panel.get_by_role("button", name="Send", exact=True).click()
    expect(panel.get_by_role("log")).to_contain_text("Yes, that is everything.")
    blocked["on"] = False
    expect(log).to_contain_text("Yes, that is everything.", timeout=20_000)
    expect(log.get_by_text("(sending)")).to_have_count(0)
    expect(panel.get_by_role("log")).to_contain_text("Is that all you need?")
    assert log.get_by_text("Is that all you need?").count() == 1
    assert "serial number" not in (log.text_content() or "")  # the note never reached the customer
    assert axe_violations(customer) == []

    customer.get_by_role("button", name="End chat").click()
    expect(customer.get_by_text("How satisfied are you with this chat?")).to_be_visible()
    assert axe_violations(customer) == []
    customer.get_by_label("Very satisfied").check()
    customer.get_by_role("button", name="Send feedback").click()
    expect(customer.get_by_text("Thank you for your feedback.")).to_be_visible()

    senders = list(ChatLine.objects.order_by("seq").values_list("sender", flat=True))
    assert senders == ["customer", "agent", "note", "agent", "customer"]  # the resent one filed on reconnect, once
    customer_context.close()
    agent_context.close()


def test_nobody_available_gives_the_offline_form_that_makes_a_case(browser, servers):
    _, host = servers
    context = _context(browser, host.url)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name="Chat with us").click()
    expect(page.get_by_text("Nobody is free to chat at the moment.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#rc-off-email-error")).to_be_visible()
    page.get_by_label("Your name").fill("Alun Davies")
    page.get_by_label("Email address").fill("alun@example.co.uk")
    page.get_by_label("What is it about?").fill("Direct debit date")
    page.get_by_label("Your message").fill("Can I move my direct debit to the 15th?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_text(re.compile(r"Your reference is C-\d+"))).to_be_visible()
    case = Case.objects.get(subject="Direct debit date")
    expect(page.get_by_text(f"Your reference is {case.reference}")).to_be_visible()
    assert case.channel == "email"
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 640})  # reflow: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
