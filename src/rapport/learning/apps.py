from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "rapport.learning"
    label = "learning"
