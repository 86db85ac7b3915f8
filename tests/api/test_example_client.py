"""The example client in examples/ works against a real Rapport server on 127.0.0.1: it pages with
the cursor, syncs by time, saves an export (streamed or through a job) and reads the one error shape."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from rapport.accounts.services import token_create
from rapport.customers.models import Customer

from ..conftest import make_user


def load_client():
    path = Path(__file__).resolve().parents[2] / "examples" / "rapport_client.py"
    spec = importlib.util.spec_from_file_location("rapport_client", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client_module():
    return load_client()


@pytest.mark.django_db(transaction=True)
def test_the_example_client_pages_exports_and_reads_errors(live_server, client_module, tmp_path, now):
    manager = make_user("manager@example.com", "manager")
    token = token_create(user=manager)[1]
    Customer.objects.bulk_create(
        [Customer(name=f"Customer {i:03}", created_at=now, updated_at=now) for i in range(205)]
    )
    api = client_module.Client(live_server.url, token)

    names = [c["name"] for c in api.pages("/customers")]
    written = api.export("customers", "csv", tmp_path / "customers.csv")
    with pytest.raises(client_module.RapportError) as refused:
        api.call("GET", "/customers", {"updated_since": "yesterday"})

    assert len(names) == 205  # two pages, each customer once, in order
    assert names == sorted(names)
    assert written > 0
    assert (tmp_path / "customers.csv").read_text().count("\n") == 206
    assert refused.value.status == 422
    assert refused.value.body["errors"][0]["field"] == "updated_since"
