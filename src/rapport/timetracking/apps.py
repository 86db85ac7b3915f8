from django.apps import AppConfig


class TimeTrackingConfig(AppConfig):
    name = "rapport.timetracking"
    label = "timetracking"
    verbose_name = "Time tracking"

    def ready(self) -> None:
        from rapport.timetracking import events, hooks  # noqa: F401 - events registers its kinds

        hooks.register()
