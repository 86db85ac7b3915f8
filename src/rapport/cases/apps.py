from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "rapport.cases"
    label = "cases"

    def ready(self) -> None:
        from rapport import extensions
        from rapport.cases import bulk, counts, demo, personal_data, tasks
        from rapport.cases.journal import DELIVER_JOB
        from rapport.cases.previews import PREVIEW_JOB
        from rapport.platform import jobs

        # The journal queues deliveries by name: it must not import the tasks that call it back.
        jobs.register(DELIVER_JOB, tasks.journal_deliver)
        # Queue counts are refreshed off the request, by name, for the same reason.
        jobs.register(counts.REFRESH_JOB, tasks.queue_count_refresh)
        bulk.register()
        jobs.register(PREVIEW_JOB, tasks.attachment_preview)
        # CC addresses are personal data: in subject access bundles and erasure (``personal_data``).
        if personal_data.cc_section not in extensions.subject_access_sections:
            extensions.subject_access_sections.append(personal_data.cc_section)
            extensions.erasure_handlers.append(personal_data.cc_erase)
            extensions.demo_seeders.append(demo.seed_demo)
