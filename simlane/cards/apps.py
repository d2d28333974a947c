from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "simlane.cards"
    label = "cards"
