"""Webhook throughput: signed deliveries a second to a local receiver that checks every signature.

    RAPPORT_DATA_DIR=/tmp/wh-bench .venv/bin/python bench/webhook_bench.py [--deliveries 2000] [--seed 2026]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/webhook_bench .venv/bin/python bench/webhook_bench.py

Migrates the database, makes one case and a manager-role subscription to a receiver on 127.0.0.1
(``http.server`` in a thread, verifying each HMAC as ``examples/webhook_receiver.py`` does), builds
--deliveries deliveries of that case's event through the journal subscriber's own code (payloads
through the access gate), then times ``services.flush``: each delivery signed, sent over HTTP,
answered and logged (an ``Attempt`` row, the delivery updated), one after another as one worker
does. Prints deliveries a second, and the load average (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import random
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
os.environ.setdefault("RAPPORT_WEBHOOKS_ALLOW_LOOPBACK", "1")
import django

django.setup()

from django.core.management import call_command  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.cases.models import CaseEvent  # noqa: E402
from rapport.cases.services import case_create  # noqa: E402
from rapport.customers.models import Customer  # noqa: E402
from rapport.domain import webhooks as rules  # noqa: E402
from rapport.webhooks import payloads, services  # noqa: E402
from rapport.webhooks.models import Delivery, DeliveryStatus, Subscription  # noqa: E402


def receiver(secret: list[str], verified: list[int]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            ok = rules.verify(
                secret[0],
                self.headers.get(rules.TIMESTAMP_HEADER, ""),
                body,
                self.headers.get(rules.SIGNATURE_HEADER, ""),
                now=datetime.now(UTC),
            )
            verified[0] += ok
            self.send_response(204 if ok else 401)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    random.seed(args.seed)
    call_command("migrate", verbosity=0)
    now = datetime.now(UTC)
    secret, verified = [""], [0]
    server = receiver(secret, verified)
    admin = User.objects.filter(email="bench-webhooks-admin@example.com").first() or User.objects.create_user(
        "bench-webhooks-admin@example.com", None, name="Bench admin", role=Role.ADMIN
    )
    customer = Customer.objects.create(
        name="Priya Shah", email="priya.shah@example.co.uk", created_at=now, updated_at=now
    )
    case = case_create(actor=admin, customer=customer, subject="Bench", body="Bench", channel="email", now=now)
    Subscription.objects.filter(name="Bench receiver").update(active=False)
    made = services.subscription_create(
        actor=admin,
        name="Bench receiver",
        url=f"http://127.0.0.1:{server.server_address[1]}/hooks",
        kinds=["created"],
        role=Role.MANAGER,
        now=now,
    )
    secret[0] = made.secret
    event = CaseEvent.objects.filter(case=case, kind="created").get()
    body = payloads.build(made.subscription.account, made.subscription.pk, [event])[0].body
    Delivery.objects.bulk_create(
        Delivery(
            subscription=made.subscription,
            kind="created",
            case_reference=case.reference,
            body=body,
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        for _ in range(args.deliveries)
    )
    started = time.perf_counter()
    sent = 0
    while batch := services.flush(now=datetime.now(UTC)):
        sent += batch
    elapsed = time.perf_counter() - started
    server.shutdown()
    print(f"deliveries: {sent} in {elapsed:.2f} s = {sent / elapsed:.0f} a second (one worker, sequential)")
    print(f"verified by the receiver: {verified[0]}")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
