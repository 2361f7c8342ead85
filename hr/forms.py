"""People forms: they check the shape of what was typed; the rules stay in hr.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from .models import Department, Employee
from .selectors.people import STATUS_FILTERS
from .services.imports import MAX_BYTES


class _Picker(forms.TypedChoiceField):
    """A select of ids (labels come from a selector), resolved to the object on clean."""

    def __init__(
        self, *, model: type[Department | Employee], empty_label: str, **kwargs: Any
    ) -> None:
        self.model = model
        self.empty_label = empty_label
        super().__init__(coerce=int, empty_value=None, required=False, **kwargs)

    def set_choices(self, choices: list[tuple[int, str]]) -> None:
        self.choices = [("", self.empty_label), *choices]

    def clean(self, value: Any) -> Any:
        pk = super().clean(value)
        if pk is None:
            return None
        found = self.model.objects.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError("That choice no longer exists; choose again.")
        return found


class DepartmentForm(forms.Form):
    name = forms.CharField(max_length=120)
    code = forms.CharField(
        max_length=32, required=False, help_text="Optional, e.g. a cost centre: ENG-01."
    )
    parent = _Picker(
        model=Department,
        empty_label="None: a top-level department",
        label="Part of",
        help_text="A department cannot move under itself or its own sub-departments, so "
        "those are not listed.",
    )

    def __init__(self, *args: Any, parent_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(_Picker, self.fields["parent"]).set_choices(parent_choices)

    @staticmethod
    def initial_for(department: Department) -> dict[str, Any]:
        return {"name": department.name, "code": department.code, "parent": department.parent_id}


class EmployeeForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.CharField(
        label="Work e-mail",
        max_length=254,
        required=False,
        help_text="Survey invitations go here. Each current employee needs their own.",
    )
    title = forms.CharField(label="Job title", max_length=200, required=False)
    department = _Picker(model=Department, empty_label="No department")
    manager = _Picker(model=Employee, empty_label="No manager")
    hire_date = forms.DateField(
        label="Hire date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2024-03-01."},
    )
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in (Employee.Status.ACTIVE, Employee.Status.ON_LEAVE)],
        required=False,
        help_text="Someone who left is deactivated from their page, with their last day.",
    )

    def __init__(
        self,
        *args: Any,
        department_choices: list[tuple[int, str]],
        manager_choices: list[tuple[int, str]],
        with_status: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(_Picker, self.fields["department"]).set_choices(department_choices)
        cast(_Picker, self.fields["manager"]).set_choices(manager_choices)
        if not with_status:
            del self.fields["status"]

    @staticmethod
    def initial_for(employee: Employee) -> dict[str, Any]:
        return {
            "full_name": employee.full_name,
            "email": employee.email,
            "title": employee.title,
            "department": employee.department_id,
            "manager": employee.manager_id,
            "hire_date": employee.hire_date,
            "status": employee.status,
        }


class DeactivateForm(forms.Form):
    last_day = forms.DateField(
        label="Last day",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, e.g. 2024-03-01."},
    )


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label="Name or e-mail", max_length=200, required=False)
    department = forms.TypedChoiceField(
        label="Department (and its sub-departments)", coerce=int, empty_value=None, required=False
    )
    status = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in STATUS_FILTERS.items()], required=False
    )

    def __init__(self, *args: Any, department_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [
            ("", "Any department"),
            *department_choices,
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=f"UTF-8 CSV, at most {MAX_BYTES // 1024 // 1024} MB.",
    )
