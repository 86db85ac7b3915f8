from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "rapport.workforce"
    label = "workforce"
    verbose_name = "Service planning and workforce"

    def ready(self) -> None:
        from rapport.workforce import hooks

        hooks.register()
