from django.urls import include, path

from rapport.web import settings_history, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("attachments/<int:attachment_id>/preview/", views.attachment_preview, name="attachment_preview"),
    path("settings/changes/", settings_history.setting_changes, name="setting_changes"),
    path("cases/", include("rapport.cases.urls")),
    path("customers/", include("rapport.customers.urls")),
]
