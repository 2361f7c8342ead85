"""Talent search over the API: GET /api/v1/candidates/search/ answers the filters read from
a plain-language query and the ranked candidates (`selectors.talent`, as the portal page)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import DomainError
from mlcore.search.query import MAX_QUERY_CHARS

from ..blind import hidden_candidate_ids
from ..selectors.talent import (
    BLENDED,
    KEYWORD,
    TalentQuery,
    talent_candidates,
    talent_query,
    talent_relaxations,
    talent_search,
)
from .serializers import CandidateOut
from .views import RecruitingView

MAX_LIMIT = 100
MAX_OFFSET = 10_000


class SearchRefused(DomainError):
    code = "invalid_search"


class _TagList(serializers.CharField):
    """Comma-separated names in the query string, a list inside."""

    def to_internal_value(self, data: Any) -> list[str]:  # type: ignore[override]
        text = super().to_internal_value(data)
        # max_length is the text's (the schema's maxLength): its validator would see the list.
        if self.max_length is not None and len(text) > self.max_length:
            raise serializers.ValidationError(f"At most {self.max_length} characters.")
        return [part.strip() for part in text.split(",") if part.strip()]


class TalentSearchParams(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY_CHARS,
        help_text='Plain language ("Python developers in London with 5+ years") or a job '
        "description; skills, titles, a place and years are read from it as filters.",
    )
    parse = serializers.BooleanField(
        required=False,
        default=True,
        help_text="false: `q` is not read for filters (only the filters sent apply); it still "
        "ranks.",
    )
    skills = _TagList(
        required=False, max_length=1000, help_text="Comma-separated; every one is required."
    )
    titles = _TagList(
        required=False, max_length=500, help_text="Comma-separated; in the headline or a job held."
    )
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    min_years = serializers.FloatField(required=False, min_value=0, max_value=60)
    max_years = serializers.FloatField(required=False, min_value=0, max_value=60)
    mode = serializers.ChoiceField(
        [BLENDED, KEYWORD],
        required=False,
        default=BLENDED,
        help_text="blended: keyword relevance fused with the fit model's meaning; keyword: "
        "keyword relevance only.",
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=MAX_OFFSET, default=0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs.get("skills", [])) > 10:
            raise serializers.ValidationError({"skills": "At most 10 skills."})
        if len(attrs.get("titles", [])) > 5:
            raise serializers.ValidationError({"titles": "At most 5 titles."})
        low, high = attrs.get("min_years"), attrs.get("max_years")
        # Rules between parameters, which the schema cannot state: their own codes, not the
        # field-validation `invalid` (tests/api/test_schemathesis.py tells them apart).
        if low is not None and high is not None and low > high:
            raise SearchRefused("Must not be less than min_years.", field="max_years")
        if not attrs.get("q", "").strip() and not any(
            attrs.get(k) not in (None, "", [])
            for k in ("skills", "titles", "location", "min_years", "max_years")
        ):
            raise SearchRefused("Send a query or at least one filter.", field="q")
        return attrs


class CorrectedOut(serializers.Serializer):
    typed = serializers.CharField(help_text="The word as typed.")
    skill = serializers.CharField(help_text="The skill it was read as.")


class SearchFiltersOut(serializers.Serializer):
    skills = serializers.ListField(child=serializers.CharField())
    titles = serializers.ListField(child=serializers.CharField())
    location = serializers.CharField()
    min_years = serializers.FloatField(allow_null=True)
    max_years = serializers.FloatField(allow_null=True)


class ChipOut(serializers.Serializer):
    filter = serializers.ChoiceField(
        ["skill", "title", "location", "min_years", "max_years"], source="kind"
    )
    value = serializers.CharField()
    text = serializers.CharField(source="label", help_text='As the portal shows it ("5+ years").')


class RelaxationOut(serializers.Serializer):
    without = ChipOut(help_text="The filter to remove.")
    count = serializers.IntegerField(help_text="Candidates found without it.")
    filters = SearchFiltersOut(help_text="The filters that remain.")


class TalentHitOut(serializers.Serializer):
    rank = serializers.IntegerField()
    keyword_match = serializers.BooleanField(
        help_text="The query's words (or, with none, its skills or titles) match this candidate; "
        "false: found by meaning."
    )
    candidate = CandidateOut()


class TalentSearchOut(serializers.Serializer):
    query = serializers.CharField()
    filters = SearchFiltersOut()
    corrected = CorrectedOut(many=True)
    words = serializers.ListField(child=serializers.CharField(), help_text="Free words: they rank.")
    description = serializers.BooleanField(help_text="The query was read as a job description.")
    mode = serializers.ChoiceField([BLENDED, KEYWORD])
    semantic = serializers.BooleanField(help_text="Meaning ranked (stored embeddings exist).")
    model_version = serializers.CharField(
        help_text="The fit model that ranked by meaning, or empty."
    )
    count = serializers.IntegerField()
    results = TalentHitOut(many=True)
    relaxations = RelaxationOut(many=True, help_text="With no results: filters to remove.")


def _filters(query_filters: Any) -> dict[str, Any]:
    return {
        "skills": list(query_filters.skills),
        "titles": list(query_filters.titles),
        "location": query_filters.location,
        "min_years": query_filters.min_years,
        "max_years": query_filters.max_years,
    }


def _query(data: dict[str, Any]) -> TalentQuery:
    text = data.get("q", "")
    return talent_query(
        text=text,
        read=text if not data["parse"] else "",
        skills=data.get("skills", []),
        titles=data.get("titles", []),
        location=data.get("location", ""),
        min_years=data.get("min_years"),
        max_years=data.get("max_years"),
    )


class TalentSearchView(RecruitingView):
    """Candidates found by a plain-language query, best first. The query's skills (through
    the taxonomy's aliases and typos), job titles, place and years of experience are read as
    filters and answered in `filters`, so a client can show and change them (send them back
    with `parse=false`). Under blind screening free words and a place never find a candidate
    whose identity is hidden from the key's user, and found candidates are masked."""

    @extend_schema(parameters=[TalentSearchParams], responses=TalentSearchOut)
    def get(self, request: Request) -> Response:
        params = TalentSearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        query = _query(data)
        results = talent_search(user=request.user, query=query, mode=data["mode"])
        ids = results.ranked[data["offset"] : data["offset"] + data["limit"]]
        candidates = talent_candidates(user=request.user, ids=ids)
        hidden = hidden_candidate_ids(request.user, ids)
        relaxations = (
            []
            if results.count
            else talent_relaxations(user=request.user, query=query, mode=data["mode"])
        )
        body = {
            "query": query.text,
            "filters": _filters(query.filters),
            "corrected": [{"typed": t, "skill": s} for t, s in query.corrected],
            "words": list(query.words),
            "description": query.description,
            "mode": results.mode,
            "semantic": results.semantic,
            "model_version": results.model_version,
            "count": results.count,
            "results": [
                {
                    "rank": data["offset"] + n,
                    "keyword_match": c.pk in results.keyword_matched,
                    "candidate": c,
                }
                for n, c in enumerate(candidates, start=1)
            ],
            "relaxations": [
                {"without": r.chip, "count": r.count, "filters": _filters(r.filters)}
                for r in relaxations
            ],
        }
        return Response(TalentSearchOut(body, context={"hidden_ids": hidden}).data)
