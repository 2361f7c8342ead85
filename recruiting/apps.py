"""App config for recruiting."""

from django.apps import AppConfig


class RecruitingConfig(AppConfig):
    name = "recruiting"
    verbose_name = "Recruiting"

    def ready(self) -> None:
        # Connects the audit entry for identities revealed by advancing past screening.
        from .blind import signals  # noqa: F401
