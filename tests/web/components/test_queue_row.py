"""Rows of cases written in Python (``web.components.queue_row``) give the markup the templates gave:
the same elements, attributes, text and escaping, for every kind of row, on the queue and on the
customer page, under any script prefix, with no query of their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, set_script_prefix

from rapport.cases.models import Case, Tag
from rapport.customers.models import Customer
from rapport.extensions import Badge
from rapport.web.components.queue_row import customer_case_row, queue_row

# The row of web/_queue_results.html as it was written in the template language.
TEMPLATE_ROW = """{% load desk %}      {% for case in page.items %}
      <tr>
        <td class="select"><input type="checkbox" name="case" value="{{ case.reference }}:{{ case.version }}" form="bulk" id="select-{{ case.reference }}" aria-label="Select {{ case.reference }}"></td>
        <th scope="row"><a href="{% url 'cases:detail' case.reference %}">{{ case.reference }}</a></th>
        <td>{{ case.subject }}{% with row_badges=badges|get_item:case.pk %}{% for badge in row_badges %} <span class="{{ badge.css }}"{% if badge.title %} title="{{ badge.title }}"{% endif %}>{{ badge.text }}</span>{% endfor %}{% endwith %}</td>
        <td>{{ case.customer.name }} {% if case.customer.is_internal %}<span class="marker marker-internal">Internal</span>{% else %}<span class="marker marker-external">External</span>{% endif %}</td>
        <td><span class="status status-{{ case.status }}">{{ case.get_status_display }}</span></td>
        <td><span class="priority priority-{{ case.priority_label }}">{{ case.get_priority_display }}</span></td>
        <td>{% if case.owner %}{{ case.owner }}{% else %}<span class="muted">Nobody</span>{% endif %}</td>
        <td>{% if case.team %}{{ case.team }}{% else %}<span class="muted">None</span>{% endif %}</td>
        <td>{% for tag in case.tags.all %}<span class="tag">{{ tag.name }}</span> {% empty %}<span class="muted">None</span>{% endfor %}</td>
        <td>{% if case.next_breach_at %}{% if case.next_breach_at <= now %}<span class="breach-overdue">Breached</span> {% endif %}{% when case.next_breach_at %}{% else %}<span class="muted">No running target</span>{% endif %}</td>
        <td>{% when case.updated_at %}</td>
      </tr>
      {% endfor %}
"""  # noqa: E501 - the template verbatim

# The row of customers/customer.html as it was written there.
TEMPLATE_CUSTOMER_ROW = """{% load desk %}{% for case in cases %}
          <tr>
            <th scope="row"><a href="{% url 'cases:detail' case.reference %}">{{ case.reference }}</a></th>
            <td>{{ case.subject }}</td>
            <td><span class="status status-{{ case.status }}">{{ case.get_status_display }}</span></td>
            <td>{% if case.owner %}{{ case.owner }}{% else %}<span class="muted">Nobody</span>{% endif %}</td>
            <td>{% when case.created_at %}</td>
          </tr>
          {% endfor %}"""


def _lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


def _rows(cases, badges, now) -> tuple[str, str]:
    context = {"page": {"items": cases}, "badges": badges, "now": now}
    expected = Template(TEMPLATE_ROW).render(Context(context))
    ours = Template("{% load desk %}      {% queue_rows page.items badges now %}\n").render(Context(context))
    return expected, ours


def test_python_rows_match_the_template_rows(db, case, agent, team, now):
    internal = Customer.objects.create(
        name="Payroll <ops> & 'co'", kind="department", email="pay@example.org", created_at=now, updated_at=now
    )
    odd = Case.objects.create(
        type="request",
        status="waiting_on_customer",
        priority=4,
        channel="phone",
        subject='Refund "now" <script>alert(1)</script> & more',
        customer=internal,
        owner=agent,
        team=team,
        created_at=now,
        updated_at=now - timedelta(days=3),
        next_breach_at=now - timedelta(hours=2),
    )
    odd.tags.set([Tag.objects.create(name="a-b"), Tag.objects.create(name="z")])
    later = Case.objects.create(
        type="enquiry",
        status="resolved",
        priority=1,
        channel="email",
        subject="Plain",
        customer=case.customer,
        created_at=now,
        updated_at=now,
        next_breach_at=now + timedelta(minutes=90),
    )
    cases = list(Case.objects.select_related("customer", "owner", "team").prefetch_related("tags").order_by("id"))
    assert len(cases) == 3
    badges = {
        odd.pk: [Badge("Complaint", "tag tag-complaint", 'Stage "1" <open>'), Badge("Adjustments & more")],
        later.pk: [Badge("Breaches soon", title="")],
    }

    expected, ours = _rows(cases, badges, now)

    assert ours == expected
    assert "&lt;script&gt;" in ours
    assert "<script>" not in ours
    assert "Breached" in ours
    assert 'title="Stage &quot;1&quot; &lt;open&gt;"' in ours


def test_a_row_without_badges_tags_owner_or_clock(db, case, now):
    case.team = None
    case.next_breach_at = None
    case.save()
    cases = list(Case.objects.select_related("customer", "owner", "team").prefetch_related("tags"))

    expected, ours = _rows(cases, {}, now)

    assert ours == expected
    assert str(queue_row(cases[0], {}, now)).count('<span class="muted">') == 4


@pytest.fixture
def odd_cases(db, case, agent, team, now):
    """Three rows of every kind: markup in every text, owner or none, internal or external."""
    internal = Customer.objects.create(
        name="Payroll <ops> & 'co'", kind="department", email="pay@example.org", created_at=now, updated_at=now
    )
    Case.objects.create(
        type="request",
        status="waiting_on_customer",
        priority=4,
        channel="phone",
        subject='Refund "now" <script>alert(1)</script> & more',
        customer=internal,
        owner=agent,
        team=team,
        created_at=now - timedelta(days=5),
        updated_at=now,
    )
    agent.name = "Ann <b>Owner</b>"
    agent.save()
    return list(Case.objects.select_related("customer", "owner", "team").prefetch_related("tags").order_by("id"))


def test_customer_rows_match_the_template_rows(odd_cases):
    expected = Template(TEMPLATE_CUSTOMER_ROW).render(Context({"cases": odd_cases}))

    ours = Template("{% load desk %}{% customer_case_rows cases %}").render(Context({"cases": odd_cases}))

    assert _lines(ours) == _lines(expected)
    assert "&lt;script&gt;" in ours
    assert "Ann &lt;b&gt;Owner&lt;/b&gt;" in ours
    assert '<span class="muted">Nobody</span>' in ours


@pytest.mark.parametrize("row", [lambda case, now: queue_row(case, {}, now), lambda case, now: customer_case_row(case)])
def test_rows_link_to_the_case_under_the_script_prefix(odd_cases, now, row):
    set_script_prefix("/desk/")
    try:
        html = row(odd_cases[0], now)
    finally:
        clear_script_prefix()

    assert f'<a href="/desk/cases/{odd_cases[0].reference}/">' in html


def test_rows_cost_no_query(odd_cases, now, django_assert_num_queries):
    with django_assert_num_queries(0):
        for case in odd_cases:
            queue_row(case, {}, now)
            customer_case_row(case)
