from django.urls import URLPattern, path

from rapport.sla import views

app_name = "sla"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("report.csv", views.report_csv, name="report_csv"),
    path("cases/<str:reference>/panel", views.case_panel, name="case_panel"),
    path("cases/<str:reference>/promise", views.promise_revise, name="promise_revise"),
]
