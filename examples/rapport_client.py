"""A small Rapport API client: the patterns an integration needs, with the standard library only.

    RAPPORT_URL=https://desk.example.org RAPPORT_TOKEN=rpt_… python examples/rapport_client.py sync
    RAPPORT_URL=… RAPPORT_TOKEN=… python examples/rapport_client.py export cases.csv --status any
    RAPPORT_URL=… RAPPORT_TOKEN=… python examples/rapport_client.py whoami

- ``sync``: every customer and case changed since the last run (``updated_since``), page by page
  with the opaque ``next_cursor``; the time of this run is kept in ``.rapport-sync`` for the next.
- ``export``: the case (or customer) list as a file: streamed when small, or a job to poll and then
  download when large (202).
- ``whoami``: who the token belongs to and what it may do (``permissions``).

Errors come back as one shape, ``{"detail": …, "errors": [{"field": …, "message": …}]}``; this
client prints them and, for 429 and 503, waits as ``Retry-After`` says (or backs off) and tries
again. See docs/integrate.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RETRY_STATUSES = frozenset({429, 502, 503, 504})
STATE = Path(".rapport-sync")


class RapportError(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status, self.body = status, body
        problems = "; ".join(f"{e.get('field') or 'request'}: {e['message']}" for e in body.get("errors", []))
        super().__init__(f"{status} {body.get('detail', '')} {problems}".strip())


class Client:
    def __init__(self, base_url: str, token: str, *, attempts: int = 5) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.token = token
        self.attempts = attempts

    def _open(self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        url = path if path.startswith("http") else self.base + path.removeprefix("/api/v1")
        if params:
            url += "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(self.attempts):
            request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - the desk's own https URL
            try:
                return urllib.request.urlopen(request, timeout=60)  # noqa: S310
            except urllib.error.HTTPError as failed:
                if failed.code in RETRY_STATUSES and attempt + 1 < self.attempts:
                    time.sleep(float(failed.headers.get("Retry-After") or 2**attempt))
                    continue
                try:
                    answer = json.loads(failed.read() or b"{}")
                except ValueError:
                    answer = {"detail": failed.reason}
                raise RapportError(failed.code, answer) from None
        raise AssertionError("unreachable")

    def call(self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None) -> Any:
        with self._open(method, path, params, body) as response:
            raw = response.read()
            return json.loads(raw) if raw else None

    def pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a list, following ``next_cursor`` until it is null."""
        cursor = None
        while True:
            page = self.call("GET", path, {**params, "cursor": cursor, "limit": 200})
            yield from page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                return

    def export(self, what: str, fmt: str, target: Path, **filters: Any) -> int:
        """Save the list as a file; a large one is written by the server first (202), so poll."""
        with self._open("GET", f"/exports/{what}", {"format": fmt, **filters}) as response:
            if response.status == 200:
                return _save(response, target)
            job = json.loads(response.read())
        while job["status"] in {"queued", "running"}:
            time.sleep(5)
            job = self.call("GET", job["url"])
        if job["status"] != "ready":
            raise RapportError(500, {"detail": job["error"] or "The export failed."})
        with self._open("GET", job["download_url"]) as response:
            return _save(response, target)


def _save(response: Any, target: Path) -> int:
    written = 0
    with target.open("wb") as out:
        while chunk := response.read(64 * 1024):
            out.write(chunk)
            written += len(chunk)
    return written


def sync(client: Client) -> None:
    started = datetime.now(UTC).isoformat()
    since = STATE.read_text().strip() if STATE.exists() else None
    for customer in client.pages("/customers", updated_since=since):
        print("customer", customer["id"], customer["name"], customer.get("merged_into") or "")
    for case in client.pages("/cases", updated_since=since, status="any"):
        print("case", case["reference"], case["status"], case["subject"])
    STATE.write_text(started)  # the start of this run: a change made during it is seen next time


def main() -> int:
    parser = argparse.ArgumentParser(description="A small Rapport API client.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("sync")
    sub.add_parser("whoami")
    export = sub.add_parser("export")
    export.add_argument("file", type=Path, help="cases.csv, customers.json …")
    export.add_argument("--status", default=None, help="case statuses, e.g. any or open,pending")
    args = parser.parse_args()
    client = Client(os.environ["RAPPORT_URL"], os.environ["RAPPORT_TOKEN"])
    try:
        if args.command == "whoami":
            me = client.call("GET", "/me")
            allowed = sorted(name for name, yes in me["permissions"].items() if yes)
            print(f"{me['name']} <{me['email']}>, {me['role']}; may: {', '.join(allowed) or 'nothing extra'}")
        elif args.command == "sync":
            sync(client)
        else:
            what, _, fmt = args.file.name.partition(".")
            filters = {"status": args.status} if what == "cases" and args.status else {}
            print(f"{client.export(what, fmt or 'csv', args.file, **filters):,} bytes written to {args.file}")
    except RapportError as refused:
        print(refused, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
