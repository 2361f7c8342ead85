"""Load the demo: users per role, an HR structure, real public jobs and resumes.

Idempotent: every record is looked up by a natural key first, so a second run changes nothing.
Writes go through the same services the app uses, acting as the demo recruiter.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from hr.models import Department, Employee
from recruiting import services
from recruiting.models import (
    Application,
    Candidate,
    Job,
    Resume,
    StageEvent,
    UploadBatch,
    UploadItem,
)
from recruiting.pipeline import NEXT_STAGE, Stage

from .survey import demo_survey_seed

DATA = Path(__file__).resolve().parent / "data"

# Demo-only passwords, printed by load_demo. Never use these outside a laptop.
DEMO_USERS = [
    ("recruiter", "Rita", "Recruiter", Role.RECRUITER, "recruiter-demo-2026"),
    ("manager", "Manuel", "Manager", Role.HIRING_MANAGER, "manager-demo-2026"),
    ("hradmin", "Hana", "Admin", Role.HR_ADMIN, "hradmin-demo-2026"),
]

DEPARTMENTS = {
    "Engineering": None,
    "Backend": "Engineering",
    "Frontend": "Engineering",
    "Data": "Engineering",
    "Product": None,
    "Operations": None,
    "People": None,
}

# (name, title, department, hire date, manager name)
EMPLOYEES = [
    ("Manuel Manager", "Engineering Manager", "Engineering", date(2019, 3, 4), None),
    ("Priya Raman", "Senior Backend Engineer", "Backend", date(2020, 6, 1), "Manuel Manager"),
    ("Tomás Oliveira", "Backend Engineer", "Backend", date(2023, 1, 9), "Manuel Manager"),
    ("Aiko Tanaka", "Frontend Engineer", "Frontend", date(2021, 9, 13), "Manuel Manager"),
    ("Lena Fischer", "Frontend Engineer", "Frontend", date(2024, 2, 5), "Manuel Manager"),
    ("Kwame Mensah", "Data Scientist", "Data", date(2022, 4, 19), "Manuel Manager"),
    ("Sofia Rossi", "Head of Product", "Product", date(2018, 11, 1), None),
    ("Omar Haddad", "Product Manager", "Product", date(2022, 7, 11), "Sofia Rossi"),
    ("Grace Kim", "Operations Lead", "Operations", date(2017, 5, 22), None),
    ("Daniel Novak", "IT Support Specialist", "Operations", date(2025, 3, 3), "Grace Kim"),
    ("Hana Admin", "HR Business Partner", "People", date(2020, 1, 6), None),
    ("Rita Recruiter", "Talent Acquisition Partner", "People", date(2021, 8, 16), "Hana Admin"),
]


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, what: str, created: bool) -> None:
        self.created[what] = self.created.get(what, 0) + int(created)


def _users(report: DemoReport) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, first, last, role, password in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@demo.smarthr"},
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        users[role.value] = user
        report.count("users", created)
        report.logins.append((role.value, username, password))
    return users


def _departments(report: DemoReport) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for name, parent in DEPARTMENTS.items():
        dept, created = Department.objects.get_or_create(
            name=name, parent=departments.get(parent) if parent else None
        )
        departments[name] = dept
        report.count("departments", created)
    return departments


def _employees(report: DemoReport, departments: dict[str, Department], users: dict) -> None:
    by_name: dict[str, Employee] = {}
    for name, title, dept, hired, manager in EMPLOYEES:
        employee, created = Employee.objects.get_or_create(
            full_name=name,
            defaults={
                "title": title,
                "department": departments[dept],
                "hire_date": hired,
                "manager": by_name.get(manager) if manager else None,
                "email": name.lower().replace(" ", ".") + "@demo.smarthr",
            },
        )
        by_name[name] = employee
        report.count("employees", created)
    link = {
        "Manuel Manager": Role.HIRING_MANAGER,
        "Hana Admin": Role.HR_ADMIN,
        "Rita Recruiter": Role.RECRUITER,
    }
    for name, role in link.items():
        Employee.objects.filter(full_name=name, user__isnull=True).update(user=users[role.value])


def _jobs(report: DemoReport, departments: dict[str, Department], users: dict) -> dict[str, Job]:
    recruiter, manager = users[Role.RECRUITER.value], users[Role.HIRING_MANAGER.value]
    jobs: dict[str, Job] = {}
    for i, spec in enumerate(json.loads((DATA / "jobs.json").read_text())):
        job = Job.objects.filter(external_id=spec["external_id"]).first()
        created = job is None
        if job is None:
            engineering = spec["department"] in ("Backend", "Frontend", "Data")
            job = services.job_create(
                by=recruiter,
                title=spec["title"],
                description=spec["description"],
                required_skills=spec["required_skills"],
                preferred_skills=spec["preferred_skills"],
                min_years_experience=spec["min_years_experience"],
                hiring_team=[manager] if engineering else [],
                department=departments[spec["department"]],
                location=spec["location"],
                remote_policy=spec["remote_policy"],
                external_id=spec["external_id"],
            )
            if i < len(DEPARTMENTS):  # the last job stays a draft, to show one
                services.job_publish(job=job, by=recruiter)
        jobs[spec["external_id"]] = job
        report.count("jobs", created)
    return jobs


def _walk_to(application: Application, target: str, recruiter: User) -> None:
    """Move a new demo application step by step to `target`, as a recruiter would."""
    if target in (Stage.REJECTED, Stage.WITHDRAWN):
        services.application_move(
            application=application,
            to_stage=target,
            by=recruiter,
            reason="Demo: another candidate was a closer match.",
        )
        return
    while application.stage != target:
        application = services.application_move(
            application=application, to_stage=NEXT_STAGE[application.stage], by=recruiter
        )


def _candidates(report: DemoReport, jobs: dict[str, Job], users: dict) -> None:
    recruiter = users[Role.RECRUITER.value]
    batch = None
    for spec in json.loads((DATA / "candidates.json").read_text()):
        existed = Candidate.objects.filter(email=spec["email"]).exists()
        candidate = services.candidate_create(
            by=recruiter,
            full_name=spec["full_name"],
            email=spec["email"],
            location=spec["location"],
            source="demo",
        )
        report.count("candidates", not existed)
        data = (DATA / "resumes" / spec["file"]).read_bytes()
        if Resume.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists():
            report.count("resumes", False)
        else:
            if batch is None:
                batch = services.upload_batch_create(
                    by=recruiter, source=UploadBatch.Source.COMMAND
                )
            # Parsed after commit, like any upload: fills skills, experience and education.
            item = services.resume_ingest(
                batch=batch, data=data, filename=spec["file"], candidate=candidate
            )
            report.count("resumes", item.outcome == UploadItem.Outcome.ACCEPTED)
        for external_id, stage in spec["applications"]:
            job = jobs[external_id]
            if Application.objects.filter(candidate=candidate, job=job).exists():
                report.count("applications", False)
                continue
            application = services.application_create(
                candidate=candidate, job=job, by=recruiter, source="demo"
            )
            _walk_to(application, stage, recruiter)
            report.count("applications", True)


# Voluntary self-identification of the (fictional) demo candidates, so the bias audit has
# data; one candidate did not answer (counted as unknown). Stored apart from the profile.
DEMO_SELF_ID = {
    "alfred.pennyworth@email.com": {
        "sex": "male",
        "race_ethnicity": "white",
        "age_band": "65_plus",
        "disability": "no",
        "veteran": "veteran",
    },
    "allthe.stars@google.com": {
        "sex": "male",
        "race_ethnicity": "prefer_not_to_say",
        "age_band": "25_34",
        "disability": "no",
        "veteran": "not_veteran",
    },
    "bwayne@email.com": {
        "sex": "male",
        "race_ethnicity": "white",
        "age_band": "35_44",
        "disability": "prefer_not_to_say",
        "veteran": "not_veteran",
    },
    "hdent@email.com": {
        "sex": "male",
        "race_ethnicity": "white",
        "age_band": "35_44",
        "disability": "yes",
        "veteran": "not_veteran",
    },
}


def _self_identification(report: DemoReport) -> None:
    from privacy.models import SelfIdentification

    for email, answers in DEMO_SELF_ID.items():
        candidate = Candidate.objects.filter(email=email).first()
        if candidate is None:
            continue
        _, created = SelfIdentification.objects.get_or_create(candidate=candidate, defaults=answers)
        report.count("self-identifications", created)


@transaction.atomic
def demo_load() -> DemoReport:
    report = DemoReport()
    users = _users(report)
    departments = _departments(report)
    _employees(report, departments, users)
    jobs = _jobs(report, departments, users)
    _candidates(report, jobs, users)
    _self_identification(report)
    # A closed engagement survey with enough answers to show the HR dashboard (idempotent).
    demo_survey_seed(by=users[Role.HR_ADMIN.value])
    # Demo history is not news: nobody should be e-mailed about it.
    StageEvent.objects.filter(application__source="demo", notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    return report
