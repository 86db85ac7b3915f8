from django.contrib import admin

from rapport.chat import services
from rapport.chat.models import AgentChat, ChatSite


@admin.register(ChatSite)
class ChatSiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "key", "team", "first_answer_seconds", "welsh", "active")
    readonly_fields = ("identity_secret",)

    @admin.display(description="Identity secret (give it to the website's developers; derived from SECRET_KEY)")
    def identity_secret(self, site: ChatSite) -> str:
        return services.identity_secret_hex(site) if site.pk else "Saved sites show their secret here."


@admin.register(AgentChat)
class AgentChatAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "capacity", "available", "languages", "seen_at")
