"""Who may see and do what in recruiting. Services and selectors call these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from core.errors import NotAllowed
from core.roles import Role, has_role

from .models import Application, Candidate, Job

if TYPE_CHECKING:
    from core.roles import AnyUser


def can_manage_jobs(user: AnyUser) -> bool:
    return has_role(user, Role.RECRUITER)


def ensure_can_manage_jobs(user: AnyUser) -> None:
    if not can_manage_jobs(user):
        raise NotAllowed("Only recruiters can create, edit, publish or close jobs.")


def ensure_can_manage_candidates(user: AnyUser) -> None:
    if not has_role(user, Role.RECRUITER):
        raise NotAllowed("Only recruiters can add candidates or applications.")


def visible_jobs(user: AnyUser) -> QuerySet[Job]:
    """Recruiters and HR admins see every job; a hiring manager only the jobs they hire for."""
    jobs = Job.objects.all()
    if has_role(user, Role.RECRUITER, Role.HR_ADMIN):
        return jobs
    if has_role(user, Role.HIRING_MANAGER):
        return jobs.filter(Q(hiring_team=user) | Q(owner=user)).distinct()
    return jobs.none()


def visible_applications(user: AnyUser) -> QuerySet[Application]:
    applications = Application.objects.all()
    if has_role(user, Role.RECRUITER, Role.HR_ADMIN):
        return applications
    if has_role(user, Role.HIRING_MANAGER):
        return applications.filter(job__in=visible_jobs(user))
    return applications.none()


def visible_candidates(user: AnyUser) -> QuerySet[Candidate]:
    candidates = Candidate.objects.all()
    if has_role(user, Role.RECRUITER, Role.HR_ADMIN):
        return candidates
    if has_role(user, Role.HIRING_MANAGER):
        return candidates.filter(applications__job__in=visible_jobs(user)).distinct()
    return candidates.none()


def _on_hiring_team(user: AnyUser, job: Job) -> bool:
    pk = user.pk if user is not None else None
    if pk is None:  # no one signed in is on a hiring team
        return False
    return job.owner_id == pk or job.hiring_team.filter(pk=pk).exists()


def can_act_on_application(user: AnyUser, application: Application) -> bool:
    """Move it, note it, score it: recruiters always; hiring managers on their own jobs."""
    if has_role(user, Role.RECRUITER):
        return True
    return has_role(user, Role.HIRING_MANAGER) and _on_hiring_team(user, application.job)


def ensure_can_act_on_application(user: AnyUser, application: Application) -> None:
    if not can_act_on_application(user, application):
        raise NotAllowed(
            "Only recruiters and the job's hiring team can move or review this application."
        )


def ensure_can_view_candidate(user: AnyUser, candidate: Candidate) -> None:
    if not visible_candidates(user).filter(pk=candidate.pk).exists():
        raise NotAllowed("You do not have access to this candidate.")


def can_manage_offers(user: AnyUser) -> bool:
    """Make, send, answer and withdraw offers: recruiters (who act on every job). A hiring
    manager of the job sees its offers (they can see its applications) but makes none."""
    return has_role(user, Role.RECRUITER)


def ensure_can_manage_offers(user: AnyUser) -> None:
    if not can_manage_offers(user):
        raise NotAllowed(
            "Only recruiters can make, send, record answers to or withdraw offers; the "
            "hiring team can see them."
        )
