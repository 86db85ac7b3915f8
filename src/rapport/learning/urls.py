from django.urls import URLPattern, path

from rapport.learning import views

app_name = "learning"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("units/<int:unit_id>/", views.unit_page, name="unit"),
    path("questions/<int:question_id>/", views.question_page, name="question"),
    path("answers/<int:answer_id>/", views.answer_page, name="answer"),
    path("answers/<int:answer_id>/override/", views.answer_override, name="override"),
    path("learners/", views.learners, name="learners"),
    path("learners/<int:learner_id>/", views.portfolio, name="portfolio"),
    path("learners/<int:learner_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("learners/<int:learner_id>/portfolio.csv", views.portfolio_csv, name="portfolio_csv"),
    path("learners/<int:learner_id>/portfolio.pdf", views.portfolio_pdf, name="portfolio_pdf"),
    path("evidence/<int:evidence_id>/sign-off/", views.evidence_sign_off, name="sign_off"),
]
