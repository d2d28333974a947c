from django.apps import AppConfig


class IRacingConfig(AppConfig):
    name = "simlane.iracing"
    label = "iracing"
    verbose_name = "iRacing"

    def ready(self) -> None:
        """Give the log filter the client's redaction: configured secrets, tokens received, secret-like patterns."""
        from django.conf import settings

        from simlane.core.logging import register_redactor

        from .client.redaction import redact, register_secret

        register_secret(settings.IRACING_CLIENT_SECRET)
        register_secret(settings.IRACING_PASSWORD)
        register_redactor(redact)
