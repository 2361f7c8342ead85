"""`python manage.py import_employees FILE [--user NAME]`: the portal's CSV import, from a shell.

The same service (hr.services.employee_import) and rules: all rows or none, every problem
listed with its row number. Exits 1 when nothing was imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit import context
from core.commands import command_user
from core.errors import NotAllowed
from core.roles import Role
from hr import services


class Command(BaseCommand):
    help = "Import employees from a CSV file (header: see docs/people.md); all rows or none."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument(
            "--user", help="HR admin recorded in the audit log (default: the first one)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        by = command_user(options["user"], Role.HR_ADMIN)
        token = context.set_context(via="command")
        try:
            created = services.employee_import(by=by, data=path.read_bytes())
        except services.EmployeeImportInvalid as exc:
            for error in exc.errors:
                where = f"row {error.row}" if error.row else "file"
                column = f", {error.column}" if error.column else ""
                self.stderr.write(f"{path.name}: {where}{column}: {error.message}")
            raise CommandError(exc.message) from None
        except NotAllowed as exc:
            raise CommandError(f"{by.get_username()}: {exc.message}") from None
        finally:
            context.reset(token)
        self.stdout.write(self.style.SUCCESS(f"{len(created)} employees imported from {path}."))
