"""The reasons time is recorded for, to start with (managed in admin afterwards)."""

from django.db import migrations

REASONS = ["Investigation", "Customer contact", "Complaint handling", "Admin"]


def add_reasons(apps, schema_editor):
    TimeCategory = apps.get_model("timetracking", "TimeCategory")
    for position, name in enumerate(REASONS, start=1):
        TimeCategory.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("timetracking", "0001_time_tracking")]

    operations = [migrations.RunPython(add_reasons, migrations.RunPython.noop)]
