from django.apps import AppConfig


class MacrosConfig(AppConfig):
    name = "rapport.macros"
    label = "macros"
    verbose_name = "Macros and signatures"

    def ready(self) -> None:
        from rapport.macros import events, hooks  # noqa: F401 - events registers its kinds

        hooks.register()
