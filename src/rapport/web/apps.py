from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WebConfig(AppConfig):
    name = "rapport.web"
    label = "web"

    def ready(self) -> None:
        from rapport.accounts.models import Team, User
        from rapport.web.forms import shown_staff, shown_teams

        # A user or team saved in this process shows in its own option lists at once; other
        # processes catch up within the copies' ttl.
        for model, shown in ((User, shown_staff), (Team, shown_teams)):
            for signal in (post_save, post_delete):
                signal.connect(shown.clear, sender=model, weak=False, dispatch_uid=f"shown-{model.__name__}-{signal}")

        from rapport import access, extensions

        # Managers read the history of settings on the desk (ADR 0011).
        changes = extensions.NavItem(
            "Setting changes", "setting_changes", "settings", access.can_read_settings_history, order=95
        )
        if changes not in extensions.nav_items:
            extensions.nav_items.append(changes)
