from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "rapport.cases"
    label = "cases"

    def ready(self) -> None:
        from rapport.cases import bulk, counts, tasks
        from rapport.cases.journal import DELIVER_JOB
        from rapport.platform import jobs

        # The journal queues deliveries by name: it must not import the tasks that call it back.
        jobs.register(DELIVER_JOB, tasks.journal_deliver)
        # Queue counts are refreshed off the request, by name, for the same reason.
        jobs.register(counts.REFRESH_JOB, tasks.queue_count_refresh)
        bulk.register()
