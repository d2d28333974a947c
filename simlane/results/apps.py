from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "simlane.results"
    label = "results"
