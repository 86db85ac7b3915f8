"""The one SLA settings row, with its defaults, so a service manager finds it in admin to edit."""

from typing import Any

from django.db import migrations


def create_settings(apps: Any, schema_editor: Any) -> None:
    apps.get_model("sla", "SlaSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_sla_settings")]

    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
