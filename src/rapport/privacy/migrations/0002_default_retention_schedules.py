from django.db import migrations

DEFAULTS = (
    ("closed_cases", 6 * 365 + 2, "Limitation Act 1980 s.5: six years to bring a claim in contract"),
    ("access_log", 2 * 365, "Two years: long enough to answer a complaint about access"),
    ("quarantined_mail", 30, "Suspect mail is kept 30 days for review, then goes"),
)


def add_defaults(apps, schema_editor):
    schedule = apps.get_model("privacy", "RetentionSchedule")
    for category, days, basis in DEFAULTS:
        schedule.objects.get_or_create(category=category, defaults={"keep_days": days, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
