from django.urls import include, path

from rapport.web import settings_history, views

urlpatterns = [
    path("", views.home, name="home"),
    path("queue/bulk/", views.queue_bulk, name="queue_bulk"),
    path("queue/views/", views.saved_view_list, name="saved_views"),
    path("queue/views/<int:view_id>/", views.saved_view_change, name="saved_view_change"),
    path("preferences/shortcuts/", views.shortcut_preferences, name="shortcut_preferences"),
    path("search/", views.search, name="search"),
    path("exports/cases.<str:fmt>", views.case_export, name="case_export"),
    path("exports/customers.<str:fmt>", views.customer_export, name="customer_export"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/file", views.export_job_file, name="export_job_file"),
    path("language/", views.language_set, name="language_set"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("attachments/<int:attachment_id>/preview/", views.attachment_preview, name="attachment_preview"),
    path("settings/changes/", settings_history.setting_changes, name="setting_changes"),
    path("cases/", include("rapport.cases.urls")),
    path("customers/", include("rapport.customers.urls")),
]
