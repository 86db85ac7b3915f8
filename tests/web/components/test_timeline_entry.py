"""Timeline entries written in Python (``{% timeline_entry %}``) give the markup the template gave:
the same elements, attributes, text and escaping, line for line, for every kind of entry."""

from __future__ import annotations

from datetime import timedelta

from django.template import Context, Template

from rapport.cases.models import Attachment, CaseEvent, Message
from rapport.cases.views import timeline

# The timeline loop of cases/case.html as it was written in the template language.
TEMPLATE_TIMELINE = """{% load desk %}        {% for entry in timeline %}
        {% if entry.message %}{% with message=entry.message %}
        <li id="message-{{ message.pk }}" class="message message-{{ message.kind }}">
          <header>
            <strong class="kind">{% if message.kind == "note" %}Internal note{% elif message.kind == "inbound" %}From the customer{% else %}Reply to the customer{% endif %}</strong>
            · {% if message.kind == "inbound" %}{{ customer.name }}{% if message.author and message.author_id != customer.user_id %} (recorded by {{ message.author }}){% endif %}{% else %}{{ message.author|default:"System" }}{% endif %}
            · {{ message.get_channel_display }} · {% when message.created_at %}
          </header>
          {% if message.body_html %}<div class="body body-html">{{ message.body_html|sanitised }}</div>{% else %}<div class="body">{{ message.body }}</div>{% endif %}
          {% with attachments=message.attachments.all %}{% if attachments %}
          <ul class="attachments" aria-label="Attachments">
            {% for attachment in attachments %}
            <li><a href="{% url 'attachment' attachment.pk %}">{{ attachment.filename }}</a> <span class="muted">({% if attachment.content_type == "application/pdf" %}PDF document{% elif attachment.content_type == "image/png" %}PNG image{% else %}File{% endif %}, {{ attachment.size|filesizeformat }})</span>{% if attachment.preview_state == "ready" %}
            <img class="attachment-preview" src="{% url 'attachment_preview' attachment.pk %}" width="{{ attachment.preview_width }}" height="{{ attachment.preview_height }}" alt="Preview of {{ attachment.filename }}" loading="lazy">{% elif attachment.content_type == "x" %}{% elif attachment.preview_state == "pending" %}
            <span class="attachment-preview attachment-preview-pending">Preview being prepared</span>{% else %} · <span class="muted">no preview</span>{% endif %}</li>
            {% endfor %}
          </ul>
          {% endif %}{% endwith %}
        </li>
        {% endwith %}{% else %}{% with event=entry.event %}
        <li class="event">
          <p>
          {% if event.kind == "created" %}
            <span class="event-kind">Opened</span> by {{ event.actor|default:"the system" }}
          {% elif event.kind == "changed" %}
            <span class="event-kind">Changed</span> {{ event.actor|default:"The system" }} changed <strong>{{ event.field|humanise|lower }}</strong>
            from <span class="before">{{ event.before|event_value:event.field|default:"(none)" }}</span>
            <span aria-hidden="true">→</span><span class="visually-hidden">to</span>
            <span class="after">{{ event.after|event_value:event.field|default:"(none)" }}</span>
          {% elif event.kind == "first_response" %}
            <span class="event-kind">First response</span> sent by {{ event.actor|default:"the system" }}
          {% else %}
            <span class="event-kind">{{ event.kind|humanise }}</span> {{ event.actor|default:"" }}{% if event.field %} · {{ event.field|humanise|lower }}{% endif %}{% if event.after %}: {{ event.after }}{% endif %}
          {% endif %}
          · {% when event.at %}
          </p>
        </li>
        {% endwith %}{% endif %}
        {% endfor %}
"""  # noqa: E501 - the template verbatim


def _lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


def test_python_entries_match_the_template_entries(db, case, agent, customer_user, now):
    at = now + timedelta(minutes=5)
    odd = {"actor": None, "at": at}
    messages = [
        Message.objects.create(
            case=case, kind="inbound", channel="phone", author=agent, body="Logged <by> staff & co", created_at=at
        ),
        Message.objects.create(
            case=case, kind="inbound", channel="portal", author=customer_user, body="Mine 'own'", created_at=at
        ),
        Message.objects.create(
            case=case, kind="inbound", channel="email", author=None, body="No author", created_at=at
        ),
        Message.objects.create(
            case=case,
            kind="outbound",
            channel="email",
            author=agent,
            body="x",
            body_html='<p>Hi <b>there</b><script>alert(1)</script><a href="javascript:x">l</a></p>',
            created_at=at,
        ),
        Message.objects.create(
            case=case, kind="outbound", channel="letter", author=None, body="System letter", created_at=at
        ),
        Message.objects.create(
            case=case, kind="note", channel="email", author=agent, body="Only <staff>\nsecond line", created_at=at
        ),
    ]
    files = [  # every way a file is shown: a preview, its placeholder, "no preview", type and size only
        ("a&b <1>.pdf", 1234, "application/pdf", "ready"),
        ("photo.png", 5 * 1024 * 1024, "image/png", "pending"),
        ("bomb <x>.png", 99, "image/png", "none"),
        ("notes.bin", 10, "x", "none"),
    ]
    for n, (name, size, content_type, state) in enumerate(files):
        ready = state == "ready"
        Attachment.objects.create(
            message=messages[0],
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
    for kind, field, before, after, actor in [
        ("changed", "status", "new", "waiting_on_customer", agent),
        ("changed", "owner", "", "Ann <ops>", None),
        ("changed", "tags", "a, b", "", agent),
        ("first_response", "", "", "", None),
        ("escalated", "priority", "", "urgent & now", agent),
        ("sla_breach", "", "", "", None),
        ("created", "", "", "C-000001", None),
    ]:
        CaseEvent.objects.create(
            case=case,
            kind=kind,
            field=field,
            before=before,
            after=after,
            **({"actor": actor, "at": at} if actor else odd),
        )
    entries = timeline(
        list(Message.objects.filter(case=case).select_related("author").prefetch_related("attachments")),
        list(CaseEvent.objects.filter(case=case).select_related("actor")),
    )
    context = {"timeline": entries, "customer": case.customer}

    expected = Template(TEMPLATE_TIMELINE).render(Context(context))
    ours = Template(
        "{% load timeline %}{% for entry in timeline %}{% timeline_entry entry customer %}{% endfor %}"
    ).render(Context(context))

    assert _lines(ours) == _lines(expected)
    assert "&lt;by&gt;" in ours
    assert "<script>" not in ours
    assert "javascript:" not in ours
    assert "(recorded by Agent" in ours
    assert "1.2\xa0KB" in ours


def test_dated_events_read_as_dates_not_codes(db, case, now):
    # given SLA and complaint events whose values are moments in ISO form
    from rapport.cases import journal
    from rapport.web.components.timeline_entry import event_entry

    cases = [
        ("sla_warning", "resolution", "2026-11-13T09:30:00+00:00",
         "SLA warning</span> · resolution: 13 Nov 2026, 09:30"),
        ("sla_breached", "first_response", "2026-07-01T08:05:00+00:00",
         "SLA breached</span> · first response: 1 Jul 2026, 09:05"),
        ("follow_up_done", "", "2026-03-02", "Follow up done</span>: 2 Mar 2026"),
        ("final_response_sent", "", "refer to the <Ombudsman> by 2026-12-24",
         "refer to the &lt;Ombudsman&gt; by 24 Dec 2026"),
        ("sla_paused", "", "waiting_on_customer", "SLA paused</span>: waiting on customer"),
    ]  # fmt: skip
    for kind, field, after, words in cases:
        # when the journal records them and the timeline shows them
        event = journal.record(case=case, kind=kind, at=now, field=field, after=after)
        html = event_entry(event)
        # then people read dates as the desk writes them, and never the code or the ISO text
        assert words in html
        assert "T09:30" not in html
        assert "_" not in html.split("</span>", 1)[0]
