from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "rapport.plans"
    label = "plans"
    verbose_name = "Service plans"

    def ready(self) -> None:
        from rapport.plans import hooks

        hooks.register()
