"""Reads for the automation pages and API: the rules in order, a rule's versions, its firings."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from rapport.accounts.models import User
from rapport.automation import access as policy
from rapport.automation.models import AutomationRule, AutomationRuleVersion, RuleFiring

PAGE_SIZE = 50


def rules_list(actor: User) -> QuerySet[AutomationRule]:
    """Every automation rule, in the order they run (event rules and time rules each in position
    order); nothing for those who may not read them."""
    if not policy.can_read_rules(actor):
        return AutomationRule.objects.none()
    return AutomationRule.objects.order_by("trigger", "position", "id")


def versions_of(rule: AutomationRule) -> QuerySet[AutomationRuleVersion]:
    return rule.versions.select_related("saved_by").order_by("-version")


def firings_page(rule: AutomationRule, *, page: int = 1) -> Page[RuleFiring]:
    """A rule's firings, newest first, 50 a page, each with its case (one query for the page)."""
    firings = RuleFiring.objects.filter(rule=rule).select_related("case").order_by("-at", "-id")
    return Paginator(firings, PAGE_SIZE).get_page(page)
