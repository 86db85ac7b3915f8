"""Steps of the backup round trip, each run in a process of its own against the database and file
store the environment names (as an operator's shell would): ``python -m tests.ops.backup_steps STEP``.

- ``populate``: customers, cases with files, one person erased (before the backup);
- ``change``: after the backup, a new case with a file, and another person erased;
- ``api_setup``: prints an API token and a customer's id;
- ``state``: prints the row count of every table, the stored files with their SHA-256, and who is
  erased, as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from datetime import UTC, datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.core.files.storage import default_storage  # noqa: E402

from rapport.accounts.models import User  # noqa: E402
from rapport.cases.services import Upload, case_create, message_add  # noqa: E402
from rapport.customers.models import Customer  # noqa: E402
from rapport.platform.backup import row_counts, stored_names  # noqa: E402
from rapport.privacy.erasure import customer_erase  # noqa: E402

NOW = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def _staff() -> User:
    found = User.objects.filter(email="dpo@example.org").first()
    return found or User.objects.create_user("dpo@example.org", None, name="Priya Shah", role="admin")


def _customer_with_file(n: int, at: datetime) -> Customer:
    staff = _staff()
    customer = Customer.objects.create(
        name=f"Customer {n}", email=f"customer{n}@example.org", created_at=at, updated_at=at
    )
    case = case_create(
        actor=staff, customer=customer, subject=f"Meter reading {n}", body="Reading attached.", channel="email", now=at
    )
    message_add(
        actor=staff,
        reference=case.reference,
        kind="note",
        body="Scan of the reading.",
        attachments=[Upload(f"reading-{n}.pdf", b"%PDF-1.4 reading " + str(n).encode() * 500)],
        now=at,
    )
    return customer


def populate() -> None:
    customers = [_customer_with_file(n, NOW) for n in range(1, 5)]
    customer_erase(actor=_staff(), customer_id=customers[0].pk, now=NOW)


def change() -> None:
    _customer_with_file(9, NOW.replace(day=3))
    second = Customer.objects.get(email="customer2@example.org")
    customer_erase(actor=_staff(), customer_id=second.pk, now=NOW.replace(day=3))


def api_setup() -> None:
    """An agent's API token and a customer's id, for requests through a proxy."""
    from rapport.accounts.services import token_create

    staff = _staff()
    customer = Customer.objects.create(name="Dylan Price", email="dylan@example.org", created_at=NOW, updated_at=NOW)
    print(json.dumps({"token": token_create(user=staff)[1], "customer": customer.pk}))


def state() -> None:
    files = {}
    for name in stored_names(default_storage):
        with default_storage.open(name, "rb") as handle:
            files[name] = hashlib.sha256(handle.read()).hexdigest()
    erased = sorted(Customer.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    print(json.dumps({"tables": row_counts(), "files": files, "erased": erased}))


if __name__ == "__main__":
    {"populate": populate, "change": change, "state": state, "api_setup": api_setup}[sys.argv[1]]()
