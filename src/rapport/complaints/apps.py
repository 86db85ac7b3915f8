from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "rapport.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from rapport.complaints import hooks

        hooks.register()
