from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform's own rows: claimed periods of periodic jobs and the history of settings."""

    name = "rapport.platform"
    label = "platform"
    verbose_name = "Platform"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from rapport.platform import metrics

        # Every database connection times its calls into the request's total (``/metrics``).
        connection_created.connect(metrics.install_on, dispatch_uid="platform.time_queries")
