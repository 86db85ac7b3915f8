from django.urls import path

from rapport.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
