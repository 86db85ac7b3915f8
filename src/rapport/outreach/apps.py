from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "rapport.outreach"
    label = "outreach"
    verbose_name = "Proactive service"

    def ready(self) -> None:
        from rapport.outreach import hooks

        hooks.register()
