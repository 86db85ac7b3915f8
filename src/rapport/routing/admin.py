from django.contrib import admin

from rapport.platform.admin import SettingsHistoryAdmin
from rapport.routing.models import AgentCapacity, TeamRouting


@admin.register(TeamRouting)
class TeamRoutingAdmin(SettingsHistoryAdmin):
    list_display = ("team", "method", "route_on_arrival", "capacity")
    readonly_fields = ("last_agent", "turns", "updated_at")


@admin.register(AgentCapacity)
class AgentCapacityAdmin(SettingsHistoryAdmin):
    list_display = ("agent", "capacity")
