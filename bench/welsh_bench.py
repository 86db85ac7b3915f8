"""The portal in Welsh against the portal in English, side by side in one run (target: Welsh
within 5% of English), and the staff desk with and without a Welsh browser (the language
middleware must cost staff pages nothing).

    RAPPORT_DATA_DIR=/tmp/welsh-bench .venv/bin/python bench/welsh_bench.py [--cases 50] [--requests 300]

Runs production settings (DEBUG off, cached templates) in process through Django's test client,
against the database in RAPPORT_DATA_DIR (migrated if new). Two customers with the same cases,
one served in English and one in Welsh, each with a portal sign-in; the requests alternate between
them page by page (my cases, one case, raise a case, the help centre, sign-in for a visitor with
each Accept-Language), so a change in the machine's load touches both alike. Prints the median CPU
time of each page per language and the ratio Welsh / English; then the desk's queue for a manager
with an English and a Welsh browser. CPU time is the process's, steadier than the wall clock on a
shared machine. Compile the catalogue first (`make catalogues`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
os.environ.setdefault("RAPPORT_ENV", "production")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("RAPPORT_SSL_REDIRECT", "false")
os.environ.setdefault("RAPPORT_SECURE_COOKIES", "false")
import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.cases.models import Case  # noqa: E402
from rapport.cases.services import case_create  # noqa: E402
from rapport.customers.models import Customer  # noqa: E402

WELSH = {"HTTP_ACCEPT_LANGUAGE": "cy-GB,cy;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def customer_with_cases(email: str, name: str, language: str, cases: int, agent: User) -> Customer:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, None, name=name, role=Role.CUSTOMER
    )
    customer = Customer.objects.filter(user=user).first()
    if customer is None:
        now = timezone.now()
        customer = Customer.objects.create(
            name=name, email=email, user=user, language=language, created_at=now, updated_at=now
        )
    have = Case.objects.filter(customer=customer).count()
    for i in range(have, cases):
        case_create(
            actor=agent,
            customer=customer,
            subject=f"Boiler service visit {i}",
            body="The engineer did not arrive for the booked visit. Please rebook for a weekday morning.",
            channel="portal",
            now=timezone.now() - timedelta(minutes=i),
        )
    return customer


def timed(client: Client, url: str, headers: dict[str, str]) -> float:
    started = time.process_time()
    response = client.get(url, **headers)
    spent = (time.process_time() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50, help="cases per customer")
    parser.add_argument("--requests", type=int, default=300, help="requests per page and language")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    agent = User.objects.filter(email="bench-agent@example.com").first() or User.objects.create_user(
        "bench-agent@example.com", None, name="Bench Agent", role=Role.MANAGER
    )
    english = customer_with_cases("bench-en@example.com", "Gareth Price", "en", args.cases, agent)
    welsh = customer_with_cases("bench-cy@example.com", "Siân Llŷr", "cy", args.cases, agent)
    clients = {}
    for language, customer in (("en", english), ("cy", welsh)):
        client = Client()
        client.force_login(customer.user)
        clients[language] = (client, Case.objects.filter(customer=customer).order_by("id").first())
    visitor = Client()
    staff = Client()
    staff.force_login(agent)

    pages = {
        "my cases": lambda case: "/portal/",
        "a case": lambda case: f"/portal/cases/{case.reference}/",
        "raise a case": lambda case: "/portal/cases/new/",
        "help centre": lambda case: "/help/",
    }
    results: dict[tuple[str, str], list[float]] = {}
    for _ in range(10):  # warm: templates, catalogues, connections
        for url in pages.values():
            for client, case in clients.values():
                timed(client, url(case), ENGLISH)
    for _ in range(args.requests):
        for page, url in pages.items():
            for language, (client, case) in clients.items():
                results.setdefault((page, language), []).append(timed(client, url(case), ENGLISH))
        for language, headers in (("en", ENGLISH), ("cy", WELSH)):
            results.setdefault(("sign-in (visitor)", language), []).append(timed(visitor, "/login/", headers))
            results.setdefault(("desk queue (staff)", language), []).append(timed(staff, "/", headers))

    print(f"load average {os.getloadavg()[0]:.1f}; {args.requests} requests per page and language, CPU ms")
    print(f"{'page':<22} {'English':>9} {'Welsh':>9} {'ratio':>7}")
    worst = 0.0
    for page in [*pages, "sign-in (visitor)", "desk queue (staff)"]:
        en = statistics.median(results[(page, "en")])
        cy = statistics.median(results[(page, "cy")])
        worst = max(worst, cy / en)
        print(f"{page:<22} {en:>9.2f} {cy:>9.2f} {cy / en:>7.3f}")
    print(f"worst ratio {worst:.3f} (target: at most 1.05)")


if __name__ == "__main__":
    main()
