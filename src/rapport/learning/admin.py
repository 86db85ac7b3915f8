from django.contrib import admin

from rapport.learning.models import Assessor, Concept, MarkingPoint, Misconception, Question, Tip, Unit


class ConceptInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Concept
    extra = 0


class TipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Tip
    extra = 0


class MisconceptionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Misconception
    extra = 0
    fields = ("position", "text", "correction")


class MarkingPointInline(admin.TabularInline):  # type: ignore[type-arg]
    model = MarkingPoint
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "code", "source_name", "updated_at")
    search_fields = ("title", "code", "source_name")
    readonly_fields = ("identity", "imported_at", "updated_at")
    inlines = (ConceptInline, TipInline, MisconceptionInline, MarkingPointInline)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("title", "unit", "author", "created_at")
    list_select_related = ("unit", "author")


@admin.register(Assessor)
class AssessorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "since")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
