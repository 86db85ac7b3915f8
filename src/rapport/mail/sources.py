"""Reading mail from files without holding the whole file: one ``.eml``, an mbox, or a Maildir.

The mbox reader streams line by line (mboxo/mboxrd: a line starting "From " after a blank line
starts a message; ">From " quoting is undone), so memory is bounded by the largest message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

_QUOTED_FROM = re.compile(rb"^>(>*From )")


def _mbox(path: Path) -> Iterator[tuple[str, bytes]]:
    lines: list[bytes] = []
    number = 0
    previous_blank = True
    with path.open("rb") as handle:
        for line in handle:
            if line.startswith(b"From ") and previous_blank:
                if lines:
                    number += 1
                    yield f"{path.name}#{number}", _message(lines)
                lines = []
                previous_blank = False
                continue
            previous_blank = line in (b"\n", b"\r\n")
            lines.append(_QUOTED_FROM.sub(rb"\1", line) if line.startswith(b">") else line)
    if lines:
        number += 1
        yield f"{path.name}#{number}", _message(lines)


def _message(lines: list[bytes]) -> bytes:
    # The blank line before the next "From " separator belongs to the mbox, not to the message.
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]
    return b"".join(lines)


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
