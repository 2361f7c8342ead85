from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Privacy and fairness"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the permission-change audit
