"""Reading an export from files: which file holds what, JSON streamed record by record, CSV rows,
and attachments found beside the export or fetched through a configured address.

Every reader is a generator: an export of any size is read with the memory of one record (ijson
parses the text as it goes), whether a file is one JSON array, an API page (``{"tickets": [...]}``,
several pages one after another), or JSON lines (one record, or one page, per line).
"""

from __future__ import annotations

import csv
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class Layout:
    """Where each part of an export is, by source. Only ``tickets`` is required."""

    tickets: Path
    organisations: Path | None = None
    people: Path | None = None
    staff: Path | None = None
    ticket_fields: Path | None = None
    comments: tuple[Path, ...] = ()
    ratings: Path | None = None
    base: Path | None = None
    """The folder the attachments are looked for in (``attachments/`` beside the files)."""


NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "zendesk": {
        "tickets": ("tickets",),
        "organisations": ("organizations", "organisations"),
        "people": ("users",),
        "ticket_fields": ("ticket_fields",),
        "comments": ("ticket_comments", "ticket_events", "comments"),
    },
    "freshdesk": {
        "tickets": ("tickets",),
        "organisations": ("companies",),
        "people": ("contacts",),
        "staff": ("agents",),
        "ticket_fields": ("ticket_fields",),
        "comments": ("conversations",),
        "ratings": ("satisfaction_ratings",),
    },
}
WRAPPERS = {
    "tickets": "tickets",
    "organizations": "organizations",
    "organisations": "organizations",
    "users": "users",
    "ticket_fields": "ticket_fields",
    # Comments kept apart are read whole, ``{"ticket_id": 1, "comments": [...]}``: the page names its ticket.
    "ticket_comments": "ticket_comments",
    "comments": "ticket_comments",
    "ticket_events": "ticket_events",
    "companies": "companies",
    "contacts": "contacts",
    "agents": "agents",
    "conversations": "conversations",
    "satisfaction_ratings": "satisfaction_ratings",
}


class ExportNotFound(ValueError):
    pass


def _find(folder: Path, stems: tuple[str, ...]) -> Path | None:
    for stem in stems:
        for suffix in JSON_SUFFIXES:
            candidate = folder / f"{stem}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def layout(source: str, path: Path) -> Layout:
    """The files of an export at ``path``: a folder (or, for CSV, a tickets file). Refuses a path
    that holds no tickets, naming the files it looked for."""
    if source == "csv":
        if path.is_file():
            comments = path.with_name("comments.csv")
            return Layout(tickets=path, comments=(comments,) if comments.is_file() else (), base=path.parent)
        tickets = path / "tickets.csv"
        if not tickets.is_file():
            raise ExportNotFound(f"{path} has no tickets.csv.")
        comments = path / "comments.csv"
        return Layout(tickets=tickets, comments=(comments,) if comments.is_file() else (), base=path)
    names = NAMES[source]
    if path.is_file():
        return Layout(tickets=path, base=path.parent)
    if not path.is_dir():
        raise ExportNotFound(f"{path} does not exist.")
    found = _find(path, names["tickets"])
    if found is None:
        raise ExportNotFound(f"{path} has no tickets.json or tickets.jsonl.")
    parts = {key: _find(path, stems) for key, stems in names.items() if key not in {"tickets", "comments"}}
    kept_apart = tuple(p for stem in names["comments"] if (p := _find(path, (stem,))) is not None)
    return Layout(tickets=found, comments=kept_apart, base=path, **parts)


def records(path: Path) -> Iterator[dict[str, Any]]:
    """The records in a JSON file, one at a time, whatever its shape (see the module's doc)."""
    wrapper = WRAPPERS.get(path.stem.lower(), path.stem.lower())
    with path.open("rb") as handle:
        first = _first_byte(handle)
        if first == b"[":
            yield from (r for r in ijson.items(handle, "item", use_float=True) if isinstance(r, dict))
            return
        if first != b"{":
            if first:
                raise ValueError(f"{path.name} is not JSON: it starts with {first!r}.")
            return
        line = handle.readline()
        try:
            head = json.loads(line)
        except ValueError:
            head = None
        handle.seek(0)
        if isinstance(head, dict):  # JSON lines: each a record, or a page of records
            for number, text in enumerate(handle, 1):
                if not text.strip():
                    continue
                try:
                    value = json.loads(text)
                except ValueError:
                    raise ValueError(f"{path.name}, line {number}: not JSON.") from None
                yield from _unwrap(value, wrapper)
            return
        # One page, or pages one after another, laid out over many lines.
        yield from (
            r
            for r in ijson.items(handle, f"{wrapper}.item", multiple_values=True, use_float=True)
            if isinstance(r, dict)
        )


def _first_byte(handle: Any) -> bytes:
    while True:
        byte: bytes = handle.read(1)
        if not byte:
            return b""
        if byte == b"\xef":  # a UTF-8 byte order mark
            handle.read(2)
            continue
        if not byte.isspace():
            handle.seek(handle.tell() - 1)
            return byte


def _unwrap(value: Any, wrapper: str) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict) and isinstance(value.get(wrapper), list):
        yield from (r for r in value[wrapper] if isinstance(r, dict))
    elif isinstance(value, dict):
        yield value
    elif isinstance(value, list):
        yield from (r for r in value if isinstance(r, dict))


def csv_rows(path: Path) -> Iterator[dict[str, str]]:
    """The rows of a CSV file by heading (UTF-8, with or without a byte order mark)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def count_lines(path: Path) -> int | None:
    """How many tickets a JSON-lines file holds (for progress); None for other shapes."""
    with path.open("rb") as handle:
        first = _first_byte(handle)
        if first != b"{":
            return None
        line = handle.readline()
        try:
            head = json.loads(line)
        except ValueError:
            return None
        if not isinstance(head, dict) or "tickets" in head:
            return None
        return 1 + sum(1 for text in handle if text.strip())


# --- attachments ----------------------------------------------------------------------------------


class FileUnavailable(Exception):
    """An attachment that could not be read (missing, refused by the server, too big)."""


def local_file(base: Path | None, source_id: str, filename: str) -> Path | None:
    """An attachment saved beside the export: ``attachments/<id>/<name>``, ``attachments/<id>`` or
    ``attachments/<name>`` (the names a bulk download of a help desk's files uses). Never a path
    outside the folder, whatever the name says."""
    if base is None:
        return None
    folder = (base / "attachments").resolve()
    safe_name = Path(filename).name
    candidates = []
    if source_id:
        candidates += [folder / Path(source_id).name / safe_name, folder / Path(source_id).name]
    candidates.append(folder / safe_name)
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(folder):
            return resolved
    return None


def fetch_url(url: str, base: str) -> str:
    """Where to fetch ``url`` from: its path and query on the configured ``base`` (an address on
    the organisation's own network, or a copy of the files), never the address the export names,
    so nothing is fetched from the internet unless an operator said where."""
    parts = urllib.parse.urlsplit(url)
    target = base.rstrip("/") + (parts.path or "/")
    return f"{target}?{parts.query}" if parts.query else target


def fetch(url: str, *, base: str, limit: int, timeout: float = 30.0) -> bytes:
    """The bytes at ``url`` fetched through ``base``, at most ``limit`` of them."""
    address = fetch_url(url, base)
    if urllib.parse.urlsplit(address).scheme not in {"http", "https"}:
        raise FileUnavailable(f"{address} is not an http or https address.")
    request = urllib.request.Request(address, headers={"User-Agent": "Rapport import"})  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            content: bytes = response.read(limit + 1)
    except OSError as error:  # URLError and HTTPError are OSErrors
        raise FileUnavailable(f"{address}: {error}") from None
    if len(content) > limit:
        raise FileUnavailable(f"{address} is larger than {limit:,} bytes.")
    return content
