"""The help centre at /help/: public articles for anyone, signed in or not."""

from django.urls import URLPattern, path

from rapport.knowledge import views

app_name = "help"
urlpatterns: list[URLPattern] = [
    path("", views.help_index, name="index"),
    path("search/", views.help_search, name="search"),
    path("suggest/", views.help_suggest, name="suggest"),
    path("articles/<int:article_id>/", views.help_article, name="article"),
    path("articles/<int:article_id>/feedback/", views.help_feedback, name="feedback"),
    path("articles/<int:article_id>/answered/", views.help_answered, name="answered"),
    path("articles/<int:article_id>.txt", views.help_text, name="text"),
    path("articles/<int:article_id>.pdf", views.help_pdf, name="pdf"),
    path("files/<int:file_id>/", views.help_file, name="file"),
]
