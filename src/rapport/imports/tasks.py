from __future__ import annotations

from huey.contrib.djhuey import db_task  # type: ignore[import-untyped]


@db_task()
def run_task(run_id: int) -> str:
    from rapport.imports import services

    return services.run_job(run_id)
