"""Reading mail from files without holding the whole file: one ``.eml``, an mbox, or a Maildir.

The mbox reader streams a megabyte at a time, so memory is bounded by the largest message, not
the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

_QUOTED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_SEPARATOR = re.compile(rb"\n\r?\nFrom ")
_CHUNK = 1 << 20


def _mbox(path: Path) -> Iterator[tuple[str, bytes]]:
    """Messages of an mbox, read a megabyte at a time: a "From " line after a blank line starts the
    next message (mboxo/mboxrd), and ">From " quoting inside messages is undone."""
    number = 0
    with path.open("rb") as handle:
        handle.readline()  # the first "From " separator line
        buffer = b""
        searched = 0
        while True:
            chunk = handle.read(_CHUNK)
            buffer += chunk
            while True:
                match = _SEPARATOR.search(buffer, max(searched - 8, 0))
                if match is None:
                    searched = len(buffer)
                    break
                number += 1
                yield f"{path.name}#{number}", _unquote(buffer[: match.start() + 1])
                next_line = buffer.find(b"\n", match.end())
                if next_line < 0:  # the separator line itself is cut by the chunk: read more
                    more = handle.readline()
                    buffer += more
                    next_line = buffer.find(b"\n", match.end())
                    next_line = len(buffer) - 1 if next_line < 0 else next_line
                buffer = buffer[next_line + 1 :]
                searched = 0
            if not chunk:
                break
        rest = buffer.rstrip(b"\r\n")
        if rest:
            number += 1
            yield f"{path.name}#{number}", _unquote(rest + b"\n")


def _unquote(message: bytes) -> bytes:
    return _QUOTED_FROM.sub(rb"\1", message) if b">From " in message else message


def _maildir(path: Path) -> Iterator[tuple[str, bytes]]:
    for sub in ("new", "cur"):
        folder = path / sub
        if not folder.is_dir():
            continue
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.is_file() and not e.name.startswith("."))
        for name in names:
            yield f"{sub}/{name}", (folder / name).read_bytes()


def is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def read_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    """(source label, raw bytes) for each message at ``path``."""
    if path.is_dir():
        if not any((path / sub).is_dir() for sub in ("new", "cur")):
            raise ValueError(f"{path} is a folder but not a Maildir (no new/ or cur/).")
        yield from _maildir(path)
    elif is_mbox(path):
        yield from _mbox(path)
    else:
        yield path.name, path.read_bytes()


def count_messages(path: Path) -> int:
    """How many messages ``read_messages`` will give, found by a quick pass (separators only, a
    megabyte at a time), so that a long import can say how far it has got and how long is left."""
    if path.is_dir():
        folders = [path / sub for sub in ("new", "cur") if (path / sub).is_dir()]
        return sum(1 for folder in folders for e in os.scandir(folder) if e.is_file() and not e.name.startswith("."))
    if not is_mbox(path):
        return 1
    found = 0
    carry = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            buffer = carry + chunk
            found += len(_SEPARATOR.findall(buffer))
            carry = buffer[-8:]  # a separator cut by the chunk boundary is found once, in the next
            if _SEPARATOR.search(carry):
                found -= 1  # … unless it lies wholly in the carried tail, already counted
    return found + 1
