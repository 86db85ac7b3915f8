from django.urls import URLPattern, path

from rapport.quality import views

app_name = "quality"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("reviews.csv", views.report_csv, name="report_csv"),
    path("by/<str:dimension>.csv", views.summary_csv, name="summary_csv"),
    path("agents/<int:agent_id>/", views.agent_page, name="agent"),
    path("teams/<int:team_id>/", views.team_page, name="team"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("scorecards/new/", views.scorecard_new, name="scorecard_new"),
    path("scorecards/<int:scorecard_id>/", views.scorecard_page, name="scorecard"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:item_id>/start/", views.queue_start, name="queue_start"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:review_id>/", views.review_page, name="review"),
    path("reviews/<int:review_id>/messages/", views.review_messages, name="review_messages"),
    path("reviews/<int:review_id>/reply/", views.review_reply, name="review_reply"),
    path("reviews/<int:review_id>/dispute/", views.review_dispute, name="review_dispute"),
    path("calibrations/", views.calibrations, name="calibrations"),
    path("calibrations/<int:calibration_id>/", views.calibration_page, name="calibration"),
]
