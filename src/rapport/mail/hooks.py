"""How the email channel plugs into the core: agent replies on email cases go out by email,
notifications go through the outbox, and a bouncing address shows on the customer and their cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.dispatch import receiver
from django.http import HttpRequest

from rapport import extensions
from rapport.cases.models import Case, Message, MessageKind
from rapport.cases.signals import message_added
from rapport.customers.models import Customer
from rapport.domain.case_rules import Channel
from rapport.mail import access as mail_policy


@receiver(message_added, dispatch_uid="mail.reply_by_email")
def reply_by_email(sender: Any, *, message: Message, now: datetime, **kwargs: Any) -> None:
    """An agent's reply on an email case is queued for sending in the same transaction."""
    if message.kind == MessageKind.OUTBOUND and message.channel == Channel.EMAIL:
        from rapport.mail.outbound import case_message_queue

        case_message_queue(message=message, now=now)


def case_address_panel(request: HttpRequest, case: Case) -> extensions.Panel | None:
    """Loaded after the page (htmx) so the case page costs no extra query; empty unless flagged."""
    if not mail_policy.can_clear_flag(request.user) or not case.customer.email:
        return None
    return extensions.Panel(
        "mail/_address_loader.html", place="side", order=5, context={"customer_id": case.customer_id}
    )


def customer_address_panel(request: HttpRequest, customer: Customer) -> extensions.Panel | None:
    """On the customer page, only when mail to them bounces (one query on the unique address)."""
    from rapport.mail.selectors import address_flag

    if not mail_policy.can_clear_flag(request.user):
        return None
    flag = address_flag(customer.email)
    if flag is None:
        return None
    context = {"customer": customer, "flag": flag, "can_clear": True, "back": request.get_full_path()}
    return extensions.Panel("mail/_customer_address_panel.html", place="side", order=5, context=context)


EMAIL_FAILING = "Email is not being delivered: replies to customers are waiting in the outbox."
EMAIL_FAILING_AGENT = EMAIL_FAILING + " Tell an admin; call customers who need an answer now."


def header_alert(user: Any) -> extensions.Alert | None:
    """Warn every member of staff while outbound email is failing: they are telling customers
    things that are not reaching them. From a short-lived copy: no query on most pages."""
    from rapport.mail.selectors import mail_failing

    if not mail_failing():
        return None
    if mail_policy.can_view_mail(user):
        return extensions.Alert(EMAIL_FAILING, url_name="mail:index", link_text="See the outbox")
    return extensions.Alert(EMAIL_FAILING_AGENT)


def delivery_badge(state: Any) -> extensions.Badge:
    """A ``selectors.DeliveryState`` as the timeline shows it: words first, colour repeats them."""
    return extensions.Badge(f"Email: {state.label}", css=f"delivery delivery-{state.state}", title=state.detail)


def delivery_badges(case: Case, messages: Sequence[Message]) -> dict[int, list[extensions.Badge]]:
    """Each emailed reply's delivery state on the timeline (one query, none without emailed replies)."""
    from rapport.mail.selectors import delivery_states

    sent = [m.pk for m in messages if m.kind == MessageKind.OUTBOUND and m.channel == Channel.EMAIL]
    return {pk: [delivery_badge(state)] for pk, state in delivery_states(sent).items()}


def outbox_backlog() -> float:
    """Emails queued or being sent (``/metrics``: one count on the outbox's state index)."""
    from rapport.mail.models import OutboxEmail, OutboxState

    return float(OutboxEmail.objects.filter(state__in=[OutboxState.QUEUED, OutboxState.SENDING]).count())


def register() -> None:
    from rapport.mail import services, tasks
    from rapport.mail.erasure import customer_mail_erase
    from rapport.mail.outbound import OUTBOX_SEND_JOB, notification_queue
    from rapport.platform import jobs, metrics, notify

    metrics.register_gauge("rapport_outbox_backlog", "Emails queued or being sent.", outbox_backlog)

    notify.queue = notification_queue
    jobs.register(OUTBOX_SEND_JOB, tasks.outbox_send_task)

    extensions.erasure_handlers.append(customer_mail_erase)
    if services.mail_threads_merge not in extensions.case_merge_handlers:
        extensions.case_merge_handlers.append(services.mail_threads_merge)
    extensions.case_panels.append(case_address_panel)
    extensions.customer_panels.append(customer_address_panel)
    extensions.header_alerts.append(header_alert)
    extensions.message_badges.append(delivery_badges)
    extensions.nav_items.append(
        extensions.NavItem(
            label="Email", url_name="mail:index", section="mail", visible=mail_policy.can_view_mail, order=80
        )
    )
