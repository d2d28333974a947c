from django.apps import AppConfig


class IRacingConfig(AppConfig):
    name = "simlane.iracing"
    label = "iracing"
    verbose_name = "iRacing"
