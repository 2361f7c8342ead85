"""Finding things in the portal: the filtered jobs list and candidate search.

Candidate search is PostgreSQL full-text search (weighted, ranked, GIN-indexed by
migration 0006) where the database is PostgreSQL, and a word-by-word `icontains` over the
same fields on SQLite. Both respect who may see which candidate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from .models import Candidate, Job, Resume
from .permissions import visible_applications, visible_candidates, visible_jobs
from .pipeline import Stage

# The text search configuration of the GIN indexes; a query must use the same one (and the
# same vector expressions below) for PostgreSQL to use them.
SEARCH_CONFIG = "english"
MAX_TERMS = 8


def candidate_search_vector() -> SearchVector:
    """Name and headline weigh most, then skills, then the summary. Indexed as written."""
    return (
        SearchVector("full_name", weight="A", config=SEARCH_CONFIG)
        + SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("skills", weight="B", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="C", config=SEARCH_CONFIG)
    )


def resume_search_vector() -> SearchVector:
    return SearchVector("text", config=SEARCH_CONFIG)


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def jobs_filtered(
    *,
    user: Any,
    status: str | None = None,
    department_id: int | None = None,
    owner_id: int | None = None,
    text: str = "",
) -> QuerySet[Job]:
    """Jobs the user may see, filtered, each with its count of applications per stage."""
    # By id: the hiring-team join of visible_jobs would multiply the counts.
    jobs = Job.objects.filter(pk__in=visible_jobs(user).values("pk"))
    if status:
        jobs = jobs.filter(status=status)
    if department_id:
        jobs = jobs.filter(department_id=department_id)
    if owner_id:
        jobs = jobs.filter(owner_id=owner_id)
    for term in text.split()[:MAX_TERMS]:
        jobs = jobs.filter(
            Q(title__icontains=term)
            | Q(description__icontains=term)
            | Q(location__icontains=term)
            | Q(department__name__icontains=term)
        )
    counts = {
        f"n_{stage}": Count("applications", filter=Q(applications__stage=stage))
        for stage in Stage.values
    }
    return (
        jobs.select_related("department", "owner")
        .annotate(n_applications=Count("applications"), **counts)
        .order_by("-created_at", "-id")
    )


def skills_filter(skills: Iterable[str]) -> Q:
    """Candidates listing every one of `skills` (case-insensitive, whole skill names).

    Matches the quoted JSON string, so "Java" does not match "JavaScript". SQLite stores
    non-ASCII as \\u escapes and PostgreSQL as is, hence both spellings.
    """
    condition = Q()
    for skill in skills:
        plain = json.dumps(skill, ensure_ascii=False)
        escaped = json.dumps(skill)
        one = Q(skills__icontains=plain)
        if escaped != plain:
            one |= Q(skills__icontains=escaped)
        condition &= one
    return condition


def candidate_search(
    *, user: Any, text: str = "", skills: Iterable[str] = ()
) -> QuerySet[Candidate]:
    """Candidates the user may see matching `text` (all words) and every skill in `skills`.

    Best match first on PostgreSQL (`rank`), newest first on SQLite. Each candidate comes
    with `visible_applications`, the applications the user may see, for the result list.
    """
    skills = [s for s in skills if s]
    text = " ".join(text.split()[:MAX_TERMS])
    # By id: a hiring manager's visibility goes through a join that would repeat rows.
    candidates = Candidate.objects.filter(pk__in=visible_candidates(user).values("pk"))
    if skills:
        candidates = candidates.filter(skills_filter(skills))
    if text and uses_full_text_search():
        candidates = _full_text(candidates, text)
    elif text:
        candidates = _word_match(candidates, text).order_by("-created_at", "-id")
    else:
        candidates = candidates.order_by("-created_at", "-id")
    applications = visible_applications(user).select_related("job").order_by("-applied_at")
    return candidates.prefetch_related(
        Prefetch("applications", queryset=applications, to_attr="visible_applications")
    )


def _full_text(candidates: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    # Two indexed look-ups (profile, resume text), each able to use its GIN index.
    by_profile = (
        Candidate.objects.annotate(search=candidate_search_vector())
        .filter(search=query)
        .values("pk")
    )
    by_resume = (
        Resume.objects.annotate(search=resume_search_vector())
        .filter(search=query, candidate__isnull=False)
        .values("candidate_id")
    )
    resume_rank = (
        Resume.objects.filter(candidate=OuterRef("pk"))
        .annotate(rank=SearchRank(resume_search_vector(), query))
        .order_by("-rank")
        .values("rank")[:1]
    )
    return (
        candidates.filter(Q(pk__in=by_profile) | Q(pk__in=by_resume))
        .annotate(
            profile_rank=SearchRank(candidate_search_vector(), query),
            resume_rank=Coalesce(Subquery(resume_rank), Value(0.0), output_field=FloatField()),
        )
        # A match in the profile counts more than one somewhere in a resume.
        .annotate(rank=F("profile_rank") + F("resume_rank") * Value(0.5))
        .order_by("-rank", "-id")
    )


def _word_match(candidates: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    """SQLite: every word must appear in one of the fields or in one of the resumes."""
    for term in text.split():
        in_resume = Resume.objects.filter(candidate=OuterRef("pk"), text__icontains=term)
        candidates = candidates.filter(
            Q(full_name__icontains=term)
            | Q(headline__icontains=term)
            | Q(summary__icontains=term)
            | Q(skills__icontains=term)
            | Exists(in_resume)
        )
    return candidates
