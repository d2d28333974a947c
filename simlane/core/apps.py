from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "simlane.core"
    label = "core"
