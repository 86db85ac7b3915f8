"""The one permission policy and the gates every page, API handler, export and email load
protected rows through (ADR 0010).

- ``policy``: who may see and do what in the core, and the scopes that bound every query;
- ``gates``: ``access_case``, ``access_customer``, ``access_attachment``: the same ``NotFound``
  for missing and forbidden rows, and a staff read of a person's data logged inside the gate;
- ``log``: the core side of the access log; the privacy app registers where it is kept.

Capabilities write their own rules in ``rapport/<capability>/access.py`` on these predicates.
"""

from rapport.access.gates import (
    CUSTOMER_RECORD,
    NO_ATTACHMENT,
    NO_CASE,
    NO_CUSTOMER,
    VIA_API,
    access_attachment,
    access_case,
    access_customer,
)
from rapport.access.log import Access, accessed
from rapport.access.policy import (
    CUSTOMER_CASE_FIELDS,
    CUSTOMER_CASE_FILTERS,
    CUSTOMER_RECORD_FIELDS,
    actor_customer_id,
    actor_team_ids,
    audience_of,
    can_administer_people,
    can_change_view,
    can_export_lists,
    can_manage_customers,
    can_read_settings_history,
    can_reply_as_customer,
    can_see_internal,
    can_share_views,
    can_work_case,
    case_scope,
    is_staff,
    permissions_of,
    require_staff,
    require_work,
    sees_all_cases,
    visible_cases,
    visible_customers,
    visible_messages,
)

__all__ = [
    "CUSTOMER_CASE_FIELDS",
    "CUSTOMER_CASE_FILTERS",
    "CUSTOMER_RECORD",
    "CUSTOMER_RECORD_FIELDS",
    "NO_ATTACHMENT",
    "NO_CASE",
    "NO_CUSTOMER",
    "VIA_API",
    "Access",
    "access_attachment",
    "access_case",
    "access_customer",
    "accessed",
    "actor_customer_id",
    "actor_team_ids",
    "audience_of",
    "can_administer_people",
    "can_change_view",
    "can_export_lists",
    "can_manage_customers",
    "can_read_settings_history",
    "can_reply_as_customer",
    "can_see_internal",
    "can_share_views",
    "can_work_case",
    "case_scope",
    "is_staff",
    "permissions_of",
    "require_staff",
    "require_work",
    "sees_all_cases",
    "visible_cases",
    "visible_customers",
    "visible_messages",
]
