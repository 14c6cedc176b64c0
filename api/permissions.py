"""Who may run what: staff-only fields and editor-only mutations."""

from typing import Any

from strawberry.permission import BasePermission

import models as m
from api.context import Info


class IsStaff(BasePermission):
    message = "Staff only: send Authorization: Bearer <token> with a staff token"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.staff is not None


class IsEditor(BasePermission):
    message = "Editors only: this needs a staff token with the editor role"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        staff = info.context.staff
        return staff is not None and staff.role == m.Role.EDITOR


def actor(info: Info) -> str:
    """Who is writing; mutations only run for editors, so there is always one."""
    staff = info.context.staff
    if staff is None:
        raise PermissionError("no staff credential")
    return staff.name


# Every mutation is for editors.
EDITORS: list[type[BasePermission]] = [IsEditor]
