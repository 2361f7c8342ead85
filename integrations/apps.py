"""The integrations app: subscribes the webhook fan-out to SmartHR's domain events, and
records tombstones of deleted and erased records."""

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from core import events

        from . import (
            schema,  # noqa: F401 - registers the API key scheme with drf-spectacular
            tombstones,
        )
        from .webhooks import on_domain_event

        events.subscribe(on_domain_event)
        tombstones.connect()
