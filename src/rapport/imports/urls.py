from django.urls import URLPattern, path

from rapport.imports import views

app_name = "imports"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:run_id>/", views.detail, name="detail"),
]
