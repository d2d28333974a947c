from django.apps import AppConfig


class RaceNumbersConfig(AppConfig):
    name = "simlane.racenumbers"
    label = "racenumbers"
    verbose_name = "Car numbers"
