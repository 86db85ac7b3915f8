"""Letter templates still holding the wording first shipped (the case subject pasted into a
sentence) move to the new wording; templates an organisation edited stay as they are."""

from django.db import migrations

OLD_FINAL_RESPONSE = (
    "Dear {customer},\n\n"
    "Thank you for your complaint about {subject} (our reference {reference}), which we received on {received}.\n\n"
    "{outcome}\n\n"
    "This is our final response to your complaint."
)
OLD_DEADLOCK = (
    "Dear {customer},\n\n"
    "We have not been able to resolve your complaint about {subject} (our reference {reference}), received on "
    "{received}, to your satisfaction.\n\n{outcome}\n\n"
    "We have done all we can, and this letter is our final response."
)
NEW_FINAL_RESPONSE = (
    "Dear {customer},\n\n"
    "Thank you for your complaint, which we received on {received}. I have looked into everything you "
    "told us, and this letter sets out what we found and what we will do.\n\n"
    "{outcome}\n\n"
    "This is our final response to your complaint."
)
NEW_DEADLOCK = (
    "Dear {customer},\n\n"
    "Thank you for your complaint, which we received on {received}. I am sorry that we have not been able "
    "to resolve it to your satisfaction.\n\n{outcome}\n\n"
    "We have done all we can, and this letter is our final response."
)


def forwards(apps, schema_editor):
    settings = apps.get_model("complaints", "ComplaintSettings")
    settings.objects.filter(final_response_template=OLD_FINAL_RESPONSE).update(
        final_response_template=NEW_FINAL_RESPONSE
    )
    settings.objects.filter(deadlock_template=OLD_DEADLOCK).update(deadlock_template=NEW_DEADLOCK)


def backwards(apps, schema_editor):
    settings = apps.get_model("complaints", "ComplaintSettings")
    settings.objects.filter(final_response_template=NEW_FINAL_RESPONSE).update(
        final_response_template=OLD_FINAL_RESPONSE
    )
    settings.objects.filter(deadlock_template=NEW_DEADLOCK).update(deadlock_template=OLD_DEADLOCK)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0004_letterhead_and_adr_schemes")]
    operations = [migrations.RunPython(forwards, backwards)]
