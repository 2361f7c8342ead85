"""Candidate search, and the help offered when it finds nobody.

On PostgreSQL it is full-text search: matched and ranked against the stored, GIN-indexed
tsvector columns of migration 0007 (`search_tsv`, kept out of the model state), so no row's
vector is recomputed per query.
On SQLite it is a word-by-word `icontains` over the same fields. Both respect who may see
which candidate.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    Exists,
    Expression,
    F,
    FloatField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Coalesce, Lower

from .. import blind
from ..models import Candidate, Resume
from ..permissions import visible_applications, visible_candidates

if TYPE_CHECKING:
    from core.roles import AnyUser

# The text search configuration of the stored vectors (migration 0007); a query must use
# the same one.
SEARCH_CONFIG = "english"
MAX_TERMS = 8
# The PostgreSQL-only generated column of recruiting_candidate and recruiting_resume.
STORED_VECTOR_COLUMN = "search_tsv"


class StoredVector(Expression):
    """The `search_tsv` column that migration 0007 adds on PostgreSQL, outside Django's model
    state, to recruiting_candidate and recruiting_resume: of the query's own table, or of
    the table `relation` leads to (e.g. "resumes" from a candidate query, joined as usual).

    It resolves to a plain column reference (`Col`) on that table's alias, so Django
    relabels it like any other column when the query becomes a subquery (`U0`...). The
    candidate's vector weighs name and headline most (A), then skills (B), then the summary
    (C); the resume's is its text.
    """

    output_field = SearchVectorField()

    def __init__(self, relation: str = "") -> None:
        super().__init__()
        self.relation = relation

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # The table's primary key, resolved as any field (joins included), gives its alias.
        pk = F(f"{self.relation}__pk" if self.relation else "pk").resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        target = SearchVectorField()
        target.column = STORED_VECTOR_COLUMN
        return Col(pk.alias, target, output_field=SearchVectorField())


def matches(query: SearchQuery) -> SearchVectorExact:
    """`search_tsv @@ query` on the query's base table: a GIN index look-up."""
    return SearchVectorExact(StoredVector(), query)


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def skills_lowercase() -> Cast:
    """PostgreSQL: the skills list lower-cased, as jsonb (`lower(skills::text)::jsonb`), which
    migration 0007 GIN-indexes: `@> '["react"]'` is the case-insensitive whole-skill match
    of `skills_filter`, through the index."""
    return Cast(Lower(Cast("skills", TextField())), JSONField())


def skills_filter(skills: Iterable[str]) -> Q:
    """Candidates listing every one of `skills` (case-insensitive, whole skill names). SQLite;
    PostgreSQL uses the indexed `skills_lowercase` instead.

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
    *, user: AnyUser, text: str = "", skills: Iterable[str] = ()
) -> QuerySet[Candidate]:
    """Candidates the user may see matching `text` (all words) and every skill in `skills`.

    Best match first on PostgreSQL (`rank`), newest first on SQLite. Each candidate comes
    with `visible_applications`, the applications the user may see, for the result list.
    """
    skills = [s for s in skills if s]
    text = " ".join(text.split()[:MAX_TERMS])
    candidates = _visible_candidates(user)
    if skills and uses_full_text_search():
        candidates = candidates.alias(skills_lower=skills_lowercase()).filter(
            skills_lower__contains=[s.lower() for s in skills]  # type: ignore[misc]  # an array
        )
    elif skills:
        candidates = candidates.filter(skills_filter(skills))
    if text:
        # A match on a name or an e-mail would tell who a blind candidate is: free text never
        # finds them; their job's board and the skill filter still do (docs/blind-screening.md).
        hidden = blind.hidden_candidates_for(user)
        if hidden:
            candidates = candidates.exclude(pk__in=hidden)
    if text and uses_full_text_search():
        candidates = _full_text(candidates, text)
    elif text:
        candidates = _word_match(candidates, text).order_by("-created_at", "-id")
    else:
        candidates = candidates.order_by("-created_at", "-id")
    applications = (
        visible_applications(user)
        .select_related("job")
        .prefetch_related("job__stages")  # a job's own stage by its name
        .order_by("-applied_at")
    )
    return candidates.prefetch_related(
        Prefetch("applications", queryset=applications, to_attr="visible_applications")
    )


def _visible_candidates(user: AnyUser) -> QuerySet[Candidate]:
    visible = visible_candidates(user)
    if not visible.query.where and not visible.query.distinct:
        return visible  # every candidate (recruiters): no `pk IN (every id)` to compute
    # By id: a hiring manager's visibility goes through a join that would repeat rows.
    return Candidate.objects.filter(pk__in=visible.values("pk"))


def _full_text(candidates: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    """Every word must match (websearch syntax) in the profile or in a resume; ranked by the
    stored vectors, a profile match counting twice a resume match."""
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    # Two indexed look-ups (profile, resume text), each on its stored vector's GIN index.
    by_profile = Candidate.objects.filter(matches(query)).order_by().values("pk")
    # (A resume with no candidate yet adds a NULL, which matches no id.)
    by_resume = Resume.objects.filter(matches(query)).order_by().values("candidate_id")
    # The best resume's rank (a resume matching only some of the words ranks low, not 0).
    resume_rank = (
        Resume.objects.filter(candidate=OuterRef("pk"))
        .annotate(rank=SearchRank(StoredVector(), query))
        .order_by("-rank")
        .values("rank")[:1]
    )
    return (
        # One semi-join on the union of the matching ids.
        candidates.filter(pk__in=by_profile.union(by_resume))
        .annotate(
            profile_rank=SearchRank(StoredVector(), query),
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
