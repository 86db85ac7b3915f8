"""Owner changes in the journal point at people by user id instead of by name.

Data only (no schema change). A name that exactly one user has becomes that user's id; a name no
user has, or that several share, stays as it was written (the renderer shows it as text), since
guessing would attach the entry to the wrong person."""

from django.db import migrations

BATCH = 5000


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    by_name: dict[str, list[int]] = {}
    for pk, name in User.objects.values_list("pk", "name"):
        by_name.setdefault(name, []).append(pk)
    unique = {name: ids[0] for name, ids in by_name.items() if len(ids) == 1}
    events = CaseEvent.objects.filter(field="owner").only("pk", "before", "after").order_by("pk")
    changed = []
    for event in events.iterator(chunk_size=BATCH):
        before = str(unique.get(event.before, event.before)) if event.before else ""
        after = str(unique.get(event.after, event.after)) if event.after else ""
        if (before, after) != (event.before, event.after):
            event.before, event.after = before, after
            changed.append(event)
        if len(changed) >= BATCH:
            CaseEvent.objects.bulk_update(changed, ["before", "after"])
            changed = []
    if changed:
        CaseEvent.objects.bulk_update(changed, ["before", "after"])


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    names = {str(pk): name for pk, name in User.objects.values_list("pk", "name")}
    changed = []
    for event in CaseEvent.objects.filter(field="owner").only("pk", "before", "after").iterator(chunk_size=BATCH):
        event.before, event.after = names.get(event.before, event.before), names.get(event.after, event.after)
        changed.append(event)
    CaseEvent.objects.bulk_update(changed, ["before", "after"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_journal_delivery"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
