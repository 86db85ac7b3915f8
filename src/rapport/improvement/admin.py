from django.contrib import admin

from rapport.improvement.models import BrandPromise, Rule, Standard
from rapport.platform.admin import SettingsHistoryAdmin


@admin.register(BrandPromise)
class BrandPromiseAdmin(SettingsHistoryAdmin):
    list_display = ("promise",)


@admin.register(Standard)
class StandardAdmin(SettingsHistoryAdmin):
    list_display = ("touchpoint", "expectation", "kpi", "target", "amber_within")


@admin.register(Rule)
class RuleAdmin(SettingsHistoryAdmin):
    list_display = ("title", "kind", "source", "mandatory", "owner", "review_on")
    list_filter = ("kind", "mandatory")
    search_fields = ("title", "source")
