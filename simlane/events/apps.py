from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "simlane.events"
    label = "events"
    verbose_name = "Club events"
