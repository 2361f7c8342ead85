"""Create an API key for an integration; the key is printed once and never stored."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit import context as audit_context
from core.errors import DomainError
from integrations.keys import api_key_create, integration_get_or_create
from integrations.models import SCOPES


class Command(BaseCommand):
    help = "Create an API key. The key acts as --user (whose role decides what it may do)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="username the key acts as")
        parser.add_argument("--integration", required=True, help="e.g. 'Greenhouse sync'")
        parser.add_argument(
            "--scopes", required=True, help=f"comma-separated, of: {', '.join(SCOPES)}"
        )
        parser.add_argument("--name", default="", help="a label for this key")
        parser.add_argument("--rate", type=int, default=None, help="requests per minute")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(username=options["user"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user called {options['user']!r}.") from exc
        token = audit_context.set_context(via="command")
        try:
            integration = integration_get_or_create(user=user, name=options["integration"])
            key, text = api_key_create(
                integration=integration,
                scopes=options["scopes"].split(","),
                name=options["name"],
                rate_limit=options["rate"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        finally:
            audit_context.reset(token)
        self.stderr.write(
            f"Key {key.prefix} for '{integration}' acting as {user.get_username()}, "
            f"scopes {', '.join(key.scopes)}. It is shown once; store it now."
        )
        self.stdout.write(text)
