"""The wording of acknowledgements and agent notifications, as rows admins can edit."""

from django.db import migrations

TEMPLATES = {
    "acknowledgement": (
        "We have your message: {{ case.subject }}",
        "Dear {{ customer.name }},\n\n"
        "Thank you for writing to us. Your reference is {{ reference }}; please keep it in the subject "
        "if you write again.\n\nSomeone from the team will reply as soon as they can.\n",
    ),
    "agent_notification": (
        "Customer replied on {{ reference }}: {{ case.subject }}",
        "{{ customer.name }} replied on case {{ reference }} ({{ case.subject }}):\n\n{{ message.body }}\n",
    ),
}


def create(apps, schema_editor):
    MailTemplate = apps.get_model("mail", "MailTemplate")
    for key, (subject, body) in TEMPLATES.items():
        MailTemplate.objects.get_or_create(key=key, defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("mail", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
