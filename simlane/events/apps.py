from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "simlane.events"
    label = "events"
    verbose_name = "Club events"

    def ready(self) -> None:
        """Calendar feed tokens never reach a log line (the redacting log filter masks them)."""
        from simlane.core.logging import register_redactor

        from .ical import redact_feed_tokens

        register_redactor(redact_feed_tokens)
