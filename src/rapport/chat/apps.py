from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "rapport.chat"
    label = "chat"
    verbose_name = "Live chat"

    def ready(self) -> None:
        from rapport.chat import hooks

        hooks.register()
