from django.contrib import admin

from rapport.platform.admin import SettingsHistoryAdmin
from rapport.timetracking.models import TimeCategory


@admin.register(TimeCategory)
class TimeCategoryAdmin(SettingsHistoryAdmin):
    list_display = ("name", "active", "position")
    list_editable = ("active", "position")
