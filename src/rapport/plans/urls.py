from django.urls import URLPattern, path

from rapport.plans import views

app_name = "plans"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("plans.csv", views.index_csv, name="index_csv"),
    path("new/", views.new, name="new"),
    path("<int:plan_id>/", views.detail, name="detail"),
    path("<int:plan_id>/edit/", views.edit, name="edit"),
    path("<int:plan_id>/plan.csv", views.plan_csv, name="plan_csv"),
    path("<int:plan_id>/history.csv", views.versions_csv, name="versions_csv"),
    path("<int:plan_id>/items/<slug:section>/", views.item_add, name="item_add"),
    path("<int:plan_id>/items/<slug:section>/<int:index>/remove/", views.item_remove, name="item_remove"),
    path("<int:plan_id>/contingencies/", views.contingency_add, name="contingency_add"),
    path(
        "<int:plan_id>/contingencies/<int:contingency_id>/active/", views.contingency_active, name="contingency_active"
    ),
    path("<int:plan_id>/check/", views.check, name="check"),
    path("firings/", views.firings, name="firings"),
    path("firings.csv", views.firings_csv, name="firings_csv"),
    path("outages/", views.outage_declare, name="outage_declare"),
    path("outages/<int:outage_id>/restore/", views.outage_restore, name="outage_restore"),
]
