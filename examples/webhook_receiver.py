"""A minimal receiver for Rapport webhooks that checks every request is really from Rapport.

Standard library only. Run it with the webhook's signing secret in the environment:

    WEBHOOK_SECRET=whsec_... python examples/webhook_receiver.py 8000

Each request carries ``Rapport-Timestamp`` (Unix seconds) and ``Rapport-Signature``
(``v1=`` + hex HMAC-SHA256 of ``timestamp + "." + body`` with the secret). The receiver:

1. recomputes the signature over the raw body bytes (before parsing the JSON) and compares in
   constant time;
2. refuses a timestamp more than 5 minutes from its own clock, so a captured request cannot be
   replayed later (keep the receiver's clock synchronised, e.g. with NTP);
3. answers 2xx quickly; anything else (or no answer within 10 s) makes Rapport try again later,
   so the same delivery may arrive more than once: use ``Rapport-Delivery`` to ignore repeats.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 300


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None) -> bool:
    """Whether the request is signed with ``secret`` and recent enough."""
    timestamp = headers.get("Rapport-Timestamp", "")
    signature = headers.get("Rapport-Signature", "")
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent) > TOLERANCE_SECONDS:
        return False
    expected = "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class Handler(BaseHTTPRequestHandler):
    seen: set[str] = set()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not verify(os.environ["WEBHOOK_SECRET"], self.headers, body):
            self.send_response(401)
            self.end_headers()
            return
        delivery = self.headers.get("Rapport-Delivery", "")
        if delivery not in self.seen:
            self.seen.add(delivery)
            event = json.loads(body)
            print(event["event"]["kind"], event["case"]["reference"], flush=True)
        self.send_response(204)
        self.end_headers()


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    HTTPServer(("127.0.0.1", port), Handler).serve_forever()
