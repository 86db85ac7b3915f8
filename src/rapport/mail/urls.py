from django.urls import path

from rapport.mail import views

app_name = "mail"
urlpatterns = [
    path("", views.index, name="index"),
    path("quarantine/<int:pk>/retry", views.quarantine_retry_view, name="quarantine_retry"),
    path("outbox/<int:pk>/send-again", views.outbox_resend, name="outbox_resend"),
    path("customers/<int:customer_id>/address", views.customer_address, name="customer_address"),
    path("customers/<int:customer_id>/address/clear", views.customer_address_clear, name="customer_address_clear"),
]
