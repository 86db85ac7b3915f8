from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform's own rows: claimed periods of periodic jobs and the history of settings."""

    name = "rapport.platform"
    label = "platform"
    verbose_name = "Platform"
