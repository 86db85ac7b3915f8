from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "rapport.sla"
    label = "sla"
    verbose_name = "Service levels"

    def ready(self) -> None:
        from rapport.sla import events, hooks  # noqa: F401 - events registers its kinds

        hooks.register()
