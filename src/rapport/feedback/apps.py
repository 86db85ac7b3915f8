from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "rapport.feedback"
    label = "feedback"
    verbose_name = "Feedback and insight"

    def ready(self) -> None:
        from rapport.feedback import events, hooks  # noqa: F401 - events registers its kinds

        hooks.register()
