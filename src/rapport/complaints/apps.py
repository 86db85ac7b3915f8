from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "rapport.complaints"
    label = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from rapport.complaints import events, hooks  # noqa: F401 - events registers its kinds

        hooks.register()
