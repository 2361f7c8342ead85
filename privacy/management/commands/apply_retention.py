"""Anonymise candidates past their retention date; --dry-run lists what it would do."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from audit import context
from privacy.services import retention_apply


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run: bool = False, today: str | None = None, **options) -> None:
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from exc
        token = context.set_context(via="command")
        try:
            plan = retention_apply(today=day, dry_run=dry_run)
        finally:
            context.reset(token)
        verb = "would anonymise" if dry_run else "anonymised"
        for item in plan:
            if item.action == "anonymise":
                self.stdout.write(
                    f"{verb} candidate #{item.candidate_id} (retention date {item.retention_date})"
                )
            else:
                self.stdout.write(
                    f"skip candidate #{item.candidate_id} (retention date "
                    f"{item.retention_date}): {item.reason}"
                )
        done = sum(i.action == "anonymise" for i in plan)
        skipped = len(plan) - done
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{done} {verb}, {skipped} skipped.")
