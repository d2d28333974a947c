from django.apps import AppConfig


class ClubsConfig(AppConfig):
    name = "simlane.clubs"
    label = "clubs"
    verbose_name = "Clubs"
