from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "simlane.identity"
    label = "identity"
    verbose_name = "Verified iRacing identity"
