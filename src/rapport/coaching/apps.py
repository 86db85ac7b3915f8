from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "rapport.coaching"
    label = "coaching"
    verbose_name = "Targets, coaching, appraisals and the staff pulse"

    def ready(self) -> None:
        from rapport.coaching import hooks

        hooks.register()
