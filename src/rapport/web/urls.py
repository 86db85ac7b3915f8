from django.urls import include, path

from rapport.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("cases/", include("rapport.cases.urls")),
    path("customers/", include("rapport.customers.urls")),
]
