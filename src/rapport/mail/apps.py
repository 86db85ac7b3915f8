from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "rapport.mail"
    label = "mail"
