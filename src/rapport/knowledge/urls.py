from django.urls import URLPattern, path

from rapport.knowledge import views

app_name = "kb"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("articles/new/", views.article_new, name="new"),
    path("articles/<int:article_id>/", views.article_page, name="article"),
    path("articles/<int:article_id>/edit/", views.article_edit, name="edit"),
    path("articles/<int:article_id>/versions/", views.versions_page, name="versions"),
    path("articles/<int:article_id>/workflow/", views.workflow, name="workflow"),
    path("articles/<int:article_id>/rollback/", views.rollback, name="rollback"),
    path("articles/<int:article_id>/reviewed/", views.reviewed, name="reviewed"),
    path("articles/<int:article_id>/files/", views.file_add, name="file_add"),
    path("articles/<int:article_id>/insert/", views.insert, name="insert"),
    path("articles/<int:article_id>/link/", views.link_case, name="link"),
    path("reply-search/", views.reply_search, name="reply_search"),
    path("reviews/", views.reviews, name="reviews"),
    path("gaps/", views.gaps, name="gaps"),
    path("figures/", views.figures, name="figures"),
]
