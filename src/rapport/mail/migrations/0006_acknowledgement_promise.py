"""The acknowledgement says when the customer will hear back ("We will reply by 1pm on Friday 11
December."), from the SLA promise, instead of "as soon as they can". A template an admin already
changed is left as they wrote it."""

from django.db import migrations

OLD = "\n\nSomeone from the team will reply as soon as they can.\n"
NEW = "\n\n{{ promise }}\n"


def forwards(apps, schema_editor):
    MailTemplate = apps.get_model("mail", "MailTemplate")
    for row in MailTemplate.objects.filter(key="acknowledgement", body__endswith=OLD):
        row.body = row.body[: -len(OLD)] + NEW
        row.save(update_fields=["body"])


def backwards(apps, schema_editor):
    MailTemplate = apps.get_model("mail", "MailTemplate")
    for row in MailTemplate.objects.filter(key="acknowledgement", body__endswith=NEW):
        row.body = row.body[: -len(NEW)] + OLD
        row.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("mail", "0005_outbox_cc")]
    operations = [migrations.RunPython(forwards, backwards)]
