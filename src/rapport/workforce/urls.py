from django.urls import URLPattern, path

from rapport.workforce import views

app_name = "workforce"
urlpatterns: list[URLPattern] = [
    path("", views.forecast, name="forecast"),
    path("forecast.csv", views.forecast_csv, name="forecast_csv"),
    path("accuracy.csv", views.accuracy_csv, name="accuracy_csv"),
    path("events/<int:event_id>/remove/", views.event_remove, name="event_remove"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing.csv", views.staffing_csv, name="staffing_csv"),
    path("handling-times/", views.handling_times, name="handling_times"),
]
urlpatterns += [
    path("rotas/", views.rotas, name="rotas"),
    path("status/", views.status, name="status"),
    path("actuals/", views.actuals, name="actuals"),
    path("shrinkage/", views.shrinkage, name="shrinkage"),
    path("skills/", views.skills, name="skills"),
]
