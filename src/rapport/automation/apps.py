from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "rapport.automation"
    label = "automation"
    verbose_name = "Automation rules"

    def ready(self) -> None:
        from rapport.automation import hooks

        hooks.register()
