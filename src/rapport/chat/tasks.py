"""Live chat's jobs: the first-answer check, scheduled for the instant each chat's target falls due,
so a breach is recorded when it happens (not by a periodic sweep)."""

from __future__ import annotations

from datetime import datetime

from huey.contrib.djhuey import HUEY, db_task  # type: ignore[import-untyped]


@db_task()
def first_answer_check_task(chat_id: int) -> bool:
    from django.utils import timezone

    from rapport.chat import services

    return services.first_answer_check(chat_id=chat_id, now=timezone.now())


def first_answer_watch(chat_id: int) -> None:
    """Schedule the check at the chat's due instant (run now when jobs run in-process)."""
    from rapport.chat.models import Chat

    due: datetime | None = Chat.objects.filter(pk=chat_id).values_list("first_answer_due", flat=True).first()
    if due is None:
        return
    if HUEY.immediate:
        first_answer_check_task(chat_id)
        return
    first_answer_check_task.schedule(args=(chat_id,), eta=due)
