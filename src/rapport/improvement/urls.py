from django.urls import URLPattern, path

from rapport.improvement import views

app_name = "improvement"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("suggestions/", views.suggestion_add, name="suggest"),
    path("suggestions/<int:suggestion_id>/decline/", views.suggestion_decline, name="suggestion_decline"),
    path("gaps/", views.gap_list, name="gaps"),
    path("standards/", views.standards, name="standards"),
    path("journey/", views.journey, name="journey"),
    path("rules/", views.rules, name="rules"),
    path("tone/", views.tone, name="tone"),
    path("tone.csv", views.tone_csv, name="tone_csv"),
    path("tone/<int:entry_id>/delete/", views.tone_delete, name="tone_delete"),
    path("kpis/", views.kpis, name="kpis"),
    path("kpis.csv", views.kpis_csv, name="kpis_csv"),
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives.csv", views.initiatives_csv, name="initiatives_csv"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:initiative_id>/", views.initiative_page, name="initiative"),
    path("initiatives/<int:initiative_id>/add/<str:part>/", views.initiative_add, name="initiative_add"),
    path(
        "initiatives/<int:initiative_id>/milestones/<int:milestone_id>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("initiatives/<int:initiative_id>/stage/", views.initiative_stage, name="initiative_stage"),
    path("initiatives/<int:initiative_id>/check/", views.initiative_check, name="initiative_check"),
    path("initiatives/<int:initiative_id>/act/", views.initiative_act, name="initiative_act"),
    path("initiatives/<int:initiative_id>/proposal/", views.proposal, name="proposal"),
    path("initiatives/<int:initiative_id>/proposal.pdf", views.proposal_pdf, name="proposal_pdf"),
]
