from django.urls import URLPattern, path

from rapport.webhooks import views

app_name = "webhooks"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:webhook_id>/", views.edit, name="edit"),
    path("<int:webhook_id>/rotate/", views.rotate, name="rotate"),
    path("<int:webhook_id>/deliveries/", views.deliveries, name="deliveries"),
    path("<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/", views.redeliver, name="redeliver"),
]
