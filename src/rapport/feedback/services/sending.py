"""Sending survey invitations by email, when consent allows, and the periodic sweep that sends
what is due, reminds once and closes what has expired."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rapport import extensions
from rapport.customers.language import in_language_of
from rapport.feedback.models import FeedbackSettings, InvitationStatus, SurveyInvitation, SurveyKind
from rapport.feedback.services.links import survey_url
from rapport.platform import jobs
from rapport.platform.notify import email_send

QUESTIONS = {
    SurveyKind.CSAT: _("How satisfied are you with how we handled your case? (1 very dissatisfied, 5 very satisfied)"),
    SurveyKind.CES: _("How easy was it to get your issue resolved? (1 very difficult, 7 very easy)"),
    SurveyKind.NPS: _("How likely are you to recommend us to a friend or colleague? (0 not at all, 10 extremely)"),
    SurveyKind.RATER: _("For each part of our service, tell us what you expected and what you got (1 low, 7 high)."),
}

DISPATCH_NOW_JOB = "feedback.surveys_dispatch_now"  # registered by feedback.hooks: tasks.surveys_dispatch_now


def dispatch_soon() -> None:
    jobs.enqueue(DISPATCH_NOW_JOB)


def _email(invitation: SurveyInvitation, *, reminder: bool, base_url: str) -> None:
    with in_language_of(invitation.customer):  # in the language the customer asked to be served in
        _email_written(invitation, reminder=reminder, base_url=base_url)


def _email_written(invitation: SurveyInvitation, *, reminder: bool, base_url: str) -> None:
    link = base_url.rstrip("/") + survey_url(invitation)
    reference = invitation.case.reference if invitation.case else ""
    about_case = gettext("How did we do about case {reference}?").format(reference=reference)
    subject = about_case if reference else gettext("How did we do?")
    if reminder:
        subject = gettext("Reminder: {subject}").format(subject=subject)
        first = gettext("A reminder: we would value your answer to one short question")
    else:
        first = gettext("We would value your answer to one short question")
    about = gettext(" about case {reference}").format(reference=reference) if reference else ""
    email_send(
        to=[invitation.customer.email],
        subject=subject,
        text=gettext(
            "Dear {name},\n\n{first}{about}:\n{question}\n\nAnswer here (no sign-in needed): {link}\n\n"
            "The link works once and closes on {closes}. "
            "If you would rather not receive surveys, reply to tell us and we will stop.\n"
        ).format(
            name=invitation.customer.name,
            first=first,
            about=about,
            question=QUESTIONS[SurveyKind(invitation.kind)],
            link=link,
            closes=date_format(timezone.localtime(invitation.expires_at), "j F Y"),
        ),
    )


def invitation_send(*, invitation_id: int, now: datetime, base_url: str = "") -> str:
    """Send one due invitation by email, unless consent or an address is missing. Returns its status."""
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("customer", "case")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.status != InvitationStatus.SCHEDULED or invitation.send_after > now:
            return invitation.status if invitation else ""
        customer = invitation.customer
        if not customer.email:
            invitation.status, invitation.note = InvitationStatus.SUPPRESSED, "no email address"
        elif not extensions.contact_permitted(customer, "survey", "email"):
            invitation.status, invitation.note = InvitationStatus.SUPPRESSED, "no consent to surveys by email"
        else:
            invitation.status, invitation.sent_at = InvitationStatus.SENT, now
            transaction.on_commit(lambda: _email(invitation, reminder=False, base_url=base_url or _base_url()))
        invitation.save(update_fields=["status", "note", "sent_at"])
        return invitation.status


def _base_url() -> str:
    return str(settings.RAPPORT_BASE_URL)


def invitations_dispatch(*, now: datetime) -> dict[str, int]:
    """The periodic sweep: send what is due, remind once, close what has expired."""
    config = FeedbackSettings.current()
    done = {"sent": 0, "reminded": 0, "expired": 0}
    expired = SurveyInvitation.objects.filter(
        status__in=[InvitationStatus.SCHEDULED, InvitationStatus.SENT], expires_at__lte=now
    ).update(status=InvitationStatus.EXPIRED)
    done["expired"] = expired
    due = SurveyInvitation.objects.filter(status=InvitationStatus.SCHEDULED, send_after__lte=now)
    for pk in due.values_list("pk", flat=True)[:2000]:
        done["sent"] += invitation_send(invitation_id=pk, now=now) == InvitationStatus.SENT
    if config.reminder_days:
        remind = SurveyInvitation.objects.select_related("customer", "case").filter(
            status=InvitationStatus.SENT,
            reminded_at__isnull=True,
            sent_at__lte=now - timedelta(days=config.reminder_days),
        )
        for invitation in remind[:2000]:
            # Consent may have been withdrawn since the first email: ask again before reminding.
            with transaction.atomic():
                claimed = SurveyInvitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(
                    reminded_at=now
                )
                if claimed and extensions.contact_permitted(invitation.customer, "survey", "email"):
                    transaction.on_commit(partial(_email, invitation, reminder=True, base_url=_base_url()))
                    done["reminded"] += 1
    return done
