from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "rapport.complaints"
    label = "complaints"
