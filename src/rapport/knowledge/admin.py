"""Knowledge configuration in Django admin: categories, sections and synonyms (a tracked setting).
Articles are written on the desk's pages, where every change is a version; here they are read-only."""

from __future__ import annotations

from django.contrib import admin

from rapport.customers.admin import ReadOnlyAdmin
from rapport.knowledge.models import Article, Category, Section, Synonym
from rapport.platform.admin import SettingsHistoryAdmin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "category", "position")
    list_filter = ("category",)


@admin.register(Synonym)
class SynonymAdmin(SettingsHistoryAdmin):
    list_display = ("phrases",)
    search_fields = ("phrases",)


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title", "audience", "status", "owner", "review_due")
    list_filter = ("audience", "status")
    search_fields = ("title",)
