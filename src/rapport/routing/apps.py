from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "rapport.routing"
    label = "routing"
    verbose_name = "Routing"

    def ready(self) -> None:
        from rapport.routing import hooks

        hooks.register()
