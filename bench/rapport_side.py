"""Django-side chores for bench/run.sh: sizes, a signed-in manager, a token, sample references.

Run with the same environment as the server (RAPPORT_DATA_DIR / DATABASE_URL):
    python bench/rapport_side.py count | prepare OUTDIR | cleanup
"""

from __future__ import annotations

import os
import random
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Max  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.accounts.services import token_create  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.customers.models import Customer  # noqa: E402
from rapport.domain.references import format_reference  # noqa: E402

BENCH_EMAIL = "bench-manager@example.com"


def count() -> None:
    print(Case.objects.aggregate(n=Max("id"))["n"] or 0)


def prepare(outdir: str) -> None:
    user = User.objects.filter(email=BENCH_EMAIL).first() or User.objects.create_user(
        BENCH_EMAIL, None, name="Bench Manager", role=Role.MANAGER
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    _, token = token_create(user=user, name="bench")
    top = Case.objects.aggregate(n=Max("id"))["n"] or 0
    ids = set(
        Case.objects.filter(pk__in=random.Random(1).sample(range(1, top + 1), min(8000, top))).values_list(
            "id", flat=True
        )[:5000]
    )
    with open(os.path.join(outdir, "refs.txt"), "w") as refs:
        refs.write("\n".join(format_reference(i) for i in sorted(ids)) + "\n")
    customer = Customer.objects.order_by("id").values_list("id", flat=True).first()
    with open(os.path.join(outdir, "env.sh"), "w") as env:
        env.write(
            f"export RAPPORT_SESSION={session.session_key}\nexport RAPPORT_TOKEN={token}\n"
            f"export RAPPORT_CUSTOMER_ID={customer}\nexport RAPPORT_CASES={top}\n"
        )


def cleanup() -> None:
    made = Case.objects.filter(subject__startswith="wrk-created")
    print("  api create made", made.count(), "cases (deleted)")
    made.delete()


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "count":
        count()
    elif command == "prepare":
        prepare(sys.argv[2])
    elif command == "cleanup":
        cleanup()
    else:
        sys.exit(f"unknown command {command}")
