from django.urls import URLPattern

app_name = "mail"
urlpatterns: list[URLPattern] = []
