from django.urls import path

from rapport.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.index, name="index"),
    path("reports/", views.reports, name="reports"),
    path("reports/<slug:name>.csv", views.report_csv, name="report_csv"),
    path("approvals/<int:approval_id>/", views.approval_decide, name="approval"),
    path("follow-ups/<int:follow_up_id>/done/", views.follow_up_done, name="follow_up_done"),
    path("<str:reference>/letter.pdf", views.letter_preview, name="letter_preview"),
    path("<str:reference>/final-response/", views.final_response, name="final_response"),
    path("<str:reference>/<slug:action>/", views.complaint_action, name="action"),
]
