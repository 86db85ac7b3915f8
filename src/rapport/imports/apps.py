from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "rapport.imports"
    label = "imports"
    verbose_name = "Imports from other help desks"

    def ready(self) -> None:
        from rapport.imports import events, hooks  # noqa: F401 - events registers its kind

        hooks.register()
