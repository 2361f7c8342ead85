"""Re-analyse the free-text answers whose sentiment came from another model version."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hr.services.analysis import BATCH_SIZE, active_model_version, answers_reanalyze


class Command(BaseCommand):
    help = (
        "Queue every free-text survey answer not analysed by the active sentiment model "
        "(with no broker configured the analysis runs here, now)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        from mlcore.registry import RegistryError

        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            version = active_model_version()
            count = answers_reanalyze(batch_size=batch_size)
        except RegistryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{count} answer(s) queued for sentiment model {version}.")
