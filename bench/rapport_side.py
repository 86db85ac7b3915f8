"""Django-side chores for bench/run.sh: sizes, a signed-in manager, a token, sample references,
five saved views, and the body of a bulk action on 500 cases.

Run with the same environment as the server (RAPPORT_DATA_DIR / DATABASE_URL):
    python bench/rapport_side.py count | prepare OUTDIR | cleanup | bulk_body FILE
"""

from __future__ import annotations

import json
import os
import random
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Max  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.accounts.services import token_create  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.customers.models import Customer  # noqa: E402
from rapport.domain.identity import Step  # noqa: E402
from rapport.domain.references import format_reference  # noqa: E402
from rapport.identity.services import SESSION_STEP as SECOND_FACTOR_STEP  # noqa: E402

BENCH_EMAIL = "bench-manager@example.com"
BENCH_AGENT = "bench-agent@example.com"
# The bench manager's tabs: five saved views of the kinds a desk keeps (each counted on every page).
VIEWS = {
    "Urgent, oldest first": {"priority": ["urgent"], "sort": ["oldest"]},
    "Complaints": {"type": ["complaint"]},
    "Phone, waiting on us": {"channel": ["phone"], "status": ["open"]},
    "Unassigned requests": {"queue": ["unassigned"], "type": ["request"]},
    "Waiting on customer": {"status": ["waiting_on_customer"], "sort": ["oldest"]},
}
BULK_CASES = 500


def count() -> None:
    print(Case.objects.aggregate(n=Max("id"))["n"] or 0)


def prepare(outdir: str) -> None:
    user = User.objects.filter(email=BENCH_EMAIL).first() or User.objects.create_user(
        BENCH_EMAIL, None, name="Bench Manager", role=Role.MANAGER
    )
    from rapport.web.models import SavedView
    from rapport.web.saved_views import saved_view_create

    if not SavedView.objects.filter(owner=user).exists():
        for name, filters in VIEWS.items():
            saved_view_create(actor=user, name=name, filters=filters, shared=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SECOND_FACTOR_STEP] = Step.DONE  # a manager signs in with a second factor (identity app)
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


def bulk_body(path: str) -> None:
    """POST /api/v1/cases/bulk assigning the 500 newest active cases, each at the version it has
    now, to whichever of the bench manager and a bench agent does not own the first of them (so
    every run changes every case)."""
    manager = User.objects.get(email=BENCH_EMAIL)
    agent = User.objects.filter(email=BENCH_AGENT).first() or User.objects.create_user(
        BENCH_AGENT, None, name="Bench Agent", role=Role.AGENT
    )
    newest = Case.objects.filter(is_active=True).order_by("-id")
    cases = list(newest.values_list("id", "version", "owner_id")[:BULK_CASES])
    owner = agent if cases and cases[0][2] == manager.pk else manager
    body = {
        "action": "assign",
        "params": {"owner": owner.pk},
        "cases": {format_reference(pk): version for pk, version, _ in cases},
    }
    with open(path, "w") as out:
        json.dump(body, out)


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
    elif command == "bulk_body":
        bulk_body(sys.argv[2])
    else:
        sys.exit(f"unknown command {command}")
