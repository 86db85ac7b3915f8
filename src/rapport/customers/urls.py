from django.urls import path

from rapport.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_new, name="new"),
    path("<int:customer_id>/", views.customer_page, name="detail"),
    path("<int:customer_id>/edit/", views.customer_edit, name="edit"),
    path("<int:customer_id>/contacts/", views.contact_log, name="contact_log"),
    path("<int:customer_id>/cases/new/", views.raise_case, name="raise_case"),
]
