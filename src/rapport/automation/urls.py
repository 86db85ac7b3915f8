from django.urls import URLPattern, path

from rapport.automation import views

app_name = "automation"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:rule_id>/", views.edit, name="edit"),
    path("<int:rule_id>/delete/", views.delete, name="delete"),
    path("<int:rule_id>/dry-run/", views.dry_run, name="dry_run"),
    path("<int:rule_id>/firings/", views.firings, name="firings"),
]
