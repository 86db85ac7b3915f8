from django.urls import URLPattern, path

from rapport.chat import views

app_name = "chat"
urlpatterns: list[URLPattern] = [
    path("", views.history, name="history"),
    path("console/", views.console, name="console"),
    path("jsi18n/", views.WidgetCatalog.as_view(), name="jsi18n"),
    path("w/<slug:key>/config", views.widget_config, name="widget_config"),
    path("w/<slug:key>/start", views.widget_start, name="widget_start"),
    path("w/<slug:key>/offline", views.widget_offline, name="widget_offline"),
    path("w/<slug:key>/upload", views.widget_upload, name="widget_upload"),
]
