"""Background work for the knowledge base: articles whose cited rules changed are flagged for
review each hour, and deflections whose window has passed are decided."""

from __future__ import annotations

from huey import crontab

from rapport.knowledge import services
from rapport.platform.periodic import HOUR, periodic_job


@periodic_job(crontab(minute="20"), every=HOUR)
def flag_articles_citing_changed_rules() -> int:
    return services.flag_changed_rules()


@periodic_job(crontab(minute="40"), every=HOUR)
def decide_deflections() -> dict[str, int]:
    return services.deflections_decide()
