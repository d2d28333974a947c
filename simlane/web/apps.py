from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "simlane.web"
    label = "web"
    verbose_name = "Web dashboard"
