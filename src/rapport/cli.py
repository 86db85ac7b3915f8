"""The `rapport` command: set up, seed, serve and administer a Rapport desk.

    rapport migrate                      create or update the database (and the cache table)
    rapport demo [--host H --port P]     demo data once, then the web server and a worker
    rapport seed --cases N [--seed S]    add N realistic cases quickly (benchmarks, load tests)
    rapport serve [--bind A --workers N] the production web server (gunicorn)
    rapport chat-server [--bind A --workers N]
                                         live chat's WebSockets (uvicorn, ASGI), beside `serve`
    rapport worker [--workers N] [--no-scheduler]
                                         the background worker (Huey); one host runs the scheduler
    rapport backup DEST                  the database and the file store into a new folder
    rapport restore SRC --yes [--erasures FILE]
                                         put a backup back, keeping erased people erased
    rapport createadmin                  an admin account (prompts for the password)
    rapport token create|revoke          API tokens
    rapport import zendesk|freshdesk|csv|mail PATH
                                         another help desk's history, or mail files
    rapport check [...]                  Django's system checks
    rapport manage ...                   any Django management command

Errors a person can fix (unknown user, bad input, missing setting) are one line on stderr and exit
status 2; no tracebacks.
"""

from __future__ import annotations

import argparse
import getpass
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from rapport.platform.errors import UserError

if TYPE_CHECKING:
    from rapport.seeding.bulk import SeedProgress

USAGE_ERROR = 2
SETTINGS = "rapport.settings"
GUNICORN_CONFIG = "python:rapport.platform.gunicorn_conf"
WSGI_APP = "rapport.wsgi:application"
ASGI_APP = "rapport.asgi:application"
WS_MAX_BYTES = 65536  # a chat message is at most 5,000 characters; nothing bigger is read


PASS_THROUGH = frozenset({"check", "manage"})  # everything after the word goes to Django untouched


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if argv and argv[0] in PASS_THROUGH:
        # argparse would read their options (`check --deploy`) as its own; Django parses them instead.
        args = argparse.Namespace(command=argv[0], args=argv[1:], handler=_PASS_THROUGH_HANDLERS[argv[0]])
    else:
        args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return USAGE_ERROR
    from django.core.management import CommandError

    if args.command in {"serve", "chat-server"}:
        # The production server runs the production profile: it refuses to start without secrets.
        os.environ["RAPPORT_ENV"] = "production"
    if args.command == "demo":
        demo_environment(os.environ, host=args.host)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    try:
        _setup_django()
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UserError as error:
        return _fail(str(error))
    except CommandError as error:  # a Django command failed (checks found errors …): its own status
        print(error, file=sys.stderr)
        return error.returncode
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except Exception as error:  # the edge: known errors become a message, the rest a traceback
        message = _known_error(error)
        if message is None:
            raise
        return _fail(message)


def _setup_django() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        try:
            django.setup()
        except RuntimeError as error:  # settings.py fails fast on a missing or malformed setting
            raise UserError(str(error)) from None


def _known_error(error: Exception) -> str | None:
    from django.core.exceptions import ValidationError
    from django.db import InterfaceError, OperationalError

    from rapport.platform.errors import FieldError, RapportError

    if isinstance(error, OperationalError | InterfaceError):  # no such database, refused, no rights …
        return f"cannot use the {_database_label()}: {_first_line(error)}"
    if isinstance(error, FieldError):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.errors.items())
    if isinstance(error, RapportError):
        return getattr(error, "message", str(error))
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return None


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def _database_label() -> str:
    """Which database, as DATABASE_URL named it, without its password."""
    from django.db import connection

    where = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite database {where['NAME']}"
    host = f" on {where['HOST'] or 'localhost'}" + (f":{where['PORT']}" if where["PORT"] else "")
    return f"{connection.display_name} database {where['NAME']!r}{host} (DATABASE_URL)"


def _fail(message: str) -> int:
    print(f"rapport: {message}", file=sys.stderr)
    return USAGE_ERROR


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("expected 0 or more")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rapport", description="Rapport customer service desk.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("migrate", help="create or update the database")
    p.set_defaults(handler=cmd_migrate)

    p = sub.add_parser("seed", help="add realistic cases in bulk")
    p.add_argument("--cases", type=_positive, required=True, help="how many cases to add")
    p.add_argument("--seed", type=int, default=None, help="random seed: the same seed gives the same data")
    p.add_argument("--customers", type=_positive, default=None, help="new customers (default: cases / 4)")
    p.add_argument("--days", type=_positive, default=365, help="spread the cases over this many days (365)")
    p.add_argument("--batch", type=_positive, default=None, help="cases per transaction (2000)")
    p.set_defaults(handler=cmd_seed)

    p = sub.add_parser("demo", help="demo data, web server and worker on this machine")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("serve", help="the production web server (gunicorn)")
    p.add_argument("--bind", default=None, help="address:port (default 127.0.0.1:8000, or RAPPORT_BIND)")
    p.add_argument("--workers", type=_positive, default=None, help="web processes (default from gunicorn_conf)")
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("chat-server", help="live chat's WebSockets (uvicorn), beside the web server")
    p.add_argument("--bind", default=None, help="address:port (default 127.0.0.1:8001, or RAPPORT_CHAT_BIND)")
    p.add_argument("--workers", type=_positive, default=1, help="processes (1; more need REDIS_URL)")
    p.set_defaults(handler=cmd_chat_server)

    p = sub.add_parser("worker", help="the background worker (Huey)")
    p.add_argument("--workers", type=_positive, default=2, help="worker threads (2)")
    p.add_argument(
        "--scheduler",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also enqueue periodic jobs (default); with several hosts, exactly one runs the scheduler",
    )
    p.set_defaults(handler=cmd_worker)

    p = sub.add_parser("backup", help="the database and the file store into a new folder")
    p.add_argument("destination", metavar="DEST", help="a new (or empty) folder")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="replace the database and the file store with a backup")
    p.add_argument("source", metavar="SRC", help="a folder made by `rapport backup`")
    p.add_argument("--yes", action="store_true", help="confirm: the database and the files are replaced")
    p.add_argument(
        "--erasures",
        action="append",
        default=[],
        metavar="FILE",
        help="an erasures.json from a newer backup (or the off-site log): erase those people again",
    )
    p.set_defaults(handler=cmd_restore)

    p = sub.add_parser("createadmin", help="create an admin account")
    p.add_argument("--email")
    p.add_argument("--name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.set_defaults(handler=cmd_createadmin)

    p = sub.add_parser("token", help="API tokens")
    tokens = p.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    t = tokens.add_parser("create", help="create a token and print it (once)")
    t.add_argument("--user", required=True, metavar="EMAIL")
    t.add_argument("--name", default="", help="what the token is for")
    t.set_defaults(handler=cmd_token_create)
    t = tokens.add_parser("revoke", help="revoke one token, or all of a user's")
    which = t.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", metavar="KEYID", help="the token's id (or the whole token)")
    which.add_argument("--user", metavar="EMAIL")
    t.set_defaults(handler=cmd_token_revoke)

    plugins = _plugin_commands()
    for module in plugins:
        module.register(sub)
    _import_commands(sub, plugins)

    # Listed for --help; main() hands their arguments to Django without parsing them.
    sub.add_parser("check", help="Django's system checks (arguments pass through)")
    sub.add_parser("manage", help="any Django management command: rapport manage COMMAND ...")
    return parser


PLUGIN_APPS = ("mail", "sla", "complaints", "privacy", "feedback", "learning", "imports")


def _import_commands(sub: Any, plugins: list[Any]) -> None:
    """``rapport import SOURCE PATH``: every source an app offers (``register_import``: Zendesk,
    Freshdesk and CSV from the imports app), and mail files, the same as ``rapport mail import``."""
    p = sub.add_parser("import", help="import history: Zendesk, Freshdesk or CSV exports, or mail files")
    sources = p.add_subparsers(dest="import_source", metavar="SOURCE", required=True)
    for module in plugins:
        if hasattr(module, "register_import"):
            module.register_import(sources)
    if any(module.__name__ == "rapport.mail.commands" for module in plugins):
        m = sources.add_parser(
            "mail", help="file the mail in an .eml file, an mbox or a Maildir (as `rapport mail import`)"
        )
        m.add_argument("path", help="an .eml file, an mbox file or a Maildir folder")
        m.add_argument(
            "--acknowledge", action="store_true", help="email an acknowledgement for each new case (off for archives)"
        )
        m.set_defaults(handler=_mail_import)


def _mail_import(args: argparse.Namespace) -> int:
    import importlib

    handler: Callable[[argparse.Namespace], int] = importlib.import_module("rapport.mail.commands").cmd_import
    return handler(args)


def _plugin_commands() -> list[Any]:
    """Each app's ``commands`` module, when it has one: ``register(subparsers)`` adds its
    subcommands (``rapport mail import``, ``rapport learning import``). The modules import only
    argparse at the top, so ``--help`` works before Django is set up."""
    import importlib
    import importlib.util

    found = []
    for app in PLUGIN_APPS:
        name = f"rapport.{app}.commands"
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


# --- database ---------------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace) -> int:
    _migrate(verbosity=1)
    return 0


def _migrate(*, verbosity: int) -> None:
    from django.core.management import call_command

    from rapport.seeding.bulk import interrupted_load_finish

    call_command("migrate", interactive=False, verbosity=verbosity)
    # The default cache (sign-in rate limits) is a database table unless REDIS_URL is set.
    call_command("createcachetable", verbosity=verbosity)
    if interrupted_load_finish():
        print("Put back the indexes and search triggers that an interrupted `rapport seed` had set aside.")


def cmd_seed(args: argparse.Namespace) -> int:
    import secrets

    from django.db import connection

    from rapport.seeding import bulk

    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    customers = args.customers if args.customers is not None else (max(args.cases // 4, 1) if args.cases else 0)
    print(
        f"Seeding {args.cases:,} cases and {customers:,} new customers into {connection.vendor} "
        f"(seed {seed}; the same seed gives the same data)",
        flush=True,
    )
    meter = _ProgressMeter()
    # A stop request unwinds like Ctrl-C, so the seeder puts back any index it set aside.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        result = bulk.seed(
            cases=args.cases,
            customers=customers,
            seed=seed,
            days=args.days,
            batch=args.batch or bulk.DEFAULT_BATCH,
            progress=meter,
        )
    except ValueError as error:
        raise UserError(str(error)) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    print(
        f"Done in {_duration(result.seconds)}: {result.cases:,} cases, {result.customers:,} customers, "
        f"{result.messages:,} messages, {result.events:,} events, {result.documents:,} search documents "
        f"({result.cases / max(result.seconds, 0.001):,.0f} cases/s, {result.rows / max(result.seconds, 0.001):,.0f} "
        "rows/s)."
    )
    if result.first_case_id:
        from rapport.domain.references import format_reference

        last = result.first_case_id + result.cases - 1
        print(f"New cases: {format_reference(result.first_case_id)} to {format_reference(last)}.")
    return 0


class _ProgressMeter:
    """Prints how far a seed has got, at most every two seconds, with the rate and time left."""

    FINISHING = {"indexes": "building {total} indexes", "search index": "indexing new text", "analyse": "analysing"}

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.last_print = -every
        self.last_report = 0.0
        self.started: dict[str, float] = {}

    def __call__(self, progress: SeedProgress) -> None:
        # A stage starts where the one before it left off.
        started = self.started.setdefault(progress.stage, self.last_report)
        self.last_report = progress.elapsed
        spent = progress.elapsed - started
        finished = progress.done >= progress.total
        if progress.stage in self.FINISHING:
            if finished:
                print(f"  {progress.stage}: done in {_duration(spent)}", flush=True)
            elif progress.done == 0:
                print(
                    f"  {progress.stage}: {self.FINISHING[progress.stage].format(total=progress.total)} …", flush=True
                )
            return
        if not finished and progress.elapsed - self.last_print < self.every:
            return
        self.last_print = progress.elapsed
        rate = progress.done / spent if spent > 0 else 0.0
        left = (progress.total - progress.done) / rate if rate else 0.0
        print(
            f"  {progress.stage}: {progress.done:>10,} / {progress.total:,}  {rate:>8,.0f}/s  "
            f"{progress.rows / max(progress.elapsed, 0.001):>9,.0f} rows/s  "
            f"{'done' if finished else 'about ' + _duration(left) + ' left'}",
            flush=True,
        )


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s"


# --- servers --------------------------------------------------------------------------------------


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def demo_environment(env: dict[str, str] | os._Environ[str], *, host: str) -> None:
    """The demo runs as a server others may reach: no debug pages (they list every URL and
    setting), its own secret key (settings make one under the data directory), and the host it
    listens on accepted. Whatever the environment already says wins."""
    env.setdefault("RAPPORT_DEBUG", "false")
    if "ALLOWED_HOSTS" not in env and host not in LOOPBACK_HOSTS:
        everywhere = host in {"0.0.0.0", "::", ""}  # noqa: S104 - the operator asked for every interface
        env["ALLOWED_HOSTS"] = "*" if everywhere else ",".join([*LOOPBACK_HOSTS, host])


def cmd_demo(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.db import connections
    from django.utils import timezone

    from rapport.seeding.demo import DEMO_LOGINS, seed_demo

    print(f"Preparing the demo database in {settings.DATA_DIR} …", flush=True)
    _migrate(verbosity=0)
    result = seed_demo(now=timezone.now())
    if result.created:
        print(f"Demo data created: {result.cases} cases, {result.customers} customers, {result.staff} staff.")
    else:
        from rapport.seeding.timeshift import demo_shift

        moved = demo_shift(now=timezone.now())
        print("Demo data already there: reusing the database (delete it to start again).")
        if moved:
            print(f"Moved the demo's times forward by {moved.days} days {moved.seconds // 3600} hours, to now.")
    _collectstatic()
    connections.close_all()  # the children open their own
    print(email_destination(), flush=True)
    url = f"http://{args.host}:{args.port}/"

    def announce() -> None:
        print("\nSign in at", url, "with:")
        for login in DEMO_LOGINS:
            print(f"  {login.role:<26} {login.email:<30} password: {login.password}")
        print("\nPress Ctrl-C to stop.\n", flush=True)

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
    env["RAPPORT_DATA_DIR"] = str(settings.DATA_DIR)  # the children use this database whatever their cwd
    # One ASGI process serves the pages and live chat's WebSockets: without Redis the channel layer
    # is one process's memory, so every socket must be in the same process (docs/chat.md).
    server = _uvicorn(args.host, args.port, workers=1)
    worker = [sys.executable, "-m", "rapport.cli", "worker"]
    print("Starting the web server and the worker …", flush=True)
    return _supervise({"web server": server, "worker": worker}, env, ready=(_probe_url(args.host, args.port), announce))


def _probe_url(host: str, port: int) -> str:
    """Where to ask whether the demo's server is up: a wildcard address is reached on loopback."""
    host = "127.0.0.1" if host in {"0.0.0.0", "", "::"} else host  # noqa: S104 - not a bind
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/login/"


def email_destination() -> str:
    """One line on where the demo's email goes (said once, rather than a line per failed send)."""
    from django.conf import settings

    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    if backend == "filebased":
        return (
            f"Email is not sent: each message is written to a file in {settings.EMAIL_FILE_PATH}/ "
            "(set EMAIL_HOST to send through a mail server)."
        )
    if backend == "console":
        return "Email is not sent: each message is printed here."
    if backend == "smtp":
        return f"Email is sent through the mail server at {settings.EMAIL_HOST}:{settings.EMAIL_PORT}."
    return f"Email goes to {settings.EMAIL_BACKEND}."


def wait_until_answering(
    url: str,
    *,
    alive: Callable[[], bool],
    timeout: float = 120.0,
    clock: Callable[[], float] = time.monotonic,
    pause: Callable[[float], None] = time.sleep,
) -> bool:
    """Whether the server at ``url`` answered (any HTTP status) before ``timeout`` seconds, while
    ``alive()`` held. A web server that preloads the application takes seconds to start listening."""
    import urllib.error
    import urllib.request

    deadline = clock() + timeout
    while clock() < deadline and alive():
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own server, http only
                return True
        except urllib.error.HTTPError:
            return True  # it answered, with an error status: it is up
        except OSError:
            pause(0.25)
    return False


def _gunicorn(bind: str, *, workers: int | None) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, "--bind", bind]
    if workers:
        command += ["--workers", str(workers)]
    return [*command, WSGI_APP]


def _uvicorn(host: str, port: int, *, workers: int) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", ASGI_APP, "--host", host, "--port", str(port)]
    command += ["--ws", "websockets-sansio", "--ws-max-size", str(WS_MAX_BYTES), "--no-server-header"]
    command += ["--proxy-headers", "--forwarded-allow-ips", "127.0.0.1", "--log-level", "warning"]
    return [*command, "--workers", str(workers)] if workers > 1 else command


def _supervise(
    commands: dict[str, list[str]], env: dict[str, str], *, ready: tuple[str, Callable[[], None]] | None = None
) -> int:
    """Run the commands side by side; stop them all on Ctrl-C, SIGTERM, or when one of them stops.
    ``ready``: a URL and what to do once it answers (say where to sign in only when one can)."""
    children = {name: subprocess.Popen(command, env=env) for name, command in commands.items()}  # noqa: S603

    # Both stop everything, even where SIGINT was ignored (a background job of a script).
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    status = 0
    try:
        if ready is not None:
            url, announce = ready
            if wait_until_answering(url, alive=lambda: all(c.poll() is None for c in children.values())):
                announce()
            elif all(c.poll() is None for c in children.values()):
                print(f"rapport: the web server has not answered at {url} yet.", file=sys.stderr)
                announce()
        while True:
            ended = {name: child.poll() for name, child in children.items() if child.poll() is not None}
            if ended:
                for name, code in ended.items():
                    print(f"rapport: the {name} stopped (exit status {code}); stopping the rest.", file=sys.stderr)
                status = 1
                break
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping …", flush=True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return status


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _collectstatic() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def cmd_serve(args: argparse.Namespace) -> int:
    from django.db import connections

    _collectstatic()
    connections.close_all()
    bind = args.bind or os.environ.get("RAPPORT_BIND") or "127.0.0.1:8000"
    metrics_folder(fresh=True)
    command = _gunicorn(bind, workers=args.workers)
    sys.stdout.flush()
    sys.stderr.flush()
    # gunicorn takes over this process: signals from a supervisor (systemd, Docker) reach it directly.
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter running gunicorn
    return 0  # pragma: no cover - execv does not return


def cmd_chat_server(args: argparse.Namespace) -> int:
    """Live chat's WebSockets behind nginx's ``/ws/`` (docs/chat.md). Several processes or hosts
    share the Redis channel layer, so more than one worker needs ``REDIS_URL``."""
    from django.conf import settings
    from django.db import connections

    if args.workers > 1 and not settings.REDIS_URL:
        raise UserError("More than one chat-server process needs REDIS_URL: their sockets meet in Redis.")
    connections.close_all()
    bind = args.bind or os.environ.get("RAPPORT_CHAT_BIND") or "127.0.0.1:8001"
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise UserError(f"--bind is address:port, not {bind!r}")
    command = _uvicorn(host.strip("[]"), int(port), workers=args.workers)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter running uvicorn
    return 0  # pragma: no cover - execv does not return


def metrics_folder(*, fresh: bool) -> str:
    """The folder where this host's processes (gunicorn's, the worker) keep their metrics, so one
    scrape of ``/metrics`` adds them up: ``PROMETHEUS_MULTIPROC_DIR``, or ``metrics/`` in the data
    folder. ``fresh``: the web server empties it as it starts (what dead processes counted is kept
    by Prometheus, and the folder does not grow with every recycled process)."""
    from pathlib import Path

    from django.conf import settings

    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.DATA_DIR / "metrics")
    if fresh and folder.is_dir():
        for stale in folder.glob("*.db"):
            stale.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return str(folder)


# --- backup and restore (rapport.platform.backup, docs/operations.md) -----------------------------

ERASURES_FILE = "erasures.json"


def cmd_backup(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from django.utils import timezone

    from rapport.platform import backup

    destination = Path(args.destination)
    manifest = backup.backup(destination, now=timezone.now())
    # Who had been erased when this backup was taken: given to a restore of an older backup, it
    # keeps them erased (no personal data: ids and dates).
    log = backup.erasures.log() if backup.erasures else []
    (destination / ERASURES_FILE).write_text(json.dumps(log, indent=1), encoding="utf-8")
    print(f"Backup of {manifest.engine} taken into {destination} at {manifest.created_at}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from django.utils import timezone

    from rapport.platform import backup

    if not args.yes:
        raise UserError("restore replaces the database and every stored file: add --yes to go ahead")
    source = Path(args.source)
    backup.verify(source, backup.Manifest.read(source))
    log: list[dict[str, Any]] = []
    try:
        log += backup.erasures.log() if backup.erasures else []  # the database about to be replaced
    except Exception:
        print("The current database could not be read: only --erasures files are re-applied.")
    for name in args.erasures:
        try:
            log += json.loads(Path(name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UserError(f"cannot read the erasure log {name}: {error}") from None
    result = backup.restore(source)
    again = backup.erasures.reapply(log, now=timezone.now()) if backup.erasures else []
    print(f"Erased again after the restore: {len(again)} (erasures made after the backup was taken).")
    if result.mismatched_tables:
        for table, (expected, found) in sorted(result.mismatched_tables.items()):
            print(f"rapport: {table} has {found:,} rows, the backup {expected:,}", file=sys.stderr)
        return 1
    print(f"Restored the backup of {result.manifest.created_at}: every table's row count matches.")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import logging

    from django.core.management import call_command

    # run_huey gives the "huey" logger its own handler; without this each line also reaches the
    # root handler from settings.LOGGING and is printed twice.
    logging.getLogger("huey").propagate = False
    queue_wait()
    queue_logging()
    # Each periodic job also claims its period (rapport.platform.periodic), so a second scheduler
    # started by mistake wastes a little work but never does a period's work twice.
    call_command("run_huey", workers=max(args.workers, 1), worker_type="thread", periodic=args.scheduler)
    return 0


QUEUE_FIRST_WAIT = 1.0
QUEUE_LONGEST_WAIT = 60.0
QUEUE_DOWN = "rapport: the job queue is not reachable ({error}); attempt {attempt}, trying again in {wait:.0f}s"


def queue_wait(
    *,
    say: Callable[[str], None] | None = None,
    pause: Callable[[float], None] = time.sleep,
    first: float = QUEUE_FIRST_WAIT,
    longest: float = QUEUE_LONGEST_WAIT,
) -> int:
    """Wait until the job queue (Redis, or Huey's SQLite file) answers, saying so once per attempt
    with a growing wait (1 s, 2 s, 4 s … up to a minute), rather than letting the consumer log a
    traceback for every poll. Returns the attempts that failed. Ctrl-C or SIGTERM stops it."""
    import sqlite3

    import redis
    from huey.contrib.djhuey import HUEY

    say = say or (lambda line: print(line, file=sys.stderr, flush=True))
    failed = 0
    wait = first
    while True:
        try:
            HUEY.storage.queue_size()  # a round trip to the queue's storage
        except (redis.RedisError, sqlite3.Error, OSError) as error:
            failed += 1
            say(QUEUE_DOWN.format(error=_first_line(error), attempt=failed, wait=wait))
            pause(wait)
            wait = min(wait * 2, longest)
            continue
        if failed:
            say(f"rapport: the job queue answers again after {failed} failed attempts; starting the worker.")
        return failed


def queue_logging() -> None:
    """The consumer's log lines, as Huey formats them, but an outage of the queue is one line (no
    traceback) and then a line only as the wait doubles (``QueueOutage``). Set up before
    ``run_huey``, which then leaves the "huey" logger alone."""
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(levelname)s:%(name)s:%(threadName)s:%(message)s"))
    handler.addFilter(QueueOutage())
    huey_log = logging.getLogger("huey")
    huey_log.handlers = [handler]
    huey_log.setLevel(logging.INFO)


class QueueOutage:
    """A logging filter for the consumer: while the queue cannot be reached, Huey logs a traceback
    for every poll (several a second per thread). The first failure becomes one line, and later
    ones are held back until a wait that doubles (1 s, 2 s … a minute) has passed, with how many
    were held. Any other record resets the wait."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        first: float = QUEUE_FIRST_WAIT,
        longest: float = QUEUE_LONGEST_WAIT,
    ) -> None:
        self.clock, self.first, self.longest = clock, first, longest
        self.wait = first
        self.quiet_until = float("-inf")
        self.held = 0

    def filter(self, record: Any) -> bool:
        import sqlite3

        import redis

        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, redis.RedisError | sqlite3.Error | OSError):
            self.wait, self.quiet_until = self.first, float("-inf")
            return True
        now = self.clock()
        if now < self.quiet_until:
            self.held += 1
            return False
        held = f" ({self.held} more like it held back)" if self.held else ""
        record.msg = f"{record.getMessage()}: {_first_line(error)}{held}; the same held back for {self.wait:.0f}s"
        record.args, record.exc_info, record.exc_text = (), None, None
        self.quiet_until = now + self.wait
        self.wait = min(self.wait * 2, self.longest)
        self.held = 0
        return True


# --- accounts -------------------------------------------------------------------------------------


def cmd_createadmin(args: argparse.Namespace) -> int:
    from rapport.accounts.models import Role
    from rapport.accounts.services import staff_create

    email = (args.email or _ask("Email address: ")).strip()
    name = (args.name or _ask("Name: ")).strip()
    if not email or not name:
        raise UserError("an email address and a name are needed.")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            raise UserError("the passwords do not match.")
    user = staff_create(email=email, name=name, role=Role.ADMIN, password=password)
    print(f"Created admin {user.email}.")
    return 0


def _ask(prompt: str) -> str:
    try:
        return input(prompt)
    except EOFError:
        raise UserError("no answer given (use --email and --name when there is no terminal).") from None


def _user(email: str) -> Any:
    from rapport.accounts.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise UserError(f"no user with the email address {email!r}.")
    return user


def cmd_token_create(args: argparse.Namespace) -> int:
    from rapport.accounts.services import token_create

    user = _user(args.user)
    token, secret = token_create(user=user, name=args.name)
    # The token alone on stdout, so `TOKEN=$(rapport token create --user …)` works; the rest on stderr.
    print(f"Token {token.key_id} for {user.email}. It is shown once: store it now.", file=sys.stderr)
    print(secret)
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from rapport.accounts.services import token_revoke
    from rapport.platform import words

    count = token_revoke(key_id=args.id) if args.id else token_revoke(user=_user(args.user))
    print(f"Revoked {words.count(count, 'token')}.")
    return 0


# --- pass-through ---------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("check", *args.args)
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rapport manage", *args.args])
    return 0


_PASS_THROUGH_HANDLERS = {"check": cmd_check, "manage": cmd_manage}

if __name__ == "__main__":
    sys.exit(main())
