"""The KPIs over a million cases: which cases were reopened is read from the small partial index of
reopening events (``CaseEvent.Meta.indexes``), not from every event of every case in the period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from rapport.cases.models import Case, reopened
from rapport.improvement import catalogue

pytestmark = pytest.mark.django_db


def test_the_reopen_lookup_reads_the_partial_index_of_reopenings(now):
    scope = catalogue.scope("service", "", now - timedelta(days=28), now)
    sql, params = Case.objects.filter(catalogue._created(scope), reopened()).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
    assert "event_case_reopened" in plan
