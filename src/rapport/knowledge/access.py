"""Who may read and do what in the knowledge base.

- Anyone, signed in or not, reads published public articles (the help centre needs no sign-in).
- Staff read every article, drafts and internal ones included; customers and visitors never see
  an internal article, or a draft, on any path (page, API, search, suggestion, PDF, plain text):
  every read goes through ``readable`` or ``access_article``, which answer a missing article and
  one the reader may not see alike.
- Any member of staff writes articles and submits them for review; approvers (team leaders,
  managers, admins) publish public ones, never their own change (``domain.knowledge``).
- Managers and admins see every owner's overdue reviews and the gaps; an owner sees their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rapport.access import is_staff
from rapport.accounts.models import Role, User
from rapport.knowledge.models import Article, Audience
from rapport.platform.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

NO_ARTICLE = "No article with that id."
APPROVERS = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.ADMIN})
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def sees_internal(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def public_articles() -> Q:
    """Articles whose published version is public (a draft making an internal article public is
    not public until it is approved)."""
    return Q(live__audience=Audience.PUBLIC)


def readable(actor: User | AnonymousUser) -> QuerySet[Article]:
    """The articles ``actor`` may read: all for staff, published public ones for anyone else."""
    articles = Article.objects.all()
    return articles if sees_internal(actor) else articles.filter(public_articles())


def access_article(actor: User | AnonymousUser, article_id: int | str) -> Article:
    try:
        pk = int(article_id)
    except (TypeError, ValueError):
        raise NotFound(NO_ARTICLE) from None
    article = readable(actor).select_related("section__category", "owner", "live").filter(pk=pk).first()
    if article is None:
        raise NotFound(NO_ARTICLE)
    return article


def can_write(actor: User | AnonymousUser) -> bool:
    return is_staff(actor)


def may_approve(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", None) in APPROVERS


def is_manager(actor: User | AnonymousUser) -> bool:
    return is_staff(actor) and getattr(actor, "role", None) in MANAGERS


def can_see_gaps(actor: User | AnonymousUser) -> bool:
    """Owners see the gaps in their own articles; approvers see them all."""
    return is_staff(actor)
