from django.urls import URLPattern, path

from rapport.timetracking import views

app_name = "timetracking"
urlpatterns: list[URLPattern] = [
    path("", views.report, name="report"),
    path("cases/<str:reference>/", views.case_time, name="case"),
    path("cases/<str:reference>/timer/", views.timer_start, name="timer_start"),
    path("timer/stop/", views.timer_stop, name="timer_stop"),
    path("timer/discard/", views.timer_discard, name="timer_discard"),
    path("entries/<int:entry_id>/", views.entry_edit, name="entry"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
]
