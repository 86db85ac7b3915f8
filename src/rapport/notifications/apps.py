from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rapport.notifications"
    label = "notifications"
    verbose_name = "Notifications and followers"

    def ready(self) -> None:
        from rapport.notifications import events, hooks  # noqa: F401 - events registers its kinds

        hooks.register()
