"""File names inside the subject-access zip are safe to unpack on any system."""

from __future__ import annotations

import io
import json
import zipfile

from rapport.cases.services import Upload, case_create
from rapport.privacy.exports import customer_export


def test_a_file_name_with_markup_characters_is_made_safe_inside_the_zip(agent, team_leader, customer, team, now):
    # given a file whose name (as mail or an upload may bring it) holds < > and "
    case_create(
        actor=agent, customer=customer, subject="Bill", body="Attached.", channel="email", team=team,
        attachments=[Upload('<b>"bill".txt', b"Amount due")], now=now,
    )  # fmt: skip

    bundle = customer_export(actor=team_leader, customer_id=customer.pk, why="access request", now=now)

    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    [stored] = [name for name in archive.namelist() if name.startswith("files/")]
    assert stored.endswith("-_b__bill_.txt")
    assert not set('<>"') & set(stored)
    assert archive.read(stored) == b"Amount due"
    cases = json.loads(archive.read("data.json"))["cases"]
    [listed] = [a for c in cases for m in c["messages"] for a in m["attachments"]]
    assert listed["file"] == stored
    assert listed["filename"] == '<b>"bill".txt'  # the name as the person knows it stays in the data
