"""How long knowledge search and the portal's suggestion call take over many articles.

    RAPPORT_DATA_DIR=/tmp/kb-bench .venv/bin/python bench/kb_search.py [--articles 100000] [--queries 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_bench .venv/bin/python bench/kb_search.py

Tops the database up to --articles published articles (a third internal) written from a UK
customer-service vocabulary (seeded, so every run builds the same text), then times:

- search: ``knowledge.search.search`` for --queries queries of one to three words (staff and
  public alike, half each): target p99 under 50 ms;
- suggestions: GET /help/suggest/ through Django's test client with a customer's subject and
  description, as the portal asks while they type: target p99 under 30 ms.

Prints p50, p95 and p99 in milliseconds, wall-clock and the process's CPU time (on a shared
machine the wall-clock figures include waiting for a core), and the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Role, User  # noqa: E402
from rapport.knowledge import search  # noqa: E402
from rapport.knowledge.models import Article, ArticleDocument, ArticleVersion  # noqa: E402

WORDS = [
    "refund",
    "return",
    "delivery",
    "parcel",
    "courier",
    "damaged",
    "faulty",
    "repair",
    "replace",
    "reject",
    "consumer",
    "rights",
    "order",
    "account",
    "password",
    "payment",
    "card",
    "chargeback",
    "warranty",
    "guarantee",
    "kettle",
    "sofa",
    "washing",
    "machine",
    "fridge",
    "laptop",
    "phone",
    "broadband",
    "engineer",
    "appointment",
    "missed",
    "late",
    "lost",
    "tracking",
    "label",
    "collection",
    "invoice",
    "bill",
    "discount",
    "voucher",
    "complaint",
    "ombudsman",
    "final",
    "response",
    "data",
    "request",
    "access",
    "erasure",
    "marketing",
    "consent",
    "accessibility",
    "large",
    "print",
    "braille",
    "adjustment",
    "advocate",
    "bereavement",
    "vulnerable",
    "energy",
    "meter",
    "tariff",
    "contract",
    "cancel",
    "cooling",
    "off",
    "period",
    "subscription",
    "renewal",
    "insurance",
    "claim",
    "excess",
    "policy",
    "cover",
    "holiday",
    "flight",
    "booking",
    "hotel",
    "cancellation",
]
FILLER = [
    "the",
    "we",
    "you",
    "your",
    "our",
    "is",
    "a",
    "to",
    "for",
    "and",
    "of",
    "in",
    "on",
    "with",
    "if",
    "it",
    "can",
    "will",
    "be",
    "within",
    "days",
    "this",
    "that",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) if rng.random() < 0.4 else rng.choice(FILLER) for _ in range(n))


def articles_ensure(target: int, rng: random.Random) -> int:
    have = ArticleDocument.objects.count()
    if have >= target:
        return 0
    owner, _ = User.objects.get_or_create(
        email="bench-kb@example.com", defaults={"name": "Bench owner", "role": Role.AGENT}
    )
    now = timezone.now()
    batch = 2000
    for start in range(have, target, batch):
        size = min(batch, target - start)
        with transaction.atomic():
            made = Article.objects.bulk_create(
                [
                    Article(
                        title=sentence(rng, 6).capitalize(),
                        slug="a",
                        summary=sentence(rng, 14),
                        body="x",
                        audience="public" if (start + i) % 3 else "internal",
                        status="published",
                        owner=owner,
                        created_at=now,
                        updated_at=now,
                    )
                    for i in range(size)
                ]
            )
            versions = ArticleVersion.objects.bulk_create(
                [
                    ArticleVersion(
                        article=a,
                        number=1,
                        title=a.title,
                        summary=a.summary,
                        body=a.body,
                        audience=a.audience,
                        status="published",
                        at=now,
                    )
                    for a in made
                ]
            )
            for a, v in zip(made, versions, strict=True):
                a.live = v
            Article.objects.bulk_update(made, ["live"])
            ArticleDocument.objects.bulk_create(
                [
                    ArticleDocument(
                        article=a,
                        public=a.audience == "public",
                        title=a.title,
                        summary=a.summary,
                        body=f"{a.summary} {sentence(rng, 120)}",
                    )
                    for a in made
                ]
            )
    return target - have


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {at(0.95):.1f} ms, p99 {at(0.99):.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(17)
    started = time.perf_counter()
    added = articles_ensure(args.articles, rng)
    print(f"articles: {ArticleDocument.objects.count()} ({added} added in {time.perf_counter() - started:.0f} s)")
    queries = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) for _ in range(args.queries)]
    search.search("warm up", internal=True)
    times, cpu = [], []
    for n, q in enumerate(queries):
        t, c = time.perf_counter(), time.process_time()
        search.search(q, internal=n % 2 == 0)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(f"search: {percentiles(times)} (CPU time: {percentiles(cpu)})")
    client = Client()
    times, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.process_time()
        response = client.get("/help/suggest/", {"subject": q, "body": f"my {rng.choice(WORDS)} is not working"})
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        assert response.status_code == 200
    print(f"suggestions: {percentiles(times)} (CPU time: {percentiles(cpu)})")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
