"""``rapport backup`` and ``rapport restore``: a round trip through the real command, in processes of
its own, comparing every table's row count and every stored file; a person erased after the backup
stays erased after the restore (ADR 0032, docs/operations.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
RAPPORT = [sys.executable, "-m", "rapport.cli"]


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def _state(env: dict[str, str]) -> dict:
    return json.loads(_run(env, sys.executable, "-m", "tests.ops.backup_steps", "state").stdout)


@pytest.fixture
def desk_env(tmp_path):
    """A desk of its own: a SQLite file (or, when the suite runs on PostgreSQL, a database of its
    own beside the suite's) and an upload folder, jobs run in-process."""
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("RAPPORT_", "DJANGO_"))},
        "RAPPORT_ENV": "test",
        "RAPPORT_DATA_DIR": str(tmp_path / "desk"),
        "PYTHONPATH": str(ROOT),
    }
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        name = f"{db['NAME']}_backup_round_trip"
        pg = {"PGHOST": db["HOST"] or "127.0.0.1", "PGPORT": str(db["PORT"] or 5432), "PGUSER": db["USER"]}
        if db["PASSWORD"]:
            pg["PGPASSWORD"] = db["PASSWORD"]
        subprocess.run(["dropdb", "--if-exists", name], env={**os.environ, **pg}, check=True)  # noqa: S603, S607
        subprocess.run(["createdb", name], env={**os.environ, **pg}, check=True)  # noqa: S603, S607
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{pg['PGHOST']}:{pg['PGPORT']}/{name}"
        yield env
        subprocess.run(["dropdb", "--if-exists", name], env={**os.environ, **pg}, check=False)  # noqa: S603, S607
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'desk' / 'rapport.sqlite3'}"
        yield env


def _round_trip(env: dict[str, str], tmp_path: Path) -> None:
    # given a desk with cases, files and one erased person
    _run(env, *RAPPORT, "migrate")
    _run(env, sys.executable, "-m", "tests.ops.backup_steps", "populate")
    taken = _state(env)
    assert len(taken["files"]) == 3  # four people's files, less the erased person's
    assert len(taken["erased"]) == 1

    # when it is backed up
    backup = tmp_path / "backup-2026-11-02"
    said = _run(env, *RAPPORT, "backup", str(backup)).stdout
    assert "Backup of" in said
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"] == taken["tables"]
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == taken["files"]
    assert [entry["customer"] for entry in json.loads((backup / "erasures.json").read_text())] == taken["erased"]

    # and the desk goes on: a new case with a file, a second person erased
    _run(env, sys.executable, "-m", "tests.ops.backup_steps", "change")
    changed = _state(env)
    assert changed["tables"] != taken["tables"]
    assert len(changed["files"]) == 3  # one more, and the second erased person's gone
    assert changed["files"] != taken["files"]
    second = next(pk for pk in changed["erased"] if pk not in taken["erased"])

    # then a restore without --yes refuses, saying why
    refused = subprocess.run([*RAPPORT, "restore", str(backup)], env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    assert refused.returncode == 2
    assert "--yes" in refused.stderr

    # when the backup is restored
    said = _run(env, *RAPPORT, "restore", str(backup), "--yes").stdout

    # then the files are the backup's (the newer one is gone) less the files of the person erased
    # after the backup, who is erased again; every table's count is as taken but for that erasure
    restored = _state(env)
    assert restored["files"] == {name: sha for name, sha in taken["files"].items() if name in changed["files"]}
    assert "every table's row count matches" in said
    assert "Erased again after the restore: 1" in said
    assert restored["erased"] == sorted([*taken["erased"], second])
    expected = dict(taken["tables"], privacy_erasure=taken["tables"]["privacy_erasure"] + 1)
    differing = {t: (expected[t], n) for t, n in restored["tables"].items() if expected.get(t) != n}
    # erasing again writes its own trail (the case events and search rows it rewrote)
    assert set(differing) <= {"privacy_erasure", "cases_caseevent", "cases_searchdocument", "privacy_accesslog"}, (
        differing
    )
    assert restored["tables"]["privacy_erasure"] == expected["privacy_erasure"]


def test_a_backup_restores_the_database_and_files_and_keeps_the_erased_erased(desk_env, tmp_path):
    _round_trip(desk_env, tmp_path)


def test_a_backup_of_a_desk_whose_files_are_in_an_s3_bucket(desk_env, tmp_path, s3_endpoint):
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="eu-west-2",
        aws_access_key_id="rapport-test", aws_secret_access_key="rapport-test-secret",
    )  # fmt: skip
    bucket = "rapport-backup-test"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    desk_env.update(
        RAPPORT_STORAGE_URL=f"s3://{bucket}/desk?endpoint={s3_endpoint}&region=eu-west-2",
        AWS_ACCESS_KEY_ID="rapport-test",
        AWS_SECRET_ACCESS_KEY="rapport-test-secret",
    )
    _round_trip(desk_env, tmp_path)

    assert not (tmp_path / "desk" / "uploads").exists()  # every file went to the bucket
