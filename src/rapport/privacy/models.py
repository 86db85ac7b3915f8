"""Data subject requests, consent, the access log, legal holds, retention and reasonable adjustments.

Consent and the access log are append-only: a change of mind is a new row, so the history (when,
how, the wording shown) is the record (UK GDPR Art 7(1): the controller must be able to show that
the person consented).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from rapport.cases.models import Case
from rapport.customers.models import Customer
from rapport.platform import settings_history


class RequestKind(models.TextChoices):
    """The rights of UK GDPR Arts 15-21 a person can exercise through the desk."""

    ACCESS = "access", "Access (a copy of my data)"
    ERASURE = "erasure", "Erasure (delete my data)"
    RECTIFICATION = "rectification", "Rectification (correct my data)"
    RESTRICTION = "restriction", "Restriction (stop using my data for now)"
    OBJECTION = "objection", "Objection (stop a use of my data)"
    PORTABILITY = "portability", "Portability (my data in a reusable format)"


class DataRequest(models.Model):
    """The statutory facts of a data subject request; the conversation lives on its case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="data_request")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    received_on = models.DateField()
    # Reasonably asked for identity proof: the clock starts when it arrives (DPA 2018 s.54(3)).
    identity_received_on = models.DateField(null=True, blank=True)
    clarification_asked_on = models.DateField(null=True, blank=True)
    clarification_received_on = models.DateField(null=True, blank=True)
    extension_told_on = models.DateField(null=True, blank=True)
    nation = models.CharField(max_length=20, default="england")
    # Checklist steps ticked by the agent, by key (services.CHECKLISTS).
    steps_done = models.JSONField(default=list, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["completed_on", "received_on"], name="datarequest_open")]

    def __str__(self) -> str:
        return f"{self.kind} request on case {self.case_id}"


class AccessLog(models.Model):
    """Append-only: who viewed or exported which person's data, when and why."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="access_log")
    at = models.DateTimeField()
    what = models.CharField(max_length=200)
    why = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-at", "-id"], name="accesslog_customer"),
            models.Index(fields=["actor", "-at", "-id"], name="accesslog_actor"),
            models.Index(fields=["at"], name="accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.what} {self.customer_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("the access log is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type,unused-ignore]


class Purpose(models.TextChoices):
    SERVICE = "service", "Service messages about their cases"
    SURVEY = "survey", "Surveys about our service"
    MARKETING = "marketing", "Marketing"


class LawfulBasis(models.TextChoices):
    """UK GDPR Art 6(1)."""

    CONSENT = "consent", "Consent (Art 6(1)(a))"
    CONTRACT = "contract", "Contract (Art 6(1)(b))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (Art 6(1)(c))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (Art 6(1)(f))"


class Consent(models.Model):
    """Append-only: the latest row per (customer, purpose, channel) is the current answer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    channel = models.CharField(max_length=20)
    basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    granted = models.BooleanField()
    method = models.CharField(max_length=100)  # how: portal form, phone call, paper form …
    wording = models.TextField()  # exactly what the person was shown or told
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    # The data request that caused this answer (an upheld objection to direct marketing, Art 21(3)).
    request = models.ForeignKey(
        "DataRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="consents"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["customer", "purpose", "channel", "-at", "-id"], name="consent_current")]

    def __str__(self) -> str:
        return f"{self.purpose}/{self.channel}: {'yes' if self.granted else 'no'}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("consent history is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type,unused-ignore]


class LegalHold(models.Model):
    """A legal reason to keep a person's data (litigation, a regulator's inquiry)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=200)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "released_at"], name="legalhold_active")]

    def __str__(self) -> str:
        return self.reason


class RestrictionGround(models.TextChoices):
    """Why processing is restricted: the four cases of UK GDPR Art 18(1)."""

    ACCURACY = "accuracy", "Accuracy contested, while we check it (Art 18(1)(a))"
    UNLAWFUL = "unlawful", "Processing unlawful, and the person asked for restriction not erasure (Art 18(1)(b))"
    CLAIMS = "claims", "Data no longer needed by us but the person needs it for a legal claim (Art 18(1)(c))"
    OBJECTION = "objection", "Objection pending: checking whether our grounds override theirs (Art 18(1)(d))"


class Restriction(models.Model):
    """A restriction of processing of a customer's data (UK GDPR Art 18), granted on a data request.

    While one is current (``lifted_at`` is empty) the data is stored but not otherwise used (Art
    18(2)): no surveys or marketing, no retention or erasure, no edits to the record. Lifting it
    needs the date the person was told beforehand (Art 18(3)). Rows are kept after lifting, as the
    history."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="restrictions")
    request = models.ForeignKey(DataRequest, on_delete=models.PROTECT, related_name="restrictions")
    ground = models.CharField(max_length=20, choices=RestrictionGround.choices)
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    placed_at = models.DateTimeField()
    # Art 18(3): the person is told before the restriction is lifted.
    told_on = models.DateField(null=True, blank=True)
    told_how = models.CharField(max_length=100, blank=True)
    lift_reason = models.CharField(max_length=300, blank=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["customer", "lifted_at"], name="restriction_current")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=models.Q(lifted_at__isnull=True), name="one_current_restriction"
            ),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True) | models.Q(told_on__isnull=False),
                name="restriction_lifted_after_telling",
            ),
        ]

    def __str__(self) -> str:
        return f"restriction of customer {self.customer_id} ({self.ground})"


class ErasureStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled for when the hold ends"
    CLEARING_FILES = "clearing_files", "Erased from the records; clearing the database files"
    DONE = "done", "Done"


class Erasure(models.Model):
    """An erasure carried out, or waiting for a legal hold to end. Holds no identity itself."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="erasures")
    status = models.CharField(max_length=20, choices=ErasureStatus.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    # Counts of what was anonymised, for the record (no content).
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "requested_at"], name="erasure_status")]

    def __str__(self) -> str:
        return f"erasure of customer {self.customer_id}: {self.status}"


class RetentionCategory(models.TextChoices):
    CLOSED_CASES = "closed_cases", "Content of closed cases"
    ACCESS_LOG = "access_log", "Access log entries"


@settings_history.track()
class RetentionSchedule(models.Model):
    """How long one category of data is kept (editable in Django admin)."""

    category = models.CharField(max_length=40, unique=True)
    keep_days = models.PositiveIntegerField()
    basis = models.CharField(max_length=200, blank=True)  # why this long (Limitation Act 1980 s.5 …)
    active = models.BooleanField(default=True)
    # Off: the daily job only reports what would go. Turned on once the dry-run reports look right.
    apply = models.BooleanField(default=False)

    class Meta:
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.category}: {self.keep_days} days"


class RetentionRun(models.Model):
    """Every run of the retention job, dry or not, with what it found per category."""

    at = models.DateTimeField()
    dry_run = models.BooleanField()
    report = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"retention {'dry run' if self.dry_run else 'run'} at {self.at:%Y-%m-%d %H:%M}"


class AdjustmentKind(models.TextChoices):
    """Reasonable adjustments (Equality Act 2010 ss.20, 29) the desk can honour."""

    LARGE_PRINT = "large_print", "Large print"
    PLAIN_TEXT = "plain_text", "Plain text only"
    EASY_READ = "easy_read", "Easy read"
    BSL_RELAY = "bsl_relay", "BSL video relay"
    TEXT_RELAY = "text_relay", "Text relay"
    PREFERRED_CHANNEL = "preferred_channel", "Preferred channel"
    NAMED_CONTACT = "named_contact", "A named contact"
    EXTRA_TIME = "extra_time", "Extra time"
    ADVOCATE = "advocate", "Carer or advocate authorised to act"


class Adjustment(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=30, choices=AdjustmentKind.choices)
    detail = models.CharField(max_length=300, blank=True)
    channel = models.CharField(max_length=20, blank=True)  # for a preferred channel
    contact_name = models.CharField(max_length=200, blank=True)  # named contact, carer or advocate
    extra_minutes = models.PositiveIntegerField(default=0)  # business minutes added to SLA targets
    # Equality Act 2010 s.20(7): the cost of an adjustment may not be passed to the person.
    charge_pence = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["customer", "ended_at"], name="adjustment_active")]
        constraints = [models.CheckConstraint(condition=models.Q(charge_pence=0), name="adjustment_never_charged")]

    def __str__(self) -> str:
        return self.get_kind_display()
