"""Side-by-side table from one bench/run.sh size: Rapport's summary.tsv against django-helpdesk's.

    python bench/compare.py OURS.tsv PEER.tsv
Each Rapport endpoint is set beside the peer endpoint that does the same job; the ratio is ours / theirs.
"""

from __future__ import annotations

import csv
import statistics
import sys

TIMES = "\u00d7"  # the multiplication sign, for ratios

PAIRS = [
    ("queue", "datatables", "queue page vs ticket list rows (datatables JSON)"),
    ("queue", "dashboard", "queue page vs dashboard"),
    ("case", "detail", "case page vs ticket page"),
    ("api_create", "api_create", "POST /api/v1/cases vs POST /api/tickets/"),
]


def _ms(text: str) -> float:
    text = text.strip()
    for unit, factor in (("ms", 1.0), ("us", 0.001), ("s", 1000.0), ("m", 60000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def _load(path: str) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {}
    with open(path) as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows.setdefault(row["endpoint"], []).append(row)
    return rows


def main(ours_path: str, peer_path: str) -> None:
    ours, peer = _load(ours_path), _load(peer_path)
    print("| comparison | Rapport req/s | Rapport p50 / p99 | peer req/s | peer p50 / p99 | ratio |")
    print("|---|---|---|---|---|---|")
    for mine, theirs, label in PAIRS:
        if mine not in ours or theirs not in peer:
            continue
        a = statistics.mean(float(r["rps"]) for r in ours[mine])
        b = statistics.mean(float(r["rps"]) for r in peer[theirs])
        a_lat = " · ".join(f"{_ms(r['p50']):.1f} / {_ms(r['p99']):.1f} ms" for r in ours[mine])
        b_lat = " · ".join(f"{_ms(r['p50']):.0f} / {_ms(r['p99']):.0f} ms" for r in peer[theirs])
        errors = sum(int(r["non2xx"]) for r in ours[mine])
        flag = f" ({errors} non-2xx)" if errors else ""
        ratio = f"{a / b:.1f}{TIMES}" if b else "peer finished no request"
        print(f"| {label} | {a:.1f}{flag} | {a_lat} | {b:.2f} | {b_lat} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
