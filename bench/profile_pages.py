"""In-process timing and profile of the desk's hot pages, without the network or the server.

    RAPPORT_DATA_DIR=/tmp/prof python bench/profile_pages.py [queue|queue_views|case|api_create] [N] [--profile]

Runs production settings (DEBUG off, cached templates) against the database in RAPPORT_DATA_DIR,
signed in as a manager (``queue_views``: with five shared saved views as tabs; the counts of every
tab are made before timing, as the worker would have made them), and prints the median and 99th
percentile of N requests, and the CPU time they took (steadier than the wall clock when the
machine is shared). With --profile, SORT (a pstats key, default cumulative), TOP (45) and FILTER
(a regular expression on file:line(function), e.g. 'rapport/') shape the listing.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
os.environ.setdefault("RAPPORT_ENV", "production")
os.environ.setdefault("SECRET_KEY", "profile-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("RAPPORT_SSL_REDIRECT", "false")
os.environ.setdefault("RAPPORT_SECURE_COOKIES", "false")
import django

django.setup()

from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.customers.models import Customer  # noqa: E402
from rapport.domain.references import format_reference  # noqa: E402

EMAIL = "profile-manager@example.com"


def main() -> None:
    from django.core.management import call_command

    from rapport.domain.identity import Step
    from rapport.identity.services import SESSION_STEP as SECOND_FACTOR_STEP

    call_command("collectstatic", interactive=False, verbosity=0)
    page = sys.argv[1] if len(sys.argv) > 1 else "queue"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    user = User.objects.filter(email=EMAIL).first() or User.objects.create_user(
        EMAIL, None, name="Profile Manager", role=Role.MANAGER
    )
    client = Client()
    client.force_login(user)
    # a manager who signed in with their second factor (identity app): the page is measured, not sign-in
    session = client.session
    session[SECOND_FACTOR_STEP] = Step.DONE
    session.save()
    top = Case.objects.aggregate(n=Max("id"))["n"] or 1
    rng = random.Random(1)
    customer = Customer.objects.order_by("id").values_list("id", flat=True).first()

    def one() -> int:
        if page in {"queue", "queue_views"}:
            return client.get("/").status_code
        if page == "case":
            return client.get(f"/cases/{format_reference(rng.randint(1, top))}/").status_code
        return client.post(
            "/api/v1/cases",
            {"customer": customer, "subject": "profile-created", "body": "Profile body", "channel": "email"},
            content_type="application/json",
        ).status_code

    if page == "queue_views":
        _views(user)
    _count(user)
    for _ in range(10):
        one()
    times, cpu = [], []
    profiler = cProfile.Profile() if "--profile" in sys.argv else None
    for _ in range(count):
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        status = one()
        if profiler:
            profiler.disable()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert status in (200, 201), status
    times.sort()
    print(
        f"{page}: n={count} median {statistics.median(times):.1f} ms, p99 {times[int(len(times) * 0.99) - 1]:.1f} ms;"
        f" CPU median {statistics.median(cpu):.1f} ms, mean {statistics.fmean(cpu):.1f} ms"
    )
    if profiler:
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
        if os.environ.get("PROFILE_OUT"):  # for comparing two runs function by function
            stats.dump_stats(os.environ["PROFILE_OUT"])
        # FILTER narrows the listing to matching functions (a regular expression on file:line(name)).
        restrictions: list[object] = [os.environ["FILTER"]] if os.environ.get("FILTER") else []
        stats.print_stats(*restrictions, int(os.environ.get("TOP", "45")))
    Case.objects.filter(subject="profile-created").delete()


def _views(user: User) -> None:
    from rapport.web.models import SavedView
    from rapport.web.saved_views import saved_view_create

    if not SavedView.objects.filter(owner=user).exists():
        for n, filters in enumerate(
            [{"priority": "urgent"}, {"type": "complaint"}, {"channel": "phone"}, {"queue": "unassigned"}, {"tag": "a"}]
        ):
            saved_view_create(actor=user, name=f"View {n}", filters=filters, shared=True)


def _count(user: User) -> None:
    """Every count the queue shows, made now (what ``rapport worker`` does in production)."""
    from django.utils import timezone

    from rapport.cases import counts
    from rapport.cases.selectors import QueueFilter
    from rapport.web.saved_views import saved_views
    from rapport.web.views import QUEUE_TABS

    wanted = {key: {"queue": [key]} for key, _ in QUEUE_TABS}
    wanted.update({str(view.pk): view.filters for view in saved_views(user)})
    for params in wanted.values():
        counts.refresh(user.pk, params, counts.count_key(user, QueueFilter.from_params(dict(params))))
    counts.queue_counts(user, wanted, now=timezone.now())  # claims made, so no job is asked for while timing


if __name__ == "__main__":
    main()
