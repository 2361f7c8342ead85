"""Talent search in plain language (issue 20): a query or a pasted job description, read into
filters by `mlcore.search.parse_query`, then candidates ranked by keyword relevance blended
with semantic similarity.

- **Filters** (every skill, any of the titles by its head word, location, years) narrow the
  candidates; the recruiter sees each as a chip and may remove or edit it. **Free words**
  rank and, with meaning off, match (any of them): with meaning on, the closest candidates
  by meaning join those that match.
- **Keyword relevance**: on PostgreSQL the stored full-text vectors of migration 0007
  (`ts_rank`, a profile match counting twice a resume match), then, below those, candidates
  whose headline or jobs hold a word similar to a free word that matched nobody (trigram
  typo tolerance, migration 0017's indexes; the rule is `mlcore.search.typos`); on SQLite,
  FTS5's `bm25()` over migration 0020's table (profile columns weighted twice the resumes),
  or, where that table is missing, BM25 over the same fields computed here.
- **Semantic similarity**: the query embedded by the active fit model (the job side of the
  bi-encoder) against every candidate's stored resume embedding, from the same in-process
  matrix as the talent pool. Skipped when no candidate has an embedding of that version.
- **Blend**: reciprocal rank fusion of the two rankings (`mlcore.search.rank`).
- **Blind screening**: free words and a location can match a name, an e-mail or an address,
  so with either the candidates whose identity is hidden from the user are left out (as in
  `search.candidate_search`); results show them masked like every list.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Prefetch, Q, QuerySet

from mlcore.matching.calibration import FitCalibration
from mlcore.search import (
    WORD_SIMILARITY_THRESHOLD,
    ParsedQuery,
    bm25_scores,
    fuse_rankings,
    parse_query,
    typo_eligible,
    typo_words,
)

from .. import blind
from ..models import Candidate, Resume
from ..permissions import visible_applications
from .fit import _pool_matrix
from .search import (
    SEARCH_CONFIG,
    _visible_candidates,
    skills_filter,
    skills_lowercase,
    uses_full_text_search,
)

if TYPE_CHECKING:
    from core.roles import AnyUser

# With free words, this many candidates closest in meaning join those the words match.
SEMANTIC_CANDIDATES = 50
MAX_SKILLS = 10
MAX_TITLES = 5
QUERY_VECTOR_TTL_S = 3600
MAX_IDS_IN_QUERY = 2000
BLENDED, KEYWORD = "blended", "keyword"


# `_full_text_rows`' query, in pieces (the column is migration 0007's `search_tsv`). A
# profile row's third column lists the typo-eligible words its profile holds (`{checks}`:
# `_PROFILE_CHECK_SQL` per word, or an empty array).
_WANTED_SQL = "WITH wanted AS (SELECT %s::bigint[] AS ids) "
_PROFILE_SQL = (
    "SELECT id, ts_rank(search_tsv, to_tsquery(%s::regconfig, %s)), {checks}"
    " FROM recruiting_candidate WHERE search_tsv @@ to_tsquery(%s::regconfig, %s)"
)
_PROFILE_IN_IDS_SQL = (
    "SELECT id, ts_rank(search_tsv, to_tsquery(%s::regconfig, %s)), {checks}"
    " FROM recruiting_candidate WHERE search_tsv @@ to_tsquery(%s::regconfig, %s)"
    " AND id = ANY((SELECT ids FROM wanted)::bigint[])"
)
_PROFILE_CHECK_SQL = "CASE WHEN search_tsv @@ to_tsquery(%s::regconfig, %s) THEN %s END"
_RESUMES_BEGIN_SQL = " UNION ALL SELECT candidate_id, NULL, array_agg(term) FROM ("
_RESUME_TERM_SQL = (
    "SELECT id, candidate_id, %s AS term FROM recruiting_resume"
    " WHERE search_tsv @@ to_tsquery(%s::regconfig, %s)"
)
_RESUME_TERM_IN_IDS_SQL = (
    "SELECT id, candidate_id, %s AS term FROM recruiting_resume"
    " WHERE search_tsv @@ to_tsquery(%s::regconfig, %s)"
    # `+ 0`: a filter on the rows the GIN index found, never a look-up by candidate_id
    # followed by `@@` on each of its resumes' vectors.
    " AND candidate_id + 0 = ANY((SELECT ids FROM wanted)::bigint[])"
)
_RESUMES_END_SQL = ") AS hits GROUP BY id, candidate_id"


@dataclass(frozen=True)
class Chip:
    """One filter as the recruiter sees it: `kind` is skill, title, location, min_years or
    max_years; `typed` is the word a corrected skill was read from."""

    kind: str
    value: str
    label: str
    typed: str = ""


@dataclass(frozen=True)
class SearchFilters:
    skills: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    location: str = ""
    min_years: float | None = None
    max_years: float | None = None

    def chips(self, corrected: Iterable[tuple[str, str]] = ()) -> list[Chip]:
        typed = {skill: word for word, skill in corrected}
        out = [Chip("skill", s, s, typed.get(s, "")) for s in self.skills]
        out += [Chip("title", t, t.capitalize()) for t in self.titles]
        if self.location:
            out.append(Chip("location", self.location, f"in {self.location}"))
        if self.min_years is not None:
            out.append(
                Chip("min_years", _number(self.min_years), f"{_number(self.min_years)}+ years")
            )
        if self.max_years is not None:
            out.append(
                Chip("max_years", _number(self.max_years), f"≤ {_number(self.max_years)} years")
            )
        return out

    def without(self, chip: Chip) -> SearchFilters:
        if chip.kind == "skill":
            return replace(self, skills=tuple(s for s in self.skills if s != chip.value))
        if chip.kind == "title":
            return replace(self, titles=tuple(t for t in self.titles if t != chip.value))
        if chip.kind == "location":
            return replace(self, location="")
        if chip.kind == "min_years":
            return replace(self, min_years=None)
        return replace(self, max_years=None)

    def params(self) -> dict[str, Any]:
        """The filters as the search page's and the API's query parameters."""
        return {
            "skills": ", ".join(self.skills),
            "titles": ", ".join(self.titles),
            "location": self.location,
            "min_years": _number(self.min_years) if self.min_years is not None else "",
            "max_years": _number(self.max_years) if self.max_years is not None else "",
        }


@dataclass(frozen=True)
class TalentQuery:
    """What a search asks: `text` as typed, its filters (read from it and/or given), the free
    words, and `meaning`, the text the semantic ranking embeds."""

    text: str
    filters: SearchFilters
    words: tuple[str, ...] = ()
    meaning: str = ""
    corrected: tuple[tuple[str, str], ...] = ()
    description: bool = False

    @property
    def keyword_terms(self) -> tuple[str, ...]:
        return (*self.words, *self.filters.skills, *self.filters.titles)

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.meaning or self.filters.chips())

    def chips(self) -> list[Chip]:
        return self.filters.chips(self.corrected)


def talent_query(
    *,
    text: str,
    read: str = "",
    skills: Iterable[str] = (),
    titles: Iterable[str] = (),
    location: str = "",
    min_years: float | Decimal | None = None,
    max_years: float | Decimal | None = None,
) -> TalentQuery:
    """The search for `text` with the filters given. `text` is read for filters unless it is
    `read` (the text whose filters the page already shows as editable fields), so removing a
    chip does not bring it back; a changed text replaces what the old one gave, and keeps
    what the recruiter added by hand. The meaning ranked is `text`, or, once a filter read from it
    was removed, the filters and words that remain."""
    parsed = parse_query(text)
    given = SearchFilters(
        skills=_unique(s.strip() for s in skills if s.strip())[:MAX_SKILLS],
        titles=_unique(t.strip().lower() for t in titles if t.strip())[:MAX_TITLES],
        location=location.strip(),
        min_years=float(min_years) if min_years is not None else None,
        max_years=float(max_years) if max_years is not None else None,
    )
    filters = given
    if text.strip() and text.strip() != read.strip():
        filters = _merge(parsed, given, parse_query(read) if read.strip() else None)
    removed = set(parsed.skills) - set(filters.skills) or set(parsed.titles) - set(filters.titles)
    words = () if parsed.description else parsed.words
    meaning = text.strip()
    if removed or not meaning:
        meaning = " ".join([*filters.titles, *filters.skills, *words])
    corrected = tuple((w, s) for w, s in parsed.corrected if s in filters.skills)
    return TalentQuery(text.strip(), filters, words, meaning, corrected, parsed.description)


def _merge(parsed: ParsedQuery, given: SearchFilters, old: ParsedQuery | None) -> SearchFilters:
    """The filters of a new text, plus those given that the old text did not give (typed
    by hand into the fields)."""
    was = old or ParsedQuery(text="")
    own_skills = [s for s in given.skills if s not in was.skills]
    own_titles = [t for t in given.titles if t not in was.titles]
    return SearchFilters(
        skills=_unique([*parsed.skills, *own_skills])[:MAX_SKILLS],
        titles=_unique([*parsed.titles, *own_titles])[:MAX_TITLES],
        location=given.location
        if given.location and given.location != was.location
        else parsed.location,
        min_years=given.min_years
        if given.min_years is not None and given.min_years != was.min_years
        else parsed.min_years,
        max_years=given.max_years
        if given.max_years is not None and given.max_years != was.max_years
        else parsed.max_years,
    )


@dataclass
class TalentResults:
    """Candidate ids best first; which of them the keywords matched; whether meaning ranked."""

    query: TalentQuery
    mode: str
    ranked: list[int]
    keyword_matched: set[int] = field(default_factory=set)
    semantic: bool = False
    model_version: str = ""

    @property
    def count(self) -> int:
        return len(self.ranked)


def talent_search(*, user: AnyUser, query: TalentQuery, mode: str = BLENDED) -> TalentResults:
    """Every candidate `user` may see that passes the query's filters, ranked (see the
    module's docstring). Three or four queries whatever the number of candidates."""
    filtered = _filtered(user, query)
    with _bitmap_scans_only():
        ids = list(filtered.order_by("-created_at", "-id").values_list("pk", flat=True))
        keyword = _keyword_ranking(filtered, ids, query)
    matched = set(keyword)
    semantic: list[int] | None = None
    version = ""
    if mode == BLENDED and ids and query.meaning:
        version = FitCalibration.active().version
        semantic = _semantic_ranking(ids, query.meaning, version)
    # With free words: those they match, and the closest in meaning; else every candidate.
    chosen = matched | set((semantic or [])[:SEMANTIC_CANDIDATES]) if query.words else set(ids)
    rankings = [keyword] if semantic is None else [keyword, semantic]
    fused = fuse_rankings([[i for i in r if i in chosen] for r in rankings])
    newest = {pk: n for n, pk in enumerate(ids)}
    ranked = sorted(chosen, key=lambda pk: (-fused.get(pk, 0.0), newest[pk]))
    return TalentResults(query, mode, ranked, matched, semantic is not None, version)


def talent_candidates(*, user: AnyUser, ids: list[int]) -> list[Candidate]:
    """The candidates of `ids` (one page), in that order, with the applications the user may
    see (`visible_applications`) for the result list: three queries."""
    applications = (
        visible_applications(user)
        .select_related("job")
        .prefetch_related("job__stages")  # a job's own stage by its name
        .order_by("-applied_at")
    )
    found = Candidate.objects.prefetch_related(
        Prefetch("applications", queryset=applications, to_attr="visible_applications")
    ).in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class Relaxation:
    """A filter to remove, and how many candidates the search finds without it."""

    chip: Chip
    filters: SearchFilters
    count: int


def talent_relaxations(
    *, user: AnyUser, query: TalentQuery, mode: str = BLENDED
) -> list[Relaxation]:
    """For a search that finds nobody: each filter whose removal finds someone (searched as
    its link will search), most found first."""
    out = []
    for chip in query.chips():
        fewer = replace(query, filters=query.filters.without(chip))
        count = talent_search(user=user, query=fewer, mode=mode).count
        if count:
            out.append(Relaxation(chip, fewer.filters, count))
    return sorted(out, key=lambda r: -r.count)


# --- filters -------------------------------------------------------------------------------


def _filtered(user: AnyUser, query: TalentQuery) -> QuerySet[Candidate]:
    candidates = _visible_candidates(user)
    filters = query.filters
    if query.words or filters.location:
        # A name, an e-mail or an address would tell who a blind candidate is.
        hidden = blind.hidden_candidates_for(user)
        if hidden:
            candidates = candidates.exclude(pk__in=hidden)
    if filters.skills and uses_full_text_search():
        candidates = candidates.alias(skills_lower=skills_lowercase()).filter(
            skills_lower__contains=[s.lower() for s in filters.skills]  # type: ignore[misc]
        )
    elif filters.skills:
        candidates = candidates.filter(skills_filter(filters.skills))
    if filters.location:
        candidates = candidates.filter(location__icontains=filters.location)
    if filters.min_years is not None:
        candidates = candidates.filter(years_experience__gte=filters.min_years)
    if filters.max_years is not None:
        candidates = candidates.filter(years_experience__lte=filters.max_years)
    if filters.titles:
        # Any of the titles (a person holds one), by its head word ("technician" of
        # "automotive technician"), in the headline or a job held; the whole title ranks.
        held = Q()
        for head in {title.split()[-1] for title in filters.titles}:
            held |= Q(headline__icontains=head) | Q(experience__icontains=head)
        candidates = candidates.filter(held)
    return candidates


# --- keyword relevance ---------------------------------------------------------------------


def _keyword_ranking(
    filtered: QuerySet[Candidate], ids: list[int], query: TalentQuery
) -> list[int]:
    """The ids that match the query's words (any of them; with no words, any keyword term),
    best keyword rank first. On PostgreSQL, then those whose headline or jobs hold a word
    similar to a free word that matched nobody (a typo: `mlcore.search.typos`)."""
    terms = query.words or query.keyword_terms
    if not terms or not ids:
        return []
    if uses_full_text_search():
        # By the ids already read: the filters (an ILIKE over every profile for a title) are
        # not evaluated a second and third time inside the ranking's queries.
        return _full_text_ranking(ids, terms, query.keyword_terms, typo_eligible(query.words))
    if fts5_ready():
        return _fts5_ranking(ids, terms, query.keyword_terms)
    return _bm25_ranking(ids, terms, query.keyword_terms)


_LEXEME = re.compile(r"[^\W_]+")


def _tsquery_text(terms: Iterable[str]) -> str:
    """`to_tsquery` text of any term, each term all its words ("(general & ledger)"), not a
    phrase: a phrase makes PostgreSQL re-read every matching row's positions."""
    groups = []
    for term in terms:
        words = _LEXEME.findall(term.lower())
        if words:
            groups.append("(" + " & ".join(words) + ")")
    return " | ".join(groups) or "''"


def _full_text_ranking(
    ids: list[int],
    match_terms: Iterable[str],
    rank_terms: Iterable[str],
    typo_terms: Iterable[str] = (),
) -> list[int]:
    """PostgreSQL: the candidates whose profile or a resume mentions any of `match_terms`,
    ranked by the profile's `ts_rank` (any of `rank_terms`) plus half the share of
    `rank_terms` the best resume mentions (one query, `_full_text_rows`); then, below them,
    those whose headline or jobs hold a word similar to one of `typo_terms` that no
    candidate of `ids` mentions (one more query, `_trigram_rows`, only then)."""
    match_list = list(dict.fromkeys(match_terms))
    terms = list(dict.fromkeys(rank_terms))
    every = list(dict.fromkeys([*terms, *match_list]))
    counted = {n for n, term in enumerate(every) if term in set(terms)}
    matching = {n for n, term in enumerate(every) if term in set(match_list)}
    per_term = [(n, _tsquery_text([term])) for n, term in enumerate(every)]
    per_term = [(n, text) for n, text in per_term if text != "''"]
    # The typo-eligible words, by their number in `every`: is each in some profile?
    eligible = set(typo_terms)
    checks = [(n, text) for n, text in per_term if every[n] in eligible]
    # A long id list costs more to send and plan than the rows it removes: past this many,
    # the indexes answer for everyone and the ids are applied here.
    wanted = set(ids)
    only = ids if len(ids) <= MAX_IDS_IN_QUERY else None
    profile: dict[int, float] = {}
    resume: dict[int, int] = {}
    found: set[int] = set()
    for pk, rank, held in _full_text_rows(
        _tsquery_text(match_list), _tsquery_text(terms), per_term, only, checks
    ):
        if pk is None or pk not in wanted:  # a resume with no candidate yet; filtered out
            continue
        found.update(held or ())
        if rank is not None:
            profile[pk] = rank
        elif matching.intersection(held):
            resume[pk] = max(len(counted.intersection(held)), resume.get(pk, 0))
    score = {
        pk: profile.get(pk, 0.0) + 0.5 * resume.get(pk, 0) / max(1, len(terms))
        for pk in {*profile, *resume}
    }
    typos = typo_words(typo_terms, [every[n] for n in found], avoid=EXPERIENCE_KEYS)
    similar: dict[int, float] = {}
    if typos:
        similar = {pk: s for pk, s in _trigram_rows(typos, only) if pk in wanted}
        # A misspelt word held (by similarity) counts as a term the resume mentions, in
        # proportion to its similarity, among the exact matches too.
        for pk in similar.keys() & score.keys():
            score[pk] += 0.5 * similar[pk] / max(1, len(terms))
    ranked = sorted(score, key=lambda pk: (-score[pk], -pk))
    return ranked + sorted(similar.keys() - score.keys(), key=lambda pk: (-similar[pk], -pk))


# The keys of a candidate's jobs as stored (`experience`: mlcore.parsing's ExperienceEntry),
# which `UPPER(experience::text)` holds for every candidate with a job.
EXPERIENCE_KEYS = ("title", "employer", "start", "end", "present", "null")
# A word's similarity to a candidate's headline or jobs (migration 0017's trigram indexes:
# the expressions must stay identical). `%>`: word_similarity(word, text) at least
# pg_trgm.word_similarity_threshold, which `_bitmap_scans_only` sets.
_TRIGRAM_TEXTS = ("UPPER(headline::text)", "UPPER(experience::text)")
_TRIGRAM_MATCH_SQL = " OR ".join(f"{text} %%> %s" for text in _TRIGRAM_TEXTS)
_TRIGRAM_SCORE_SQL = (
    f"CASE WHEN {_TRIGRAM_MATCH_SQL} THEN GREATEST("
    + ", ".join(f"word_similarity(%s, {text})" for text in _TRIGRAM_TEXTS)
    + ") ELSE 0 END"
)


def _trigram_rows(words: Iterable[str], ids: list[int] | None) -> list[tuple[int, float]]:
    """PostgreSQL: (candidate id, summed similarity) of the candidates whose headline or
    jobs hold a word similar to any of `words` (upper-cased, as the indexed expressions),
    from the trigram indexes (bitmap scans: within `_bitmap_scans_only`)."""
    upper = [w.upper() for w in words]
    per_match = len(_TRIGRAM_TEXTS)
    score = " + ".join([_TRIGRAM_SCORE_SQL] * len(upper))
    match = " OR ".join([f"({_TRIGRAM_MATCH_SQL})"] * len(upper))
    params: list[Any] = []
    for word in upper:
        params += [word] * (per_match * 2)
    for word in upper:
        params += [word] * per_match
    parts = ["SELECT id, ", score, " FROM recruiting_candidate WHERE (", match, ")"]
    if ids is not None:
        parts.append(" AND id = ANY(%s::bigint[])")
        params.append(ids)
    with connection.cursor() as cursor:
        cursor.execute("".join(parts), params)
        return [(pk, float(similarity)) for pk, similarity in cursor.fetchall()]


def _full_text_rows(
    match: str,
    rank: str,
    per_term: list[tuple[int, str]],
    ids: list[int] | None,
    checks: list[tuple[int, str]] | None = None,
) -> list[tuple[int | None, float | None, list[int]]]:
    """One query on the stored vectors of migration 0007 (`to_tsquery` texts as parameters):
    (candidate id, `ts_rank` of the profile, the numbers of the `checks` terms the profile
    holds) for each profile matching `match`, and (candidate id, None, the numbers of the
    `per_term` terms it holds) for each resume holding any of them, from the resume
    vectors' GIN index alone: no resume vector is read. `ts_rank` or `@@` over resume
    vectors (thousands of words each, read whole from TOAST) cost most of a search at
    10,000 candidates; the checks are `@@` on the profile rows already read.

    Run within `_bitmap_scans_only` (as `talent_search` does): with a sequential scan a
    common word reads every resume vector from TOAST. (So no `candidate_id IS NOT NULL`
    either: it invites a scan of that column's index.)"""
    parts = [_WANTED_SQL] if ids is not None else []
    params: list[Any] = [ids] if ids is not None else []
    check_sql = "ARRAY[]::int[]"
    check_params: list[Any] = []
    if checks:
        check_sql = "array_remove(ARRAY[" + ", ".join([_PROFILE_CHECK_SQL] * len(checks))
        check_sql += "]::int[], NULL)"
        for n, text in checks:
            check_params += [SEARCH_CONFIG, text, n]
    profile_sql = _PROFILE_SQL if ids is None else _PROFILE_IN_IDS_SQL
    parts.append(profile_sql.replace("{checks}", check_sql))
    params += [SEARCH_CONFIG, rank, *check_params, SEARCH_CONFIG, match]
    if per_term:
        term_sql = _RESUME_TERM_SQL if ids is None else _RESUME_TERM_IN_IDS_SQL
        parts.append(_RESUMES_BEGIN_SQL)
        parts.append(" UNION ALL ".join([term_sql] * len(per_term)))
        parts.append(_RESUMES_END_SQL)
        for n, text in per_term:
            params += [n, SEARCH_CONFIG, text]
    sql = "".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def _bitmap_scans_only() -> Iterator[None]:
    """PostgreSQL: within the block, plan without sequential or plain index scans (bitmap
    scans stay) and look up similar words at `WORD_SIMILARITY_THRESHOLD`, then put the
    settings back; nothing on SQLite.

    The talent search filters and matches on expressions that are costly per row and that
    GIN indexes answer (migrations 0007 and 0017): `@@` on a stored vector read whole from
    TOAST, `lower(skills::text)::jsonb @>`, `UPPER(experience::text) LIKE` or `%>`. The
    planner prices each as one cheap operator and, with statistics, prefers to evaluate it
    on every row: 140-260 ms for a title or skills filter and up to 350 ms for the resume
    terms at 10,000 candidates, against 5-60 ms from the indexes (EXPLAIN ANALYZE,
    docs/search.md). The threshold is pg_trgm's setting, read by `%>` (the indexable form
    of `word_similarity(...) >= threshold`); unset before (pg_trgm not loaded in this
    session yet), it is reset after."""
    if not uses_full_text_search():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'),"
            " current_setting('pg_trgm.word_similarity_threshold', true),"
            " set_config('enable_seqscan', 'off', false),"
            " set_config('enable_indexscan', 'off', false),"
            " set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(WORD_SIMILARITY_THRESHOLD)],
        )
        row = cursor.fetchone()
    before = [row[0], row[1], row[2]] if row else ["on", "on", None]
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('enable_seqscan', %s, false),"
                    " set_config('enable_indexscan', %s, false),"
                    " set_config('pg_trgm.word_similarity_threshold', %s, false)",
                    before,
                )
        except DatabaseError:
            # A statement in the block broke the transaction: its rollback restores them.
            if not connection.in_atomic_block:
                raise


# --- SQLite: FTS5 ----------------------------------------------------------------------------

# Migration 0020's FTS5 table (rowid = candidate id) and the triggers that keep it in sync;
# the search uses it only when all are there (a later migration that remakes a table on
# SQLite drops that table's triggers), else the Python BM25 below.
FTS_TABLE = "recruiting_candidate_fts"
FTS_TRIGGERS = (
    "recruiting_candidate_fts_insert",
    "recruiting_candidate_fts_update",
    "recruiting_candidate_fts_delete",
    "recruiting_resume_fts_insert",
    "recruiting_resume_fts_update",
    "recruiting_resume_fts_delete",
)
_FTS_READY_SQL = (
    "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN "
)
# bm25() with weights for its columns (full_name, headline, summary, skills, resumes): a
# profile match counts twice a resume match, as the profile counted twice in the Python BM25.
_FTS_SQL = (
    "SELECT rowid, bm25(recruiting_candidate_fts, 2.0, 2.0, 2.0, 2.0, 1.0)"
    " FROM recruiting_candidate_fts WHERE recruiting_candidate_fts MATCH %s"
)
_FTS_ALSO_SQL = (
    " AND rowid IN (SELECT rowid FROM recruiting_candidate_fts"
    " WHERE recruiting_candidate_fts MATCH %s)"
)
# A token as FTS5's tokenizer reads it (unicode61 with "+" and "#" as word characters).
# Up to this many candidates passing the filters, the FTS5 query is limited to them.
MAX_FTS_IDS = 500
_FTS_TOKEN = re.compile(r"[^\W_][\w+#]*")


def fts5_ready() -> bool:
    """SQLite: whether migration 0020's FTS5 table and all its triggers exist."""
    if connection.vendor != "sqlite":
        return False
    names = [FTS_TABLE, *FTS_TRIGGERS]
    with connection.cursor() as cursor:
        placeholders = ", ".join(["%s"] * len(names))
        cursor.execute("".join([_FTS_READY_SQL, "(", placeholders, ")"]), names)
        row = cursor.fetchone()
    return bool(row) and row[0] == len(names)


def fts5_query(terms: Iterable[str]) -> str:
    """An FTS5 MATCH expression for any word of any term: each word a quoted string (a
    double quote inside doubled), so no user text is read as FTS5 syntax (AND, NOT, NEAR,
    `*`, `^`, `-`, a column filter); "" when there is no word. Any word of a multi-word
    term, as the Python BM25 counted them."""
    words = dict.fromkeys(t for term in terms for t in _FTS_TOKEN.findall(term.lower()))
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


def _fts5_ranking(
    ids: list[int], match_terms: Iterable[str], rank_terms: Iterable[str]
) -> list[int]:
    """SQLite: the candidates of `ids` whose profile or a resume holds any word of
    `match_terms`, by FTS5's `bm25()` for `rank_terms` (`_FTS_SQL`'s weights), best first; ties
    in the order of `ids` (newest first)."""
    match = fts5_query(match_terms)
    rank = fts5_query(rank_terms) or match
    if not match:
        return []
    parts = [_FTS_SQL]
    params: list[Any] = [rank]
    if match != rank:  # every row matching `match` matches `rank`, which holds its words
        parts.append(_FTS_ALSO_SQL)
        params.append(match)
    if len(ids) <= MAX_FTS_IDS:
        # Few candidates pass the filters: bm25() for theirs only (it reads each matching
        # row's positions), not for every row holding a common word.
        parts += [" AND rowid IN (", ", ".join(["%s"] * len(ids)), ")"]
        params += ids
    with connection.cursor() as cursor:
        cursor.execute("".join(parts), params)
        rows = cursor.fetchall()
    position = {pk: n for n, pk in enumerate(ids)}
    score = {pk: bm25 for pk, bm25 in rows if pk in position}  # bm25(): lower is better
    return sorted(score, key=lambda pk: (score[pk], position[pk]))


def _bm25_ranking(
    ids: list[int], match_terms: Iterable[str], rank_terms: Iterable[str]
) -> list[int]:
    """SQLite without the FTS5 table (`fts5_ready`): BM25 over each candidate's profile and
    resume texts, in Python."""
    texts = {pk: "" for pk in ids}
    rows = Candidate.objects.filter(pk__in=ids).values_list(
        "pk", "full_name", "headline", "summary", "skills"
    )
    for pk, name, headline, summary, skills in rows:
        # The profile twice: a profile match counts more than one in a resume.
        profile = " ".join([name, headline, summary, *map(str, skills or [])])
        texts[pk] = f"{profile} {profile}"
    for pk, text in Resume.objects.filter(candidate_id__in=ids).values_list("candidate_id", "text"):
        texts[pk] += " " + text
    documents = [texts[pk] for pk in ids]
    matching = bm25_scores(list(match_terms), documents)
    scores = bm25_scores(list(rank_terms), documents)
    order = sorted((i for i in range(len(ids)) if matching[i] > 0), key=lambda i: (-scores[i], i))
    return [ids[i] for i in order]


# --- semantic similarity -------------------------------------------------------------------


def _semantic_ranking(ids: list[int], meaning: str, version: str) -> list[int] | None:
    """`ids` with a stored embedding, closest in meaning to `meaning` first; None when no
    candidate has an embedding of the active version (nothing to compare with)."""
    owners, matrix = _pool_matrix(version)
    if not owners:
        return None
    row_of = {owner: row for row, owner in enumerate(owners)}
    having = [pk for pk in ids if pk in row_of]
    if not having:
        return []
    vector = query_vector(meaning, version)
    # The whole pool times the vector, then the rows wanted: copying the wanted rows out of
    # the matrix first (`matrix[rows] @ vector`) copied up to 70 MB per search.
    similarity = (matrix @ vector)[[row_of[pk] for pk in having]]
    order = np.argsort(-similarity, kind="stable")
    return [having[int(i)] for i in order]


def query_vector(text: str, version: str) -> np.ndarray:
    """The fit model's embedding of a search text (as a job's text), cached by version and
    text. The model is loaded once per process, on the first search that needs it."""
    key = "talent-q:" + hashlib.sha256(f"{version}\n{text}".encode()).hexdigest()
    stored = cache.get(key)
    if stored is not None:
        return np.frombuffer(stored, dtype=np.float32)
    from ..services.scoring import get_fit_model

    model = get_fit_model()
    vector = np.asarray(model.embed_jobs([text])[0], dtype=np.float32)
    cache.set(key, vector.tobytes(), QUERY_VECTOR_TTL_S)
    return vector


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return tuple(out)
