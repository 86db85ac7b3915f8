"""Complaints: the HEAT record beside a case, remedies granted and their approvals, and the
organisation's complaint configuration (root causes, authority limits, final response and ADR)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_noop

from rapport.accounts.models import Role
from rapport.cases.models import Case
from rapport.domain.complaint_rules import (
    AwardKind,
    Basis,
    CustomerResponse,
    Level,
    LimitPeriod,
    Outcome,
    RefusalGround,
)
from rapport.platform import settings_history

STAFF_ROLE_CHOICES = [(r.value, r.label) for r in (Role.AGENT, Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN)]
STAFF_LADDER: tuple[str, ...] = tuple(value for value, _ in STAFF_ROLE_CHOICES)

# The case's subject is the customer's words or an agent's label ("Kettle not heating", "Re: order
# 4471"): it stands on its own line in the letter ("Your complaint: …"), never inside a sentence.
# Marked for the catalogue: a letter to a Welsh-speaking customer uses the Welsh of the template
# the organisation has not changed (``letters.opening``); an edited template is used as written.
DEFAULT_FINAL_RESPONSE = gettext_noop(
    "Dear {customer},\n\n"
    "Thank you for your complaint, which we received on {received}. I have looked into everything you "
    "told us, and this letter sets out what we found and what we will do.\n\n"
    "{outcome}\n\n"
    "This is our final response to your complaint."
)
DEFAULT_DEADLOCK = gettext_noop(
    "Dear {customer},\n\n"
    "Thank you for your complaint, which we received on {received}. I am sorry that we have not been able "
    "to resolve it to your satisfaction.\n\n{outcome}\n\n"
    "We have done all we can, and this letter is our final response."
)


def pence(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


@settings_history.track()
class RootCause(models.Model):
    """One entry in the root-cause taxonomy (admin-editable): why complaints happen, for PDCA."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@settings_history.track()
class ComplaintSettings(models.Model):
    """The organisation's complaint rules and letters: one row (admin-editable).

    Letter templates take ``{customer}``, ``{subject}``, ``{reference}``, ``{received}`` and
    ``{outcome}``; the ombudsman or ADR paragraph is always added after them and cannot be removed.
    Letters carry the organisation's name and address at the top (the letterhead), and the ADR body
    here is the organisation's own unless a complaint category names another (``AdrScheme``).
    """

    organisation_name = models.CharField(
        max_length=200, blank=True, help_text="Printed at the top of letters; blank: the organisation's name."
    )
    organisation_address = models.TextField(blank=True, help_text="One line per line of the address.")
    organisation_contact = models.CharField(
        max_length=200, blank=True, help_text="How to reach the complaints team, e.g. a phone number and email."
    )

    final_response_weeks = models.PositiveSmallIntegerField(default=8)
    warn_days = models.PositiveSmallIntegerField(default=14, help_text="Warn this many days before the deadline.")
    adr_body = models.CharField(max_length=200, default="The Financial Ombudsman Service")
    adr_details = models.TextField(
        default=(
            "Exchange Tower, London E14 9SR. Telephone 0800 023 4567. "
            "Website www.financial-ombudsman.org.uk. The service is free to use."
        )
    )
    referral_months = models.PositiveSmallIntegerField(default=6)
    final_response_template = models.TextField(default=DEFAULT_FINAL_RESPONSE)
    deadlock_template = models.TextField(default=DEFAULT_DEADLOCK)
    complaints_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Complaints already in hand when the HEAT checks were switched on cannot have their stages
    # recorded after the fact, so the checks apply to complaints received from this moment.
    checks_from = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The closing checks apply to complaints received from this moment; blank: to all complaints.",
    )

    class Meta:
        verbose_name_plural = "complaint settings"

    def __str__(self) -> str:
        return "Complaint settings"

    @classmethod
    def current(cls) -> ComplaintSettings:
        found, _ = cls.objects.get_or_create(pk=1)
        return found


@settings_history.track()
class AdrScheme(models.Model):
    """The ombudsman or ADR body for complaints about one product or service, when it is not the
    organisation's own: a retailer that also sells energy or broadband answers to a different
    scheme for those (admin-editable). Matched on the complaint's "product or service"."""

    category = models.CharField(
        max_length=100, unique=True, help_text="The product or service, as the complaint names it (any case)."
    )
    adr_body = models.CharField(max_length=200)
    adr_details = models.TextField(blank=True)
    referral_months = models.PositiveSmallIntegerField(default=6)

    class Meta:
        ordering = ["category"]
        verbose_name = "ombudsman or ADR body for a category"
        verbose_name_plural = "ombudsman or ADR bodies by category"

    def __str__(self) -> str:
        return f"{self.category}: {self.adr_body}"


@settings_history.track()
class AuthorityLimit(models.Model):
    """How much a role may grant of one kind without approval (admin-editable), in pence."""

    role = models.CharField(max_length=20, choices=STAFF_ROLE_CHOICES)
    kind = models.CharField(max_length=20, choices=[(k.value, k.value.capitalize()) for k in AwardKind])
    limit_pence = models.PositiveIntegerField(
        help_text="The most this role may grant on one complaint, all awards of this kind and basis together."
    )
    period = models.CharField(
        max_length=10,
        blank=True,
        choices=[("", "No per-person cap")] + [(p.value, f"Per {p.value}") for p in LimitPeriod],
        help_text="Also cap what one person grants of this kind in a day, week or month (optional).",
    )
    period_limit_pence = models.PositiveIntegerField(
        null=True, blank=True, help_text="The per-person cap for that period, in pence."
    )

    class Meta:
        ordering = ["kind", "limit_pence"]
        constraints = [
            models.UniqueConstraint(fields=["role", "kind"], name="authority_role_kind"),
            models.CheckConstraint(
                condition=(Q(period="") & Q(period_limit_pence__isnull=True))
                | (~Q(period="") & Q(period_limit_pence__isnull=False)),
                name="authority_period_has_cap",
                violation_error_message="Give both a period and its cap, or neither.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.kind} £{self.limit_pence / 100:,.2f}"


class Complaint(models.Model):
    """The complaint-handling record of a case of type complaint: HEAT stages, outcome, escalation."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="complaint")
    received_at = models.DateTimeField()
    product = models.CharField(max_length=100, blank=True)
    # Hear: the customer's words verbatim, and the agent's summary checked with them or not.
    account = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    summary_confirmed = models.BooleanField(default=False)
    heard_at = models.DateTimeField(null=True, blank=True)
    empathy = models.TextField(blank=True)
    empathised_at = models.DateTimeField(null=True, blank=True)
    # An apology is not an admission of liability: the two are recorded apart.
    apology = models.TextField(blank=True)
    apologised_at = models.DateTimeField(null=True, blank=True)
    liability_admitted = models.BooleanField(default=False)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_plan = models.TextField(blank=True)
    promised_date = models.DateField(null=True, blank=True)
    owned_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(
        max_length=20, blank=True, choices=[(o.value, o.value.replace("_", " ").capitalize()) for o in Outcome]
    )
    outcome_text = models.TextField(blank=True)
    customer_response = models.CharField(
        max_length=20, blank=True, choices=[(r.value, r.value.replace("_", " ").capitalize()) for r in CustomerResponse]
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    root_cause = models.ForeignKey(
        RootCause, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    level = models.CharField(max_length=20, default=Level.AGENT.value, choices=[(v.value, v.label) for v in Level])
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    final_response_at = models.DateTimeField(null=True, blank=True)
    deadlock = models.BooleanField(default=False)
    # The dated facts of the purchase for the statutory remedy assessment (consumer_law.PurchaseFacts).
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="complaint_received"),
            models.Index(fields=["final_response_at", "received_at"], name="complaint_open_due"),
            models.Index(fields=["root_cause", "received_at"], name="complaint_root_cause"),
            models.Index(fields=["product", "received_at"], name="complaint_product"),
        ]

    def __str__(self) -> str:
        return f"Complaint on case {self.case_id}"


class FollowUp(models.Model):
    """A scheduled follow-up with the customer, part of taking ownership."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="follow_ups")
    due = models.DateField()
    note = models.CharField(max_length=200)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["done_at", "due"], name="followup_open_due")]

    def __str__(self) -> str:
        return f"{self.due} {self.note}"


class AwardStatus(models.TextChoices):
    GRANTED = "granted", "Granted"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    REFUSED = "refused", "Refused"


class Award(models.Model):
    """Money or a gesture given to resolve a complaint: a statutory remedy (legal) or goodwill."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(max_length=20, choices=[(k.value, k.value.capitalize()) for k in AwardKind])
    basis = models.CharField(max_length=20, choices=[(b.value, b.value.capitalize()) for b in Basis])
    remedy = models.CharField(max_length=30, blank=True, help_text="The statutory remedy, for a legal award.")
    amount_pence = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=AwardStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()

    class Meta:
        ordering = ["requested_at", "id"]
        indexes = [
            models.Index(fields=["complaint", "requested_at"], name="award_complaint"),
            models.Index(fields=["status", "requested_at"], name="award_status"),
        ]

    def __str__(self) -> str:
        return f"{self.basis} {self.kind} £{self.amount:,.2f}"

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_pence) / 100


class ApprovalRequest(models.Model):
    """An award above its requester's authority, waiting for (or given) a decision with a reason."""

    award = models.OneToOneField(Award, on_delete=models.CASCADE, related_name="approval")
    approver_role = models.CharField(max_length=20, choices=STAFF_ROLE_CHOICES)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(null=True)
    ground = models.CharField(
        max_length=20, blank=True, choices=[(g.value, g.value.replace("_", " ")) for g in RefusalGround]
    )
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["decided_at", "approver_role"], name="approval_pending")]

    def __str__(self) -> str:
        return f"Approval for award {self.award_id}"
