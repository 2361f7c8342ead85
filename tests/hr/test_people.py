"""People: departments, employee records, the CSV import and the employee page (HR only)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry
from hr import selectors, services
from hr.errors import InvalidDepartment, InvalidEmployee
from hr.models import Department, Employee
from mlcore.matching.calibration import FitCalibration
from recruiting.models import Job, JobEmbedding, Resume, ResumeEmbedding

from ..factories import (
    ApplicationFactory,
    CandidateFactory,
    DepartmentFactory,
    EmployeeFactory,
    JobFactory,
)
from .factories import ResponseFactory, SurveyFactory

pytestmark = pytest.mark.django_db

HEADER = "full_name,email,hire_date,title,department,manager_email\n"


def actions() -> list[str]:
    found = AuditEntry.objects.filter(action__regex=r"^(department|employee)\.")
    return list(found.order_by("id").values_list("action", flat=True))


@pytest.fixture
def tree(hr_admin):
    eng = services.department_create(by=hr_admin, name="Engineering")
    backend = services.department_create(by=hr_admin, name="Backend", parent=eng)
    platform = services.department_create(by=hr_admin, name="Platform", parent=backend)
    sales = services.department_create(by=hr_admin, name="Sales")
    return {"eng": eng, "backend": backend, "platform": platform, "sales": sales}


# --- departments -------------------------------------------------------------------------


def test_rename_and_move_a_department(hr_admin, tree):
    services.department_update(
        by=hr_admin, department=tree["platform"], name="Platform  Team", parent=tree["eng"]
    )
    tree["platform"].refresh_from_db()
    assert (tree["platform"].name, tree["platform"].parent) == ("Platform Team", tree["eng"])
    entry = AuditEntry.objects.filter(action="department.updated").get()
    assert entry.details["fields"] == ["name", "parent"]
    assert entry.actor == hr_admin
    assert actions().count("department.created") == 4


@pytest.mark.parametrize("under", ["platform", "backend", "eng"])
def test_a_department_cannot_move_under_itself_or_its_sub_departments(hr_admin, tree, under):
    with pytest.raises(InvalidDepartment, match=r"loop|itself") as refused:
        services.department_move(by=hr_admin, department=tree["eng"], parent=tree[under])
    assert refused.value.field == "parent"
    tree["eng"].refresh_from_db()
    assert tree["eng"].parent is None
    assert "department.updated" not in actions()


def test_rename_to_a_name_taken_beside_it_is_refused(hr_admin, tree):
    other = services.department_create(by=hr_admin, name="Frontend", parent=tree["eng"])
    with pytest.raises(InvalidDepartment, match="'backend' exists under 'Engineering'"):
        services.department_update(
            by=hr_admin, department=other, name="backend", parent=tree["eng"]
        )
    # The same name elsewhere in the tree is fine.
    services.department_update(by=hr_admin, department=other, name="Backend", parent=tree["sales"])


def test_a_department_with_people_or_sub_departments_is_not_deleted(hr_admin, tree):
    EmployeeFactory(department=tree["sales"], status=Employee.Status.TERMINATED)
    with pytest.raises(InvalidDepartment, match="still has 1 employee records"):
        services.department_delete(by=hr_admin, department=tree["sales"])
    with pytest.raises(InvalidDepartment, match="still has 1 sub-departments"):
        services.department_delete(by=hr_admin, department=tree["backend"])
    assert Department.objects.count() == 4

    services.department_delete(by=hr_admin, department=tree["platform"])
    assert not Department.objects.filter(pk=tree["platform"].pk).exists()
    assert "department.deleted" in actions()


def test_a_department_with_survey_responses_is_kept(hr_admin):
    closed = services.department_create(by=hr_admin, name="Closed office")
    ResponseFactory(survey=SurveyFactory(), department=closed)
    with pytest.raises(InvalidDepartment, match=r"survey responses.*rename it"):
        services.department_delete(by=hr_admin, department=closed)


# --- employees ---------------------------------------------------------------------------


def test_create_edit_and_audit_an_employee(hr_admin, tree):
    ada = services.employee_create(
        by=hr_admin,
        full_name=" Ada  Lovelace ",
        email="Ada@Example.com",
        hire_date=date(2021, 3, 1),
        department=tree["eng"],
        title="Head of Engineering",
    )
    assert (ada.full_name, ada.email, ada.status) == ("Ada Lovelace", "ada@example.com", "active")
    alan = services.employee_create(
        by=hr_admin, full_name="Alan Turing", hire_date=date(2023, 9, 18), manager=ada
    )
    services.employee_update(
        by=hr_admin,
        employee=alan,
        full_name="Alan Turing",
        hire_date=date(2023, 9, 18),
        manager=ada,
        department=tree["backend"],
        title="Backend Engineer",
        status=Employee.Status.ON_LEAVE,
    )
    alan.refresh_from_db()
    assert (alan.department, alan.status) == (tree["backend"], Employee.Status.ON_LEAVE)
    edited = AuditEntry.objects.get(action="employee.updated")
    assert edited.details == {"fields": ["title", "department", "status"]}
    assert "Alan" not in str(edited.details) + edited.summary  # field names, no personal data
    assert actions().count("employee.created") == 2


@pytest.mark.parametrize(
    ("email", "message"),
    [("not-an-email", "is not an e-mail address"), ("ADA@example.com", "already belongs to")],
)
def test_bad_or_taken_email_is_refused_beside_the_field(hr_admin, email, message):
    EmployeeFactory(full_name="Ada", email="ada@example.com")
    with pytest.raises(InvalidEmployee, match=message) as refused:
        services.employee_create(
            by=hr_admin, full_name="Someone", email=email, hire_date=date(2024, 1, 1)
        )
    assert refused.value.field == "email"
    assert Employee.objects.count() == 1


def test_a_former_employees_email_can_be_used_again(hr_admin):
    EmployeeFactory(email="ada@example.com", status=Employee.Status.TERMINATED)
    services.employee_create(
        by=hr_admin, full_name="Ada", email="ada@example.com", hire_date=date(2024, 1, 1)
    )
    assert Employee.objects.filter(email="ada@example.com").count() == 2


def test_the_database_holds_one_current_record_per_email(db):
    """The constraint behind the service's check: a concurrent write cannot slip past it."""
    EmployeeFactory(email="ada@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(email="ADA@example.com")


def test_a_manager_loop_is_refused(hr_admin):
    boss = EmployeeFactory(full_name="Boss")
    lead = EmployeeFactory(full_name="Lead", manager=boss)
    dev = EmployeeFactory(full_name="Dev", manager=lead)
    with pytest.raises(InvalidEmployee, match="loop"):
        services.employee_update(
            by=hr_admin, employee=boss, full_name="Boss", hire_date=boss.hire_date, manager=dev
        )
    with pytest.raises(InvalidEmployee, match="own manager"):
        services.employee_update(
            by=hr_admin, employee=boss, full_name="Boss", hire_date=boss.hire_date, manager=boss
        )


def test_deactivate_keeps_the_record_and_its_history(hr_admin):
    person = EmployeeFactory(email="leaver@example.com", hire_date=date(2020, 1, 6))
    with pytest.raises(InvalidEmployee, match="before the hire date"):
        services.employee_deactivate(by=hr_admin, employee=person, last_day=date(2019, 12, 31))
    with pytest.raises(InvalidEmployee, match="Deactivate"):
        services.employee_update(
            by=hr_admin,
            employee=person,
            full_name=person.full_name,
            hire_date=person.hire_date,
            status=Employee.Status.TERMINATED,
        )
    services.employee_deactivate(by=hr_admin, employee=person, last_day=date(2024, 6, 30))
    person.refresh_from_db()
    assert (person.status, person.terminated_on) == ("terminated", date(2024, 6, 30))
    with pytest.raises(InvalidEmployee, match="already inactive"):
        services.employee_deactivate(by=hr_admin, employee=person)

    # Someone new took the address meanwhile: reactivating would make two current records.
    EmployeeFactory(email="leaver@example.com")
    with pytest.raises(InvalidEmployee, match="already belongs to"):
        services.employee_reactivate(by=hr_admin, employee=person)
    Employee.objects.exclude(pk=person.pk).update(email="other@example.com")
    services.employee_reactivate(by=hr_admin, employee=person)
    person.refresh_from_db()
    assert (person.status, person.terminated_on) == ("active", None)
    assert actions() == ["employee.deactivated", "employee.reactivated"]


def test_a_hire_with_a_current_employees_email_updates_that_record(hr_admin, recruiter):
    employee = EmployeeFactory(email="ann@example.com", title="Analyst")
    application = ApplicationFactory(
        candidate=CandidateFactory(email="Ann@example.com", full_name="Ann"),
        job=JobFactory(title="Data Scientist"),
    )
    assert services.employee_create_from_hire(application=application).pk == employee.pk
    employee.refresh_from_db()
    assert (employee.title, employee.hired_from) == ("Data Scientist", application.candidate)
    assert Employee.objects.count() == 1


@pytest.mark.parametrize("role_fixture", ["recruiter", "hiring_manager", "no_role_user"])
def test_only_hr_admins_change_people(request, role_fixture, tree):
    from core.errors import NotAllowed

    user = request.getfixturevalue(role_fixture)
    person = EmployeeFactory()
    for call in (
        lambda: services.department_delete(by=user, department=tree["platform"]),
        lambda: services.department_update(by=user, department=tree["eng"], name="X", parent=None),
        lambda: services.employee_deactivate(by=user, employee=person),
        lambda: services.employee_import(by=user, data=HEADER.encode()),
        lambda: selectors.employee_search(user=user),
    ):
        with pytest.raises(NotAllowed):
            call()


# --- CSV import ----------------------------------------------------------------------------


def test_import_is_all_or_nothing_and_lists_every_row_error(hr_admin, tree):
    EmployeeFactory(full_name="Existing", email="taken@example.com")
    data = (
        HEADER + "Ada Lovelace,ada@example.com,2021-03-01,CTO,Engineering,\n"
        "Bad Mail,not-an-email,2022-01-01,,,\n"
        "Nowhere,nowhere@example.com,2022-01-01,,Marketing,\n"
        "Ada Again,ADA@example.com,01/02/2022,,,\n"
        "\n"
        "Taken,taken@example.com,2022-01-01,,,ghost@example.com\n"
    ).encode()
    with pytest.raises(services.EmployeeImportInvalid) as refused:
        services.employee_import(by=hr_admin, data=data)
    found = {(e.row, e.column): e.message for e in refused.value.errors}
    assert set(found) == {
        (3, "email"),
        (4, "department"),
        (5, "email"),
        (5, "hire_date"),
        (7, "email"),
        (7, "manager_email"),
    }
    assert "is also on row 2" in found[(5, "email")]
    assert "No department called 'Marketing'" in found[(4, "department")]
    assert "YYYY-MM-DD" in found[(5, "hire_date")]
    assert "already belongs to Existing" in found[(7, "email")]
    assert refused.value.message.startswith("4 rows need fixing; nothing was imported")
    assert Employee.objects.count() == 1  # nothing half-imported
    assert "employee.imported" not in actions()


def test_a_valid_file_imports_every_row_with_paths_and_managers(hr_admin, tree):
    DepartmentFactory(name="Backend", parent=tree["sales"])  # "Backend" is now ambiguous
    data = (
        "\ufeffFull Name;E-mail;Hire Date;Department;Manager_Email\n"  # BOM, ';', spaced header
        "Alan Turing;alan@example.com;2023-09-18;engineering / BACKEND;ada@example.com\n"
        "Ada Lovelace;ada@example.com;2021-03-01;Engineering;\n"
    ).encode()
    created = services.employee_import(by=hr_admin, data=data)
    assert len(created) == 2
    alan = Employee.objects.get(email="alan@example.com")
    assert (alan.department, alan.manager.full_name) == (tree["backend"], "Ada Lovelace")
    (entry,) = AuditEntry.objects.filter(action="employee.imported")
    assert entry.details["created"] == 2 and "Alan" not in str(entry.details)

    ambiguous = HEADER + "Bo,bo@example.com,2024-01-01,,Backend,\n"
    with pytest.raises(services.EmployeeImportInvalid) as refused:
        services.employee_import(by=hr_admin, data=ambiguous.encode())
    assert "'Engineering / Backend' or 'Sales / Backend'" in refused.value.errors[0].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"name,email\nAda,ada@example.com\n", "missing columns full_name, hire_date"),
        (HEADER.replace("title", "titel").encode(), "unknown column titel"),
        (HEADER.encode(), "a header but no rows"),
        ("full_name,email,hire_date\nJosé,j@example.com,2024-01-01\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(hr_admin, data, message):
    with pytest.raises(services.EmployeeImportInvalid, match=message):
        services.employee_import(by=hr_admin, data=data)


def test_managers_in_the_file_cannot_go_round_in_a_loop(hr_admin):
    data = (
        HEADER + "A,a@example.com,2024-01-01,,,b@example.com\nB,b@example.com,2024-01-01,,,"
        "a@example.com\n"
    )
    with pytest.raises(services.EmployeeImportInvalid) as refused:
        services.employee_import(by=hr_admin, data=data.encode())
    assert {(e.row, e.column) for e in refused.value.errors} == {
        (2, "manager_email"),
        (3, "manager_email"),
    }


def test_the_command_shares_the_service(hr_admin, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Ada,ada@example.com,2021-03-01,,Nowhere,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_employees", str(bad), "--user", hr_admin.username)
    assert "row 2, department: No department called 'Nowhere'" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Ada,ada@example.com,2021-03-01,,,\n")
    call_command("import_employees", str(good), "--user", hr_admin.username)
    assert Employee.objects.get().full_name == "Ada"
    assert AuditEntry.objects.get(action="employee.imported").via == "command"


# --- reads -------------------------------------------------------------------------------


def test_search_by_department_subtree_status_and_text(hr_admin, tree):
    ann = EmployeeFactory(full_name="Ann Lee", department=tree["platform"], email="ann@x.com")
    EmployeeFactory(full_name="Bob Ray", department=tree["sales"])
    gone = EmployeeFactory(full_name="Cy Old", department=tree["eng"], status="terminated")

    def names(**kwargs):
        return [e.full_name for e in selectors.employee_search(user=hr_admin, **kwargs)]

    assert names(department_id=tree["eng"].pk) == ["Ann Lee"]
    assert names(department_id=tree["eng"].pk, status="all") == ["Ann Lee", "Cy Old"]
    assert names(text="ANN@x") == [ann.full_name]
    assert names(status="terminated") == [gone.full_name]


@pytest.mark.parametrize(
    ("start", "until", "words"),
    [
        (date(2020, 1, 15), date(2023, 3, 14), "3 years, 1 month"),
        (date(2024, 5, 1), date(2024, 5, 20), "less than a month"),
        (date(2024, 1, 31), date(2025, 1, 31), "1 year"),
    ],
)
def test_tenure_in_words(start, until, words):
    assert selectors.tenure(start, until) == words


def test_mobility_without_a_profile_says_not_available(hr_admin):
    mobility = selectors.employee_mobility(user=hr_admin, employee=EmployeeFactory())
    assert mobility.method == "none" and "Not available yet" in mobility.note


def test_mobility_from_skills_when_no_vectors_are_stored(hr_admin):
    candidate = CandidateFactory(skills=["Python", "SQL"])
    employee = EmployeeFactory(hired_from=candidate)
    JobFactory(title="Data Engineer", required_skills=["SQL", "Python", "Airflow"])
    JobFactory(title="Designer", required_skills=["Figma"])
    JobFactory(title="Closed SQL job", required_skills=["SQL"], status=Job.Status.CLOSED)
    mobility = selectors.employee_mobility(user=hr_admin, employee=employee)
    assert mobility.method == "skills"
    assert [(m.job.title, m.matched_skills) for m in mobility.matches] == [
        ("Data Engineer", ["SQL", "Python"])
    ]


def test_mobility_ranks_open_jobs_with_the_stored_vectors(hr_admin):
    version = FitCalibration.active().version
    candidate = CandidateFactory()
    resume = Resume.objects.create(
        candidate=candidate, file="resumes/x.pdf", original_name="x.pdf", size=1, sha256="a" * 64
    )
    unit = np.array([1, 0, 0, 0], dtype=np.float32)
    ResumeEmbedding.objects.create(resume=resume, model_version=version, vector=unit.tobytes())
    near, far = JobFactory(title="Near"), JobFactory(title="Far")
    for job, vec in ((near, [0.9, 0.436, 0, 0]), (far, [0, 1, 0, 0])):
        vector = np.array(vec, dtype=np.float32).tobytes()
        JobEmbedding.objects.create(job=job, model_version=version, vector=vector)
    employee = EmployeeFactory(hired_from=candidate)
    mobility = selectors.employee_mobility(user=hr_admin, employee=employee)
    assert mobility.method == "fit"
    assert [m.job.title for m in mobility.matches] == ["Near", "Far"]
    assert mobility.matches[0].score > mobility.matches[1].score


# --- pages -------------------------------------------------------------------------------


def _urls(employee: Employee, department: Department) -> list[str]:
    return [
        "/hr/departments/",
        "/hr/departments/new/",
        f"/hr/departments/{department.pk}/",
        "/hr/people/",
        "/hr/people/new/",
        "/hr/people/import/",
        "/hr/people/import/example.csv",
        f"/hr/people/{employee.pk}/",
        f"/hr/people/{employee.pk}/edit/",
    ]


@pytest.mark.parametrize("role_fixture", ["recruiter", "hiring_manager", "no_role_user"])
def test_people_pages_are_forbidden_to_other_roles(client, request, role_fixture, tree):
    client.force_login(request.getfixturevalue(role_fixture))
    employee = EmployeeFactory(department=tree["sales"])
    for url in _urls(employee, tree["sales"]):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/hr/departments/{tree['platform'].pk}/delete/",
        f"/hr/people/{employee.pk}/deactivate/",
        "/hr/departments/new/",
    ):
        assert client.post(url, {"name": "X", "last_day": "2024-01-01"}).status_code == 403, url
    assert Department.objects.count() == 4
    employee.refresh_from_db()
    assert employee.status == Employee.Status.ACTIVE


def test_hr_admin_sees_every_people_page_and_the_nav_link(client, hr_admin, recruiter, tree):
    client.force_login(hr_admin)
    employee = EmployeeFactory(department=tree["platform"])
    for url in _urls(employee, tree["sales"]):
        assert client.get(url).status_code == 200, url
    page = client.get("/hr/people/").content.decode()
    assert 'href="/hr/people/">People</a>' in page
    client.force_login(recruiter)
    assert 'href="/hr/people/"' not in client.get("/jobs/").content.decode()


def test_employee_form_keeps_what_was_typed_and_shows_the_error_beside_the_field(
    client, hr_admin, tree
):
    EmployeeFactory(email="taken@example.com")
    client.force_login(hr_admin)
    typed = {
        "full_name": "Grace Hopper",
        "email": "taken@example.com",
        "title": "Rear Admiral",
        "department": str(tree["backend"].pk),
        "manager": "",
        "hire_date": "2024-02-30",
    }
    response = client.post("/hr/people/new/", typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Grace Hopper"' in html and 'value="Rear Admiral"' in html
    assert f'<option value="{tree["backend"].pk}" selected>' in html
    assert "Enter the date as YYYY-MM-DD" in html  # the form's check, beside hire_date

    typed["hire_date"] = "2024-02-29"
    response = client.post("/hr/people/new/", typed)
    assert response.status_code == 400
    field = response.context["form"]["email"]
    assert field.errors == [
        "taken@example.com already belongs to "
        f"{Employee.objects.get().full_name}, a current employee. Each current employee "
        "needs their own address."
    ]
    assert 'value="Grace Hopper"' in response.content.decode()
    assert Employee.objects.count() == 1

    typed["email"] = "grace@example.com"
    response = client.post("/hr/people/new/", typed)
    grace = Employee.objects.get(email="grace@example.com")
    assert response.status_code == 302 and response["Location"] == f"/hr/people/{grace.pk}/"


def test_edit_page_refuses_a_manager_loop_beside_the_field_and_saves_a_fix(client, hr_admin):
    boss = EmployeeFactory(full_name="Boss Person", hire_date=date(2020, 1, 1))
    report = EmployeeFactory(full_name="Report Person", manager=boss)
    client.force_login(hr_admin)
    typed = {
        "full_name": "Boss Renamed",
        "email": "",
        "title": "CEO",
        "department": "",
        "manager": str(report.pk),
        "hire_date": "2020-01-01",
        "status": "on_leave",
    }
    response = client.post(f"/hr/people/{boss.pk}/edit/", typed)
    assert response.status_code == 400
    assert "loop" in response.context["form"]["manager"].errors[0]
    assert 'value="Boss Renamed"' in response.content.decode()
    boss.refresh_from_db()
    assert (boss.full_name, boss.status) == ("Boss Person", "active")

    typed["manager"] = ""
    assert client.post(f"/hr/people/{boss.pk}/edit/", typed).status_code == 302
    boss.refresh_from_db()
    assert (boss.full_name, boss.title, boss.status) == ("Boss Renamed", "CEO", "on_leave")


def test_department_pages_create_move_and_refuse_delete(client, hr_admin, tree):
    client.force_login(hr_admin)
    response = client.post("/hr/departments/new/", {"name": "backend", "parent": tree["eng"].pk})
    assert response.status_code == 400
    assert response.context["form"]["name"].errors == [
        "A department called 'backend' exists under 'Engineering'."
    ]
    assert 'value="backend"' in response.content.decode()

    edit = client.get(f"/hr/departments/{tree['eng'].pk}/")
    offered = [pk for pk, _ in edit.context["form"].fields["parent"].choices if pk]
    assert offered == [tree["sales"].pk]  # not itself, not its sub-departments
    response = client.post(
        f"/hr/departments/{tree['backend'].pk}/", {"name": "Backend", "parent": tree["sales"].pk}
    )
    assert response.status_code == 302
    tree["backend"].refresh_from_db()
    assert tree["backend"].parent == tree["sales"]

    response = client.post(f"/hr/departments/{tree['sales'].pk}/delete/", follow=True)
    assert "still has 1 sub-departments" in response.content.decode()
    assert Department.objects.filter(pk=tree["sales"].pk).exists()


def test_import_page_lists_row_errors_and_imports_nothing(client, hr_admin):
    client.force_login(hr_admin)
    bad = HEADER + "Ada,ada@example.com,2021-03-01,,,\nBo,bo-at-example,2021-03-01,,,\n"
    response = client.post(
        "/hr/people/import/", {"file": SimpleUploadedFile("people.csv", bad.encode())}
    )
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["row_errors"]] == [(3, "email")]
    assert "<td>3</td><td>email</td>" in response.content.decode()
    assert not Employee.objects.exists()
    good = bad.replace("bo-at-example", "bo@example.com")
    response = client.post(
        "/hr/people/import/", {"file": SimpleUploadedFile("people.csv", good.encode())}
    )
    assert response.status_code == 302 and Employee.objects.count() == 2


def test_deactivate_from_the_employee_page(client, hr_admin):
    person = EmployeeFactory(hire_date=date(2022, 1, 1))
    client.force_login(hr_admin)
    response = client.post(f"/hr/people/{person.pk}/deactivate/", {"last_day": "2021-01-01"})
    assert response.status_code == 400
    assert "before the hire date" in response.content.decode()
    last_day = timezone.localdate() - timedelta(days=1)
    response = client.post(f"/hr/people/{person.pk}/deactivate/", {"last_day": str(last_day)})
    assert response.status_code == 302
    page = client.get(f"/hr/people/{person.pk}/").content.decode()
    assert "Terminated" in page and "Reactivate" in page
    assert "Employee deactivated" in page  # the history section reads the audit log


def test_list_pages_use_a_fixed_number_of_queries(client, hr_admin, django_assert_max_num_queries):
    departments = [DepartmentFactory()]
    for i in range(12):
        departments.append(DepartmentFactory(parent=departments[i // 3]))
    boss = EmployeeFactory(department=departments[0])
    for i in range(40):
        EmployeeFactory(department=departments[i % 13], manager=boss, email=f"p{i}@example.com")
    client.force_login(hr_admin)
    with django_assert_max_num_queries(5):
        assert client.get("/hr/departments/").status_code == 200
    with django_assert_max_num_queries(8):
        response = client.get(f"/hr/people/?department={departments[0].pk}")
    assert response.status_code == 200 and response.context["page"].paginator.count == 41
    with django_assert_max_num_queries(10):
        assert client.get(f"/hr/people/{boss.pk}/").status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_creates_with_one_email_give_one_record_and_one_clear_refusal(hr_admin):
    """Both pass the check before either writes (a gate on the INSERT holds the first until
    the second arrives); the constraint refuses the second, in words, never a 500."""
    import contextlib
    import threading

    from django.db import connections
    from django.db.models.signals import pre_save

    barrier = threading.Barrier(2)

    def hold(sender, instance, **kwargs):
        if instance._state.adding:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(1.5)

    outcomes: list = [None, None]

    def create(n: int) -> None:
        try:
            outcomes[n] = services.employee_create(
                by=hr_admin,
                full_name=f"Ada {n}",
                email="ada@example.com",
                hire_date=date(2024, 1, 1),
            )
        except Exception as exc:  # asserted below
            outcomes[n] = exc
        finally:
            connections.close_all()

    pre_save.connect(hold, sender=Employee, weak=False, dispatch_uid="people-race-gate")
    try:
        threads = [threading.Thread(target=create, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        pre_save.disconnect(sender=Employee, dispatch_uid="people-race-gate")
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], InvalidEmployee), outcomes
    assert refused[0].field == "email"
    assert Employee.objects.filter(email="ada@example.com").count() == 1
