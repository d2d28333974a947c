from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "simlane.ops"
    label = "ops"
    verbose_name = "Operations (health, readiness, metrics)"
