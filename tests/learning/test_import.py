"""Importing study units: exactly, idempotently, all or nothing, from the service and the CLI."""

from __future__ import annotations

import pytest

from rapport.cli import main
from rapport.learning.demo import DEMO_UNIT
from rapport.learning.models import Concept, MarkingPoint, Misconception, Tip, Unit
from rapport.learning.services import Document, units_import
from rapport.platform.errors import FieldError
from tests.domain.test_curriculum import count_independently
from tests.learning.seeds import SEED_FILES, needs_seeds

pytestmark = pytest.mark.django_db


def documents() -> list[Document]:
    return [Document(p.name, p.read_text(encoding="utf-8")) for p in SEED_FILES]


@needs_seeds
def test_all_five_documents_import_every_section_and_bullet(now):
    imported = units_import(documents=documents(), now=now)

    assert [i.created for i in imported] == [True] * 5
    for path, item in zip(SEED_FILES, imported, strict=True):
        raw = count_independently(path.read_text(encoding="utf-8"))
        unit = item.unit
        assert unit.source_name == path.name
        assert unit.synopsis == path.read_text(encoding="utf-8").splitlines()[2]
        assert unit.concepts.count() == len(raw["Key Concepts & Core Principles"])
        assert [t.text for t in unit.tips.all()] == raw["Exam Tips & Revision Strategies"]
        assert [m.text for m in unit.misconceptions.all()] == raw["Common Misconceptions & Mistakes to Avoid"]
        assert [p.text for p in unit.marking_points.all()] == raw["Examiner Marking Points"]
        assert all(m.correction for m in unit.misconceptions.all())


@needs_seeds
def test_reimporting_the_same_files_updates_and_never_duplicates(now):
    first = units_import(documents=documents(), now=now)
    point_ids = list(MarkingPoint.objects.order_by("id").values_list("id", flat=True))

    again = units_import(documents=documents(), now=now)

    assert [i.created for i in again] == [False] * 5
    assert [i.unit.pk for i in again] == [i.unit.pk for i in first]
    assert Unit.objects.count() == 5
    assert list(MarkingPoint.objects.order_by("id").values_list("id", flat=True)) == point_ids
    assert Concept.objects.count() == 25
    assert Tip.objects.count() == 24
    assert Misconception.objects.count() == 22
    assert MarkingPoint.objects.count() == 24


def test_a_unit_with_an_explicit_code_is_updated_in_place_when_its_text_changes(now):
    text = DEMO_UNIT.read_text(encoding="utf-8")
    first = units_import(documents=[Document("unit.txt", text, code="CS-1")], now=now)[0].unit
    points = list(first.marking_points.values_list("id", flat=True))
    edited = text.replace("- Award credit for showing how complaint logs are used to improve the service.\n", "")

    again = units_import(documents=[Document("unit-v2.txt", edited, code="CS-1")], now=now)[0]

    assert again.created is False
    assert again.unit.pk == first.pk
    assert list(again.unit.marking_points.values_list("id", flat=True)) == points[:2]
    assert Unit.objects.count() == 1


def test_an_admin_correction_survives_reimport(now):
    text = DEMO_UNIT.read_text(encoding="utf-8")
    unit = units_import(documents=[Document("unit.txt", text)], now=now)[0].unit
    unit.misconceptions.filter(position=1).update(correction="An apology is the start, not the remedy.")

    units_import(documents=[Document("unit.txt", text)], now=now)

    assert unit.misconceptions.get(position=1).correction == "An apology is the start, not the remedy."


def test_a_malformed_document_is_refused_and_nothing_is_imported(now):
    good = DEMO_UNIT.read_text(encoding="utf-8")
    bad = good.replace("- Use a real complaint", "Use a real complaint")

    with pytest.raises(FieldError) as refused:
        units_import(documents=[Document("good.txt", good), Document("bad.txt", bad)], now=now)

    assert refused.value.errors["document"] == [
        'bad.txt: line 9: expected a bullet starting "- " under "Exam Tips & Revision Strategies" or the heading '
        '"Common Misconceptions & Mistakes to Avoid" '
        'but found "Use a real complaint from your own work and walk through…"'
    ]
    assert Unit.objects.count() == 0
    assert MarkingPoint.objects.count() == 0


def test_the_command_imports_a_folder_and_reports_what_it_did(tmp_path, capsys):
    (tmp_path / "unit.txt").write_text(DEMO_UNIT.read_text(encoding="utf-8"), encoding="utf-8")

    assert main(["learning", "import", str(tmp_path)]) == 0
    assert main(["learning", "import", str(tmp_path / "unit.txt")]) == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "imported unit.txt: 3 concepts, 1 tip, 2 misconceptions, 3 marking points"
    assert out[1].startswith("updated  unit.txt")
    assert Unit.objects.count() == 1


def test_the_command_refuses_a_malformed_document_in_one_line(tmp_path, capsys):
    (tmp_path / "unit.txt").write_text("Just a title\nTopic Synopsis\n", encoding="utf-8")

    assert main(["learning", "import", str(tmp_path / "unit.txt")]) == 2

    err = capsys.readouterr().err.strip()
    assert err.endswith("unit.txt: line 3: expected the synopsis text but the document ended (nothing imported)")
    assert "\n" not in err
    assert Unit.objects.count() == 0


def test_the_command_refuses_a_missing_path(tmp_path, capsys):
    assert main(["learning", "import", str(tmp_path / "nope.txt")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_the_demo_imports_the_documents_when_present_or_its_own_unit(now, team_leader, agent, monkeypatch, tmp_path):
    from rapport.learning.demo import seed
    from rapport.learning.models import Answer, Question

    monkeypatch.setenv("RAPPORT_SEEDS_DIR", str(tmp_path / "absent"))
    seed(now=now)
    seed(now=now)  # a second run adds nothing

    assert list(Unit.objects.values_list("code", flat=True)) == ["demo"]
    assert Question.objects.count() == 1
    assert Answer.objects.get().learner == agent


def test_a_worded_correction_follows_the_misconception_when_its_text_changes(now):
    text = DEMO_UNIT.read_text(encoding="utf-8")
    units_import(documents=[Document("unit.txt", text, code="CS-1")], now=now)
    edited = text.replace(
        "Assuming that an apology alone resolves a complaint.", "Assuming that refunds fix everything."
    )

    unit = units_import(documents=[Document("unit.txt", edited, code="CS-1")], now=now)[0].unit

    assert unit.misconceptions.get(position=1).correction == "Do not assume that refunds fix everything."


def test_a_code_given_later_is_taken_by_the_unit_imported_without_one(now):
    text = DEMO_UNIT.read_text(encoding="utf-8")
    first = units_import(documents=[Document("unit.txt", text)], now=now)[0].unit

    again = units_import(documents=[Document("unit.txt", text, code="CS-1")], now=now)[0]

    assert (again.created, again.unit.pk, again.unit.code) == (False, first.pk, "CS-1")


def test_a_text_already_imported_under_another_code_is_refused(now):
    text = DEMO_UNIT.read_text(encoding="utf-8")
    units_import(documents=[Document("unit.txt", text, code="CS-1")], now=now)

    with pytest.raises(FieldError) as refused:
        units_import(documents=[Document("copy.txt", text, code="CS-2")], now=now)

    assert refused.value.errors["document"] == ["copy.txt: this text is already imported as another unit (CS-1)."]
    assert list(Unit.objects.values_list("code", flat=True)) == ["CS-1"]
