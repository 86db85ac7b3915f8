"""Live chat under many connections: message latency (send to acknowledgement) and memory per
connection of one ASGI chat server process.

    RAPPORT_DATA_DIR=/tmp/chat-bench .venv/bin/python bench/chat_bench.py [--connections 500] \\
        [--rounds 5] [--seed 2026] [--port 8765]

Add REDIS_URL=redis://127.0.0.1:6379/3 to use the Redis channel layer (as production does), and
DATABASE_URL for PostgreSQL. The script migrates the database under RAPPORT_DATA_DIR, opens
--connections chats through the services (not timed), starts ``uvicorn rapport.asgi:application``
as a separate process (one worker, as ``rapport chat-server``), then:

  * connects every customer at once and says hello; the server's resident memory before and after,
    divided by the connections, is the memory per connection (the first connection is opened
    before the baseline, so imports and the first query's caches are not counted);
  * --rounds times, every customer sends one message at the same moment; each latency is from
    sending to the server's acknowledgement (the message filed through the case services, its line
    numbered, the group told). Printed: p50, p95, p99 and the slowest, and messages a second.

Each message's client id is unique (seeded), and the script checks that every one was acknowledged
once: a run that lost a message fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
os.environ.setdefault("RAPPORT_DATA_DIR", "/tmp/chat-bench")  # noqa: S108 - a throwaway bench database
Path(os.environ["RAPPORT_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
import django  # noqa: E402 - settings first

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from rapport.accounts.models import Team  # noqa: E402
from rapport.chat import services  # noqa: E402
from rapport.chat.models import ChatSite  # noqa: E402

ORIGIN = "http://bench.invalid"


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def prepare(connections: int) -> list[str]:
    call_command("migrate", verbosity=0)
    team, _ = Team.objects.get_or_create(name="Chat bench")
    site, _ = ChatSite.objects.get_or_create(
        key="bench", defaults={"name": "Bench", "allowed_origins": ORIGIN, "team": team}
    )
    now = timezone.now()
    return [
        services.chat_start(site=site, name=f"Customer {i}", email="", topic="Benchmark", consent=True, now=now)[1]
        for i in range(connections)
    ]


async def run(tokens: list[str], *, port: int, rounds: int, seed: int, server_pid: int) -> int:
    from websockets.asyncio.client import connect

    rng = random.Random(seed)
    url = f"ws://127.0.0.1:{port}/ws/chat/"

    async def open_one(token: str):  # type: ignore[no-untyped-def]
        ws = await connect(url, origin=ORIGIN, open_timeout=60, max_size=2**16)  # type: ignore[arg-type]
        await ws.send(json.dumps({"type": "hello", "token": token, "after": 0}))
        while json.loads(await ws.recv())["type"] != "welcome":
            pass
        return ws

    first = await open_one(tokens[0])
    await asyncio.sleep(1)
    before = _rss_kib(server_pid)
    began = time.perf_counter()
    sockets = [first, *await asyncio.gather(*(open_one(t) for t in tokens[1:]))]
    connect_seconds = time.perf_counter() - began
    await asyncio.sleep(1)
    after = _rss_kib(server_pid)
    print(f"connections                 {len(sockets):>8}   all open in {connect_seconds:.2f} s")
    print(f"server memory               {before / 1024:8.1f} MiB -> {after / 1024:.1f} MiB")
    print(f"memory per connection       {(after - before) / max(1, len(sockets) - 1):8.1f} KiB")

    latencies: list[float] = []
    acked: dict[str, int] = {}

    async def one_message(ws, client_id: str) -> None:  # type: ignore[no-untyped-def]
        sent = time.perf_counter()
        await ws.send(json.dumps({"type": "message", "client_id": client_id, "body": "How long will it take?"}))
        while True:
            data = json.loads(await ws.recv())
            if data.get("type") == "ack" and data.get("client_id") == client_id:
                latencies.append(time.perf_counter() - sent)
                acked[client_id] = acked.get(client_id, 0) + 1
                return

    total_began = time.perf_counter()
    ids = []
    for r in range(rounds):
        batch = [(ws, f"b{r}-{i}-{rng.getrandbits(32):08x}") for i, ws in enumerate(sockets)]
        ids.extend(cid for _, cid in batch)
        await asyncio.gather(*(one_message(ws, cid) for ws, cid in batch))
    elapsed = time.perf_counter() - total_began
    for ws in sockets:
        await ws.close()
    ms = [x * 1000 for x in latencies]
    print(f"messages                    {len(ms):>8}   {len(ms) / elapsed:.0f} a second")
    print(
        f"latency to ack (ms)         p50 {_percentile(ms, 50):.1f}  p95 {_percentile(ms, 95):.1f}  "
        f"p99 {_percentile(ms, 99):.1f}  max {max(ms):.1f}"
    )
    lost = [cid for cid in ids if acked.get(cid) != 1]
    if lost:
        print(f"LOST or doubled: {len(lost)} messages", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.connections + 256)), hard))
    tokens = prepare(args.connections)
    print(f"channel layer               {'Redis' if os.environ.get('REDIS_URL') else 'in memory (one process)'}")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "rapport.asgi:application",
            "--port",
            str(args.port),
            "--ws",
            "websockets-sansio",
            "--log-level",
            "warning",
            "--ws-max-size",
            "65536",
        ],
        env={**os.environ, "ALLOWED_HOSTS": "127.0.0.1,bench.invalid"},
    )
    try:
        import socket

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        return asyncio.run(run(tokens, port=args.port, rounds=args.rounds, seed=args.seed, server_pid=server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    raise SystemExit(main())
