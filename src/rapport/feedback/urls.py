from django.urls import URLPattern, path

from rapport.feedback import views

app_name = "feedback"
urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("s/<str:token>/", views.answer, name="answer"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("chain/", views.chain, name="chain"),
    path("orders/import/", views.orders_import, name="orders_import"),
    path("rater/", views.rater_send, name="rater_send"),
    path("rater/sends/", views.rater_sends, name="rater_sends"),
    path("my-surveys/", views.my_surveys, name="my_surveys"),
]
