"""`rapport feedback ...` on the command line."""

from __future__ import annotations

import pytest

from rapport.cli import main
from rapport.feedback.models import CaseFact, DailyRollup, Order


@pytest.mark.django_db(transaction=True)
def test_rollup_and_import_orders(case, tmp_path, capsys):
    assert main(["feedback", "rollup"]) == 0
    assert CaseFact.objects.count() == 1
    assert DailyRollup.objects.filter(created=1).count() == 1
    orders = tmp_path / "orders.csv"
    orders.write_text("customer_email,reference,placed_at,amount\nALICE@example.com,Z-1,2026-02-01,12.00\n")
    assert main(["feedback", "import-orders", str(orders)]) == 0
    assert Order.objects.get().amount_pence == 1200
    assert "1 order added" in capsys.readouterr().out
    assert main(["feedback", "import-orders", str(tmp_path / "missing.csv")]) != 0
