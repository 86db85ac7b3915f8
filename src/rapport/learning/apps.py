from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "rapport.learning"
    label = "learning"
    verbose_name = "Staff learning"

    def ready(self) -> None:
        from rapport.learning import hooks

        hooks.register()
