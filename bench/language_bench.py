"""How long the language assistant takes to review a 2,000-character reply (target: under 5 ms).

    taskset -c 0 .venv/bin/python bench/language_bench.py [--replies 200] [--seed 2026] [--chars 2000]

Each reply is built from realistic UK agent sentences (seeded, so every run times the same
replies): clean ones, and ones with negative phrasing, blame, jargon, passive promises and vague
next steps, as agents write them, cut to ``--chars`` characters. Each reply is reviewed as a
complaint reply (every check runs). Reported: the median and the 99th percentile per review, and
the same per review of a reply made only of clean sentences; and, as a floor on the same machine
in the same run, one ``str.lower()`` plus one ``re`` word split of the reply, so the ratio holds
on a busy machine.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time

from rapport.domain.language import review

CLEAN = (
    "Thank you for getting in touch, and I'm sorry the parcel arrived damaged.",
    "I have arranged a replacement, which will be delivered on Thursday by 1pm.",
    "I understand how frustrating it is to wait in all day for an engineer who does not arrive.",
    "I will call you on Friday at 10am to check the repair has worked.",
    "Your refund of £42.50 was issued today and should reach your account within 3 working days.",
    "If you would like a copy of the report, please reply to this email and I will send it.",
    "Under the Consumer Rights Act you are entitled to a repair or a replacement.",
    "We can book a BSL interpreter for your appointment at the Leeds office.",
)
HARSH = (
    "Unfortunately there's nothing we can do about the estimated bill.",
    "You'll have to contact the courier yourself about the missing parcel.",
    "The warehouse messed up your order, not us.",
    "You should have read the terms before you booked.",
    "Your SR is in the L2 queue and an RMA has been raised.",
    "It will be looked into and someone will get back to you in due course.",
    "Your complaint has been passed on to the relevant team.",
    "That's not our policy, I'm afraid.",
)


def replies(count: int, chars: int, seed: int, pool: tuple[str, ...]) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = ["Dear Mrs Patel,\n\n"]
        while sum(len(p) for p in parts) < chars:
            parts.append(rng.choice(pool) + " ")
        out.append("".join(parts)[:chars])
    return out


def timed(texts: list[str], work) -> list[float]:
    laps = []
    for text in texts:
        start = time.perf_counter()
        work(text)
        laps.append((time.perf_counter() - start) * 1000)
    return sorted(laps)


def p99(laps: list[float]) -> float:
    return laps[min(len(laps) - 1, int(len(laps) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    mixed = replies(args.replies, args.chars, args.seed, CLEAN + HARSH)
    clean = replies(args.replies, args.chars, args.seed + 1, CLEAN)
    review(mixed[0], complaint=True)  # compile the patterns once, outside the timing
    words = re.compile(r"\w+")
    floor = timed(mixed, lambda t: words.findall(t.lower()))
    for label, texts in (("mixed replies", mixed), ("clean replies", clean)):
        laps = timed(texts, lambda t: review(t, complaint=True))
        median = statistics.median(laps)
        base = statistics.median(floor)
        print(
            f"{label}: {len(texts)} x {args.chars} chars: median {median:.2f} ms, p99 {p99(laps):.2f} ms "
            f"({median / base:.0f}x a lower+split of the same reply, {base:.3f} ms)"
        )
    findings = sum(len(review(t, complaint=True)) for t in mixed)
    print(f"findings on the mixed replies: {findings} ({findings / len(mixed):.1f} a reply)")


if __name__ == "__main__":
    main()
