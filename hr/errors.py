"""HR's domain errors."""

from core.errors import DomainError


class InvalidDepartment(DomainError):
    code = "invalid_department"


class InvalidEmployee(DomainError):
    code = "invalid_employee"
