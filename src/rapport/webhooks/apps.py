from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "rapport.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks and events out"

    def ready(self) -> None:
        from rapport.webhooks import hooks

        hooks.register()
