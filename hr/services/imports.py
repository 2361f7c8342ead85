"""Employees from a CSV file (the portal's upload and `manage.py import_employees`).

Every row is checked before anything is written. If any row is wrong, nothing is imported
and every problem is reported with its row number (the header is row 1, as in a
spreadsheet); fix the file and import it again. Rows only create new records: an e-mail
that belongs to a current employee is an error, not an update (edit that person's page).
See docs/people.md for the header and the decisions.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models.functions import Lower

from audit.services import audit_record
from core.errors import DomainError

from ..errors import InvalidEmployee
from ..models import Department, Employee
from ..permissions import ensure_hr_admin
from ..tree import DepartmentTree
from .people import (
    CURRENT,
    clean_email,
    clean_full_name,
    clean_hire_date,
    clean_title,
    employee_create,
)

if TYPE_CHECKING:
    from core.roles import AnyUser

REQUIRED_COLUMNS = ("full_name", "email", "hire_date")
OPTIONAL_COLUMNS = ("title", "department", "manager_email")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
PATH_SEPARATOR = "/"
EXAMPLE_CSV = (
    "full_name,email,hire_date,title,department,manager_email\n"
    "Ada Lovelace,ada@example.com,2021-03-01,Head of Engineering,Engineering,\n"
    "Alan Turing,alan@example.com,2023-09-18,Backend Engineer,Engineering / Backend,"
    "ada@example.com\n"
)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number: the header is row 1 (0: the file as a whole)
    column: str
    message: str


def _order(error: RowError) -> tuple[int, int]:
    return error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1


class EmployeeImportInvalid(DomainError):
    """The file has problems; nothing was imported. `errors` lists each one."""

    code = "employee_import_invalid"

    def __init__(self, errors: list[RowError]) -> None:
        rows = {e.row for e in errors if e.row}
        if rows:
            n = len(rows)
            message = (
                f"{n} row{'s' if n != 1 else ''} need{'s' if n == 1 else ''} fixing; "
                "nothing was imported. Fix the file and import it again."
            )
        else:
            message = f"{errors[0].message} Nothing was imported."
        super().__init__(message, field="file")
        self.errors = sorted(errors, key=_order)


@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    department_id: int | None = None
    manager_email: str = ""


def _file_error(message: str) -> EmployeeImportInvalid:
    return EmployeeImportInvalid([RowError(0, "", message)])


def _text(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _file_error(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            "The file is not UTF-8 text. In your spreadsheet, save it as 'CSV UTF-8'."
        ) from None
    if not text.strip():
        raise _file_error("The file is empty.")
    return text


def _reader(text: str) -> Any:
    first_line = text.lstrip().splitlines()[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), delimiter=dialect.delimiter)


def _header(raw: list[str]) -> list[str]:
    header = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in raw]
    header = [cell.replace("e_mail", "email") for cell in header]  # "E-mail" is common
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        problems.append(f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        problems.append(f"column{'s' if len(repeated) > 1 else ''} {', '.join(repeated)} twice")
    if problems:
        raise _file_error(
            f"The header row has {'; '.join(problems)}. The header is: {','.join(COLUMNS)} "
            f"(the first {len(REQUIRED_COLUMNS)} are required)."
        )
    return header


class _Departments:
    """Department names and paths ("Engineering / Backend"), case-insensitive: one query."""

    def __init__(self) -> None:
        tree = DepartmentTree.load()
        self.by_path: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.paths: dict[int, str] = {}
        for pk, name in tree.names.items():
            chain = [tree.names[a] for a in reversed(tree.ancestors(pk))] + [name]
            path = f" {PATH_SEPARATOR} ".join(chain)
            self.paths[pk] = path
            self.by_path[self._key(path)] = pk
            self.by_name.setdefault(name.lower(), []).append(pk)

    @staticmethod
    def _key(path: str) -> str:
        return PATH_SEPARATOR.join(" ".join(p.split()).lower() for p in path.split(PATH_SEPARATOR))

    def find(self, value: str) -> int:
        if PATH_SEPARATOR in value:
            found = self.by_path.get(self._key(value))
            if found is None:
                raise InvalidEmployee(
                    f"No department at '{value}'. Create it on the Departments page first, or "
                    "fix the spelling.",
                    field="department",
                )
            return found
        ids = self.by_name.get(" ".join(value.split()).lower(), [])
        if not ids:
            raise InvalidEmployee(
                f"No department called '{value}'. Create it on the Departments page first, or "
                "fix the spelling.",
                field="department",
            )
        if len(ids) > 1:
            paths = " or ".join(f"'{path}'" for path in sorted(self.paths[i] for i in ids))
            raise InvalidEmployee(
                f"Several departments are called '{value}': write the path, {paths}.",
                field="department",
            )
        return ids[0]


def _current_by_email(emails: set[str]) -> dict[str, Employee]:
    if not emails:
        return {}
    found = (
        Employee.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in=emails, status__in=CURRENT)
        .only("id", "full_name", "email", "status")
    )
    return {e.email_key: e for e in found}


def _check_rows(reader: Any, header: list[str]) -> tuple[list[_Row], list[RowError]]:
    departments = _Departments()
    rows: list[_Row] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (often at the end of an exported file)
        if len(rows) >= MAX_ROWS:
            raise _file_error(f"The file has more than {MAX_ROWS:,} rows; split it.")
        row = _Row(number)
        rows.append(row)
        if len(cells) > len(header):
            errors.append(
                RowError(
                    number,
                    "",
                    f"{len(cells)} values but the header has {len(header)} columns "
                    "(a comma inside a value needs the value in quotes).",
                )
            )
            continue
        raw = {column: "" for column in COLUMNS}
        raw.update({column: cell for column, cell in zip(header, cells, strict=False) if column})
        errors += _check_cells(row, raw, departments)
        email = row.values.get("email", "")
        if email:
            if email in first_row_of:
                errors.append(
                    RowError(
                        number,
                        "email",
                        f"{email} is also on row {first_row_of[email]}: each person once.",
                    )
                )
            else:
                first_row_of[email] = number
    if not rows:
        raise _file_error("The file has a header but no rows.")
    errors += _check_people(rows, first_row_of)
    errors.extend(_manager_loops(rows, first_row_of))
    return rows, errors


def _check_cells(row: _Row, raw: dict[str, str], departments: _Departments) -> list[RowError]:
    """One row's values, each cleaned by the rule a form uses; what fails, per column."""
    number = row.number
    errors: list[RowError] = []

    def check(column: str, clean: Any, value: Any) -> None:
        try:
            row.values[column] = clean(value)
        except InvalidEmployee as exc:
            errors.append(RowError(number, column, exc.message))

    check("full_name", clean_full_name, raw["full_name"])
    check("title", clean_title, raw["title"])
    email = raw["email"].strip()
    if not email:
        errors.append(RowError(number, "email", "An e-mail address is required."))
    else:
        check("email", clean_email, email)
    hire_date = raw["hire_date"].strip()
    if not hire_date:
        errors.append(RowError(number, "hire_date", "A hire date is required."))
    else:
        try:
            parsed = date.fromisoformat(hire_date)
        except ValueError:
            errors.append(
                RowError(
                    number,
                    "hire_date",
                    f"'{hire_date}' is not a date written as YYYY-MM-DD (e.g. 2024-03-01).",
                )
            )
        else:
            check("hire_date", clean_hire_date, parsed)
    department = raw["department"].strip()
    if department:
        try:
            row.department_id = departments.find(department)
        except InvalidEmployee as exc:
            errors.append(RowError(number, "department", exc.message))
    manager_email = raw["manager_email"].strip()
    if manager_email:
        try:
            row.manager_email = clean_email(manager_email)
        except InvalidEmployee as exc:
            errors.append(RowError(number, "manager_email", exc.message))
    return errors


def _check_people(rows: list[_Row], first_row_of: dict[str, int]) -> list[RowError]:
    """Rows against the current employees: new people only, managers who exist."""
    errors: list[RowError] = []
    current = _current_by_email(set(first_row_of) | {r.manager_email for r in rows} - {""})
    for row in rows:
        email = row.values.get("email", "")
        holder = current.get(email)
        if holder is not None and first_row_of.get(email) == row.number:
            errors.append(
                RowError(
                    row.number,
                    "email",
                    f"{email} already belongs to {holder.full_name}, a current employee. "
                    "The import adds new people only; edit theirs on their page.",
                )
            )
        if row.manager_email:
            if row.manager_email == email:
                errors.append(
                    RowError(row.number, "manager_email", "Nobody can be their own manager.")
                )
            elif row.manager_email not in current and row.manager_email not in first_row_of:
                errors.append(
                    RowError(
                        row.number,
                        "manager_email",
                        f"No current employee or row in this file has the e-mail "
                        f"{row.manager_email}.",
                    )
                )
    return errors


def _manager_loops(rows: list[_Row], first_row_of: dict[str, int]) -> list[RowError]:
    """New people can only report to each other in a chain that ends; report the loops."""
    manager_of = {r.values.get("email"): r.manager_email for r in rows if r.values.get("email")}
    errors = []
    for row in rows:
        email = row.values.get("email")
        seen = {email}
        node = manager_of.get(email, "")
        while node in manager_of and node not in seen:
            seen.add(node)
            node = manager_of.get(node, "")
        if node == email and row.manager_email != email:
            errors.append(
                RowError(
                    row.number,
                    "manager_email",
                    "The managers in this file go round in a loop back to this person.",
                )
            )
    return errors


def employee_import(*, by: AnyUser, data: bytes) -> list[Employee]:
    """Create the employees a CSV file lists: all of them or, when any row is wrong, none
    (EmployeeImportInvalid lists every problem)."""
    ensure_hr_admin(by)
    reader = _reader(_text(data))
    try:
        header = _header(next(reader))
        rows, errors = _check_rows(reader, header)
    except csv.Error as exc:
        raise _file_error(f"The file is not valid CSV ({exc}).") from None
    if errors:
        raise EmployeeImportInvalid(errors)
    return _create(by=by, rows=rows)


@transaction.atomic
def _create(*, by: AnyUser, rows: list[_Row]) -> list[Employee]:
    departments = Department.objects.in_bulk({r.department_id for r in rows} - {None})
    created: dict[str, Employee] = {}
    errors: list[RowError] = []
    for row in rows:
        try:
            employee = employee_create(
                by=by,
                full_name=row.values["full_name"],
                email=row.values["email"],
                hire_date=row.values["hire_date"],
                title=row.values.get("title", ""),
                department=departments.get(row.department_id) if row.department_id else None,
                audit=False,
            )
        except InvalidEmployee as exc:  # a concurrent write took the e-mail meanwhile
            errors.append(RowError(row.number, exc.field or "", exc.message))
            continue
        created[employee.email] = employee
    # Managers last: a row may name someone further down the file.
    managers = _current_by_email({r.manager_email for r in rows} - {""} - set(created))
    for row in rows:
        managed = created.get(row.values["email"])
        if managed is None or not row.manager_email:
            continue
        managed.manager = created.get(row.manager_email) or managers.get(row.manager_email)
        if managed.manager is None:  # the manager left meanwhile
            errors.append(
                RowError(row.number, "manager_email", f"{row.manager_email} is no longer current.")
            )
            continue
        managed.save(update_fields=["manager", "updated_at"])
    if errors:
        raise EmployeeImportInvalid(errors)  # rolls back every row created above
    employees = list(created.values())
    audit_record(
        action="employee.imported",
        actor=by,
        target_type="hr.employee",
        summary=f"{len(employees)} employees imported from a CSV file",
        details={"created": len(employees), "ids": [e.pk for e in employees]},
    )
    return employees
