from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "rapport.web"
    label = "web"

    def ready(self) -> None:
        from rapport import access, extensions
        from rapport.platform import jobs
        from rapport.web import exports, tasks

        # Large exports are written by the worker, asked for by name (ADR 0031).
        jobs.register(exports.RUN_JOB, tasks.export_run)

        # Managers read the history of settings on the desk (ADR 0011).
        changes = extensions.NavItem(
            "Setting changes", "setting_changes", "settings", access.can_read_settings_history, order=95
        )
        if changes not in extensions.nav_items:
            extensions.nav_items.append(changes)
