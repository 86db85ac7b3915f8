from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "rapport.sla"
    label = "sla"
    verbose_name = "Service levels"

    def ready(self) -> None:
        from rapport.sla import hooks

        hooks.register()
