"""The API's spelt-out choices are exactly the domain's, so the spec cannot drift from the rules."""

from __future__ import annotations

from typing import get_args

import pytest

from rapport.cases import schemas as case_schemas
from rapport.cases.models import MessageKind
from rapport.cases.selectors import QUEUES, SORT_NAMES
from rapport.customers import schemas as customer_schemas
from rapport.customers.models import CustomerKind
from rapport.domain import languages
from rapport.domain.case_rules import CaseType, Channel, Priority, Status


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        (case_schemas.CaseTypeName, [t.value for t in CaseType]),
        (case_schemas.StatusName, [s.value for s in Status]),
        (case_schemas.PriorityLabel, [p.label for p in Priority]),
        (case_schemas.ChannelName, [c.value for c in Channel]),
        (case_schemas.MessageKindName, list(MessageKind.values)),
        (case_schemas.QueueName, list(QUEUES)),
        (case_schemas.SortName, list(SORT_NAMES)),
        (customer_schemas.ChannelName, [c.value for c in Channel]),
        (customer_schemas.CustomerKindName, list(CustomerKind.values)),
        (customer_schemas.LanguageCode, list(languages.CODES_IN_ORDER)),
    ],
)
def test_api_choices_match_the_domain(choices, expected):
    assert list(get_args(choices)) == expected
