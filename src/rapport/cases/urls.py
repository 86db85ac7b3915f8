from django.urls import path

from rapport.cases import views

app_name = "cases"
urlpatterns = [
    path("<str:reference>/", views.case_page, name="detail"),
    path("<str:reference>/reply/", views.case_reply, name="reply"),
    path("<str:reference>/reply/preview/", views.case_reply_preview, name="reply_preview"),
    path("<str:reference>/reply/wording/", views.case_reply_wording, name="reply_wording"),
    path("<str:reference>/note/", views.case_note, name="note"),
    path("<str:reference>/edit/", views.case_edit, name="edit"),
    path("<str:reference>/presence/", views.case_presence, name="presence"),
    path("<str:reference>/merge/", views.case_merge, name="merge"),
    path("<str:reference>/split/<int:message_id>/", views.case_split, name="split"),
    path("<str:reference>/cc/", views.case_cc, name="cc"),
]
