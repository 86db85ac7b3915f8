from django.urls import URLPattern, path

from rapport.outreach import views

app_name = "outreach"
urlpatterns: list[URLPattern] = [
    path("", views.outreach_list, name="list"),
    path("new/", views.outreach_new, name="new"),
    path("<int:outreach_id>/", views.outreach_detail, name="detail"),
    path("<int:outreach_id>/send/", views.outreach_send, name="send"),
    path("<int:outreach_id>/recipients.csv", views.recipients_csv, name="recipients_csv"),
    path("<int:outreach_id>/skipped.csv", views.skipped_csv, name="skipped_csv"),
]
