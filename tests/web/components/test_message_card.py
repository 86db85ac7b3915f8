"""Message cards (``web.components.message_card``) give the markup the templates gave, line for
line, for every kind of message and hostile text: on the customer page and in the portal. (The
case page's card is compared in ``test_timeline_entry``.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import Context, Template

from rapport.cases.models import Attachment, Message

# The recent-contact loop of customers/customer.html as it was written in the template language.
CUSTOMER_PAGE = """{% load desk %}{% for message in timeline %}
        <li class="message message-{{ message.kind }}">
          <header>
            <strong class="kind">{% if message.kind == "note" %}Internal note{% elif message.kind == "inbound" %}From the customer{% else %}Reply to the customer{% endif %}</strong>
            · <a href="{% url 'cases:detail' message.case.reference %}#message-{{ message.pk }}">{{ message.case.reference }}</a> {{ message.case.subject }}
            · {{ message.get_channel_display }} · {% when message.created_at %}
          </header>
          <div class="body">{{ message.body|truncatechars:300 }}</div>
        </li>
        {% endfor %}"""  # noqa: E501 - the template verbatim

# The conversation loop of portal/case.html as it was written in the template language.
PORTAL = """{% load portal_tags %}{% for message in conversation %}
  <li class="message message-{{ message.kind }}" id="message-{{ message.pk }}">
    <header>
      <strong>{% if message.kind == "inbound" %}You{% else %}{{ message.author.name|default:organisation }}{% if message.author.name %}, {{ organisation }}{% endif %}{% endif %}</strong>
      wrote on <time datetime="{{ message.created_at|date:'c' }}">{{ message.created_at|date:"j F Y, H:i" }}</time>
    </header>
    {% if message.body_html %}<div class="body-html">{{ message.body_html|message_html }}</div>{% else %}<div class="body">{{ message.body }}</div>{% endif %}
    {% with files=message.attachments.all %}{% if files %}
    <p>Attached files:</p>
    <ul class="attachments">
      {% for attachment in files %}
      <li><a href="{{ attachment.pk|attachment_url }}" download>{{ attachment.filename }}</a> <span class="muted">({% if attachment.content_type == "application/pdf" %}PDF document{% elif attachment.content_type == "image/png" %}PNG image{% else %}File{% endif %}, {{ attachment.size|filesizeformat }})</span>{% if attachment.preview_state == "ready" %}
            <img class="attachment-preview" src="{% url 'attachment_preview' attachment.pk %}" width="{{ attachment.preview_width }}" height="{{ attachment.preview_height }}" alt="Preview of {{ attachment.filename }}" loading="lazy">{% elif attachment.content_type == "x" %}{% elif attachment.preview_state == "pending" %}
            <span class="attachment-preview attachment-preview-pending">Preview being prepared</span>{% else %} · <span class="muted">no preview</span>{% endif %}</li>
      {% endfor %}
    </ul>
    {% endif %}{% endwith %}
  </li>
  {% endfor %}"""  # noqa: E501 - the template verbatim


def _lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


@pytest.fixture
def messages(db, case, agent, customer_user, now):
    at = now + timedelta(minutes=5)
    case.subject = "Refund <b>now</b> & 'later'"
    case.save()
    write = Message.objects.create
    found = [
        write(case=case, kind="inbound", channel="phone", author=agent, body="<by> staff & co", created_at=at),
        write(case=case, kind="inbound", channel="portal", author=customer_user, body="x" * 400, created_at=at),
        write(
            case=case,
            kind="outbound",
            channel="email",
            author=agent,
            body="x",
            body_html='<p>Hi <b>there</b><script>alert(1)</script><a href="javascript:x">l</a></p>',
            created_at=at,
        ),
        write(case=case, kind="outbound", channel="letter", author=None, body="System", created_at=at),
        write(case=case, kind="note", channel="email", author=agent, body="Only <staff>", created_at=at),
    ]  # fmt: skip
    files = [  # every way a file is shown: a preview, its placeholder, "no preview", type and size only
        ("a&b <1>.pdf", 1234, "application/pdf", "ready"),
        ("photo.png", 5 * 1024 * 1024, "image/png", "pending"),
        ("bomb <x>.png", 99, "image/png", "none"),
        ("notes.bin", 10, "x", "none"),
    ]
    for n, (name, size, content_type, state) in enumerate(files):
        ready = state == "ready"
        Attachment.objects.create(
            message=found[2],
            file=f"attachments/x{n}",
            filename=name,
            content_type=content_type,
            size=size,
            sha256="0" * 64,
            created_at=at,
            preview=f"previews/x{n}.webp" if ready else "",
            preview_state=state,
            preview_width=240 if ready else None,
            preview_height=339 if ready else None,
        )
    return list(Message.objects.filter(case=case).select_related("author", "case").prefetch_related("attachments"))


def test_the_customer_page_card_matches_the_template(messages):
    context = Context({"timeline": messages})
    expected = Template(CUSTOMER_PAGE).render(context)
    ours = Template("{% load timeline %}{% for message in timeline %}{% message_summary message %}{% endfor %}").render(
        context
    )
    assert _lines(ours) == _lines(expected)
    assert "Refund &lt;b&gt;now&lt;/b&gt; &amp; &#x27;later&#x27;" in ours
    assert "x" * 297 + "…" in ours


def test_the_portal_card_matches_the_template(messages):
    customer_view = [m for m in messages if m.kind != "note"]  # notes never reach the portal
    context = Context({"conversation": customer_view, "organisation": "Acme <Water>"})
    expected = Template(PORTAL).render(context)
    ours = Template(
        "{% load portal_tags %}{% for message in conversation %}"
        "{% message_card_for_customer message organisation %}{% endfor %}"
    ).render(context)
    assert _lines(ours) == _lines(expected)
    assert "Acme &lt;Water&gt;" in ours
    assert "<script>" not in ours
    assert "javascript:" not in ours
    assert "a&amp;b &lt;1&gt;.pdf" in ours
    assert 'alt="Preview of a&amp;b &lt;1&gt;.pdf"' in ours  # the customer's own file, previewed
    assert "Preview being prepared" in ours
