"""``rapport learning import PATH...``: import study-unit documents (all or none)."""

from __future__ import annotations

import argparse

from rapport.platform.words import count


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    learning = subparsers.add_parser("learning", help="staff learning: study units")
    actions = learning.add_subparsers(dest="learning_command", required=True)
    importer = actions.add_parser(
        "import",
        help="import study-unit documents; a unit already imported is updated, never duplicated",
    )
    importer.add_argument("paths", nargs="+", metavar="PATH", help="a document (.txt) or a folder of them")
    importer.add_argument(
        "--code", help="an explicit code for the unit (one document only): keeps its identity across edits"
    )
    importer.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from rapport.cli import UserError
    from rapport.learning.services import units_import
    from rapport.learning.sources import read_document
    from rapport.platform.errors import FieldError

    files: list[Path] = []
    for given in args.paths:
        path = Path(given)
        if path.is_dir():
            files.extend(sorted(path.glob("*.txt")))
        elif path.is_file():
            files.append(path)
        else:
            raise UserError(f"{given}: no such file or folder")
    if not files:
        raise UserError("no .txt documents found in the folders given")
    if args.code and len(files) != 1:
        raise UserError("--code names one unit: give exactly one document with it")
    try:
        documents = [read_document(path, code=args.code) for path in files]
    except UnicodeDecodeError as error:
        raise UserError(f"a document is not UTF-8 text ({error.reason})") from None
    try:
        imported = units_import(documents=documents)
    except FieldError as error:
        reasons = "; ".join(m for messages in error.errors.values() for m in messages)
        raise UserError(f"{reasons} (nothing imported)") from None
    for item in imported:
        counts = (
            f"{count(item.unit.concepts.count(), 'concept')}, {count(item.unit.tips.count(), 'tip')}, "
            f"{count(item.unit.misconceptions.count(), 'misconception')}, "
            f"{count(item.unit.marking_points.count(), 'marking point')}"
        )
        print(f"{'imported' if item.created else 'updated '} {item.source_name}: {counts}")
    return 0
