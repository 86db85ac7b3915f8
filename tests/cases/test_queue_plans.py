"""The active queues read the partial indexes of active cases (``Case.Meta.indexes``): a page of
"oldest first" must not walk the closed cases that make up most of a desk's history."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.cases.selectors import QueueFilter, case_queue

# (filters, the index the page's query must use)
ACTIVE_QUEUES = [
    ({"priority": ["urgent"], "sort": ["oldest"]}, "case_active_priority"),
    ({"type": ["complaint"], "sort": ["oldest"]}, "case_active_type"),
    ({"channel": ["phone"], "sort": ["oldest"]}, "case_active_channel"),
    ({"sort": ["oldest"]}, "case_active_updated"),
    ({"sort": ["created"]}, "case_active_created"),
    ({"queue": ["breaching"]}, "case_active_breach"),
]


def _page_query(actor, params) -> str:
    with CaptureQueriesContext(connection) as ctx:
        case_queue(actor, QueueFilter.from_params(params), cursor=None, size=25)
    return next(q["sql"] for q in ctx.captured_queries if '"cases_case"' in q["sql"] and "LIMIT" in q["sql"])


@pytest.mark.parametrize(("params", "index"), ACTIVE_QUEUES)
def test_an_active_queue_reads_its_partial_index_in_order(manager, case, params, index):
    sql = _page_query(manager, params)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert f"USING INDEX {index}" in plan
            assert "TEMP B-TREE" not in plan  # the index gives the order: no sort of every match
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert index in plan
