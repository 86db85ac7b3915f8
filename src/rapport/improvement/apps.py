from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "rapport.improvement"
    label = "improvement"
    verbose_name = "Continuous improvement"

    def ready(self) -> None:
        from rapport.improvement import hooks

        hooks.register()
