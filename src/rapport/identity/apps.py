from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "rapport.identity"
    label = "identity"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from rapport.identity import hooks

        hooks.register()
