from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "rapport.mail"
    label = "mail"
    verbose_name = "Email"

    def ready(self) -> None:
        from rapport.mail import hooks

        hooks.register()
