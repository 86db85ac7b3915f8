from django.urls import URLPattern, path

from rapport.routing import views

app_name = "routing"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("teams/<int:team_id>/settings/", views.settings, name="settings"),
    path("teams/<int:team_id>/decisions/", views.decisions, name="decisions"),
    path("agents/<int:agent_id>/capacity/", views.capacity, name="capacity"),
    path("cases/<str:reference>/route/", views.route, name="route"),
]
