"""Template context: which roles the signed-in user holds, for navigation."""

from typing import Any

from django.http import HttpRequest

from .roles import Role, roles_of


def roles(request: HttpRequest) -> dict[str, Any]:
    held = roles_of(getattr(request, "user", None))
    return {
        "is_recruiter": Role.RECRUITER in held,
        "is_hiring_manager": Role.HIRING_MANAGER in held,
        "is_hr_admin": Role.HR_ADMIN in held,
    }
