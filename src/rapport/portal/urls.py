from django.urls import path

from rapport.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<str:reference>/", views.case_page, name="case"),
]
