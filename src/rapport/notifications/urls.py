from django.urls import URLPattern, path

from rapport.notifications import views

app_name = "notifications"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:notification_id>/open/", views.open_one, name="open"),
    path("<int:notification_id>/read/", views.read_one, name="read"),
    path("read-all/", views.read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("follow/<str:reference>/", views.follow, name="follow"),
]
