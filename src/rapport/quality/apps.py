from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "rapport.quality"
    label = "quality"
    verbose_name = "Quality reviews"

    def ready(self) -> None:
        from rapport.quality import hooks

        hooks.register()
