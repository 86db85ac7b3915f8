"""A starting root-cause taxonomy, authority limits per role and the complaint settings row.
All are admin-editable afterwards. The closing checks start now: complaints already in hand on
an existing desk were not handled through the HEAT stages and cannot be made to have been."""

from django.db import migrations
from django.utils import timezone

ROOT_CAUSES = [
    ("product-fault", "Product fault"),
    ("service-failure", "Service not delivered as promised"),
    ("delay", "Delay"),
    ("staff-conduct", "Staff conduct"),
    ("communication", "Poor or missing communication"),
    ("billing-error", "Billing error"),
    ("system-error", "System error"),
    ("policy", "Policy or terms"),
    ("third-party", "Third-party supplier"),
]
# Pence per role and kind: agent, team leader, manager, admin.
LIMITS = {
    "refund": {"agent": 5_000, "team_leader": 25_000, "manager": 100_000, "admin": 1_000_000},
    "goodwill": {"agent": 2_000, "team_leader": 5_000, "manager": 25_000, "admin": 100_000},
    "compensation": {"agent": 0, "team_leader": 10_000, "manager": 50_000, "admin": 500_000},
}


def forwards(apps, schema_editor):
    RootCause = apps.get_model("complaints", "RootCause")
    AuthorityLimit = apps.get_model("complaints", "AuthorityLimit")
    ComplaintSettings = apps.get_model("complaints", "ComplaintSettings")
    RootCause.objects.bulk_create([RootCause(code=c, name=n) for c, n in ROOT_CAUSES], ignore_conflicts=True)
    AuthorityLimit.objects.bulk_create(
        [AuthorityLimit(role=r, kind=k, limit_pence=p) for k, roles in LIMITS.items() for r, p in roles.items()],
        ignore_conflicts=True,
    )
    ComplaintSettings.objects.get_or_create(pk=1, defaults={"checks_from": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_complaint_handling")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
