from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "rapport.cases"
    label = "cases"

    def ready(self) -> None:
        from rapport.cases import tasks
        from rapport.cases.journal import DELIVER_JOB
        from rapport.cases.previews import PREVIEW_JOB
        from rapport.platform import jobs

        # The journal queues deliveries by name: it must not import the tasks that call it back.
        jobs.register(DELIVER_JOB, tasks.journal_deliver)
        jobs.register(PREVIEW_JOB, tasks.attachment_preview)
