"""Every write of the feedback app: survey invitations and answers, follow-ups, orders and tiers.

Surveys follow domain.md §6: CSAT and CES after resolution, NPS on a schedule, RATER on request.
A survey link is signed (django.core.signing) and names one invitation; it needs no sign-in and
takes one answer. Nothing is sent without ``contact_permitted(customer, "survey", "email")``.

One module per concern; callers use this package (``services.survey_answer``):
- ``links``: signed survey links;
- ``invitations``: who is asked what, and when;
- ``sending``: the emails, and the sweep that sends, reminds and expires;
- ``answers``: the one answer an invitation takes;
- ``follow_ups``: opened on a low score, closed with what was done;
- ``value``: orders, lifetime value, loyalty tiers and staff measures.
"""

from rapport.feedback.services.answers import (
    ALREADY_ANSWERED,
    COMMENT_TOO_LONG,
    EXPIRED,
    MAX_COMMENT,
    SCORE_RANGE,
    SCORE_REQUIRED,
    RaterScores,
    survey_answer,
)
from rapport.feedback.services.follow_ups import FOLLOW_UP_DONE, OUTCOME_REQUIRED, follow_up_close
from rapport.feedback.services.invitations import (
    RATER_NOT_ALLOWED,
    invitations_after_resolution,
    nps_invitations_create,
    rater_campaign_send,
    rater_invite,
    resolved_now,
)
from rapport.feedback.services.links import LINK_INVALID, SALT, invitation_from_token, survey_token, survey_url
from rapport.feedback.services.sending import DISPATCH_NOW_JOB, QUESTIONS, invitation_send, invitations_dispatch
from rapport.feedback.services.value import (
    CSV_COLUMNS,
    ONLY_MANAGERS,
    ImportResult,
    customer_lifetime_values,
    order_record,
    orders_import,
    orders_import_csv,
    staff_measure_record,
    tiers_apply,
)

__all__ = [
    "ALREADY_ANSWERED",
    "COMMENT_TOO_LONG",
    "CSV_COLUMNS",
    "DISPATCH_NOW_JOB",
    "EXPIRED",
    "FOLLOW_UP_DONE",
    "LINK_INVALID",
    "MAX_COMMENT",
    "ONLY_MANAGERS",
    "OUTCOME_REQUIRED",
    "QUESTIONS",
    "RATER_NOT_ALLOWED",
    "SALT",
    "SCORE_RANGE",
    "SCORE_REQUIRED",
    "ImportResult",
    "RaterScores",
    "customer_lifetime_values",
    "follow_up_close",
    "invitation_from_token",
    "invitation_send",
    "invitations_after_resolution",
    "invitations_dispatch",
    "nps_invitations_create",
    "order_record",
    "orders_import",
    "orders_import_csv",
    "rater_campaign_send",
    "rater_invite",
    "resolved_now",
    "staff_measure_record",
    "survey_answer",
    "survey_token",
    "survey_url",
    "tiers_apply",
]
