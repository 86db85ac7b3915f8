from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "rapport.privacy"
    label = "privacy"
    verbose_name = "Privacy and adjustments"

    def ready(self) -> None:
        from rapport.privacy import events, hooks  # noqa: F401 - events registers its kinds

        hooks.register()
