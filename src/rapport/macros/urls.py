from django.urls import URLPattern, path

from rapport.macros import views

app_name = "macros"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("usage/", views.usage, name="usage"),
    path("new/", views.create, name="create"),
    path("preview/", views.form_preview, name="form_preview"),
    path("signatures/", views.signatures, name="signatures"),
    path("<int:macro_id>/", views.edit, name="edit"),
    path("<int:macro_id>/delete/", views.delete, name="delete"),
    path("case/<str:reference>/", views.picker, name="picker"),
    path("case/<str:reference>/<int:macro_id>/", views.case_preview, name="case_preview"),
    path("case/<str:reference>/<int:macro_id>/apply/", views.case_apply, name="case_apply"),
]
