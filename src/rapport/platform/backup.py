"""``rapport backup`` and ``rapport restore``: the database and the file store into one folder and
back (ADR 0032, docs/operations.md).

A backup is a folder:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the desk runs, WAL
  and all) or ``database.pgdump`` (``pg_dump --format=custom``, restored with ``pg_restore``);
- ``files/``: every object in the file store (the local folder or the S3 bucket), read through
  Django storage a chunk at a time;
- ``manifest.json``: when, from which engine, the row count of every table, each file's size and
  SHA-256, and the last migration of each app, so a restore is checked against what was taken.

Restoring replaces the database and the file store with the backup's: files the store holds that
the backup does not (uploaded since, so their rows are gone with the newer database) are deleted.
The erasure log is re-applied afterwards by the caller (``rapport restore``; see
``rapport.privacy.erasure.erasures_reapply``), so a person erased after the backup was taken stays
erased.

Neither the cache nor the job queue is in a backup: both are rebuilt as the desk runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections

from rapport.platform.errors import UserError
from rapport.platform.storage import open_stream

FORMAT = "rapport-backup/1"
MANIFEST = "manifest.json"
FILES = "files"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"

Say = Callable[[str], None]


@dataclass(frozen=True)
class Erasures:
    """How the privacy app keeps erased people erased across a restore: ``log()`` lists who has
    been erased (ids and dates, no personal data); ``reapply(log, now=…)`` erases again those a
    restored database holds un-erased, and returns their ids."""

    log: Callable[[], list[dict[str, Any]]]
    reapply: Callable[..., list[int]]


erasures: Erasures | None = None  # set by the privacy app's hooks; None when it is not installed


@dataclass
class Manifest:
    format: str
    created_at: str
    engine: str
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    migrations: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2, sort_keys=True), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UserError(f"{folder} is not a Rapport backup: it has no {MANIFEST}") from None
        except ValueError:
            raise UserError(f"{folder / MANIFEST} cannot be read as JSON") from None
        if data.get("format") != FORMAT:
            raise UserError(f"{folder} is a backup in a format this version cannot read ({data.get('format')!r})")
        return cls(**data)


# --- what is there ----------------------------------------------------------------------------------


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def row_counts() -> dict[str, int]:
    """Rows in every table of the database (Django's and the product's), by table name."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_") or "_fts" in table or table == "rapport_cache":
                continue  # SQLite's own and the full-text index's shadow tables; the cache
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name from introspection, quoted
            counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations() -> dict[str, str]:
    """The last migration applied, by app."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return dict(cursor.fetchall())  # ordered by name, so each app's last one wins


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in ``storage``, by name, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


# --- backup --------------------------------------------------------------------------------------


def backup(destination: Path, *, now: datetime, say: Say = print) -> Manifest:
    """Take a backup into ``destination`` (a folder that must not exist yet, or be empty)."""
    if destination.exists() and any(destination.iterdir()):
        raise UserError(f"{destination} is not empty: name a new folder for the backup")
    destination.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(format=FORMAT, created_at=now.isoformat(), engine=engine())
    manifest.tables = row_counts()
    manifest.migrations = applied_migrations()
    if manifest.engine == "sqlite":
        _sqlite_copy(Path(_sqlite_path()), destination / SQLITE_FILE)
    elif manifest.engine == "postgresql":
        _pg_dump(destination / PG_FILE)
    else:
        raise UserError(f"backups of a {manifest.engine} database are not supported")
    say(f"Database: {sum(manifest.tables.values()):,} rows in {len(manifest.tables)} tables.")
    manifest.files = _files_out(default_storage, destination / FILES)
    total = sum(entry["size"] for entry in manifest.files.values())
    say(f"Files: {len(manifest.files):,} ({total:,} bytes).")
    manifest.write(destination)
    return manifest


def _sqlite_path() -> str:
    name = str(settings.DATABASES["default"]["NAME"])
    if name.startswith("file:") or name == ":memory:":
        raise UserError("the database is in memory: there is nothing on disk to back up")
    return name


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy, page by page, while others write."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()


def _pg_environment() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, setting in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(setting):
            env[key] = str(db[setting])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client; its own words when it fails (it never prints the password)."""
    if shutil.which(command[0]) is None:
        raise UserError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise UserError(
            f"{command[0]} failed: {done.stderr.strip().splitlines()[-1] if done.stderr else done.returncode}"
        )


def _pg_dump(target: Path) -> None:
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])


def _files_out(storage: Storage, folder: Path) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for name in stored_names(storage):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.sha256(), 0
        with open_stream(storage, name) as stream, target.open("wb") as out:
            for chunk in stream:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        files[name] = {"size": size, "sha256": digest.hexdigest()}
    return files


# --- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    files_restored: int
    files_removed: int
    mismatched_tables: dict[str, tuple[int, int]]  # table: (in the backup, now)


def restore(source: Path, *, say: Say = print) -> Restored:
    """Replace the database and the file store with the backup in ``source``, then check every
    table's row count and every file's digest against its manifest."""
    manifest = Manifest.read(source)
    verify(source, manifest)
    if manifest.engine != engine():
        raise UserError(f"this backup is of a {manifest.engine} database; DATABASE_URL names a {engine()} one")
    connections.close_all()
    if manifest.engine == "sqlite":
        _sqlite_copy(source / SQLITE_FILE, Path(_sqlite_path()))
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              f"--dbname={_pg_environment()['PGDATABASE']}", str(source / PG_FILE)])  # fmt: skip
    say("Database restored.")
    restored, removed = _files_in(default_storage, source / FILES, manifest)
    say(f"Files: {restored:,} restored, {removed:,} not in the backup removed.")
    now_counts = row_counts()
    mismatched = {
        table: (count, now_counts.get(table, -1))
        for table, count in manifest.tables.items()
        if now_counts.get(table, -1) != count
    }
    return Restored(manifest, restored, removed, mismatched)


def verify(source: Path, manifest: Manifest) -> None:
    """Every file the manifest lists is in the backup with its size and digest; the dump is there."""
    dump = source / (SQLITE_FILE if manifest.engine == "sqlite" else PG_FILE)
    if not dump.is_file():
        raise UserError(f"the backup has no {dump.name}")
    for name, entry in manifest.files.items():
        path = source / FILES / name
        if not path.is_file() or path.stat().st_size != entry["size"]:
            raise UserError(f"the backup's copy of {name} is missing or the wrong size")
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise UserError(f"the backup's copy of {name} is damaged (its SHA-256 differs)")


def _files_in(storage: Storage, folder: Path, manifest: Manifest) -> tuple[int, int]:
    removed = 0
    for name in list(stored_names(storage)):
        if name not in manifest.files:
            storage.delete(name)
            removed += 1
    for name in manifest.files:
        if storage.exists(name):
            storage.delete(name)
        with (folder / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise UserError(f"the store kept {name} as {saved}: restore into an empty store")
    return len(manifest.files), removed
