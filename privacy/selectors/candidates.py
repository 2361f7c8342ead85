"""Reads for a candidate's privacy panel: retention, erasure state, what is held."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from recruiting.models import Application, Candidate, FitScore
from recruiting.pipeline import CLOSED_STAGES

from ..models import CandidateErasure, SelfIdentification


def candidate_last_activity(candidate: Candidate) -> datetime:
    agg = Application.objects.filter(candidate=candidate).aggregate(last=Max("updated_at"))
    return max(d for d in (candidate.updated_at, candidate.created_at, agg["last"]) if d)


def candidate_retention_date(candidate: Candidate) -> date:
    """retain_until when set; otherwise CANDIDATE_RETENTION_DAYS after the last activity."""
    if candidate.retain_until:
        return candidate.retain_until
    last = timezone.localdate(candidate_last_activity(candidate))
    return last + timedelta(days=settings.CANDIDATE_RETENTION_DAYS)


def candidate_search(q: str) -> QuerySet[Candidate]:
    match = Q(full_name__icontains=q) | Q(email__icontains=q)
    if q.lstrip("#").isdigit():
        match |= Q(pk=int(q.lstrip("#")))
    return Candidate.objects.filter(match).order_by("-created_at", "-id")


def candidate_erasure(candidate: Candidate) -> CandidateErasure | None:
    return CandidateErasure.objects.filter(candidate=candidate).first()


def candidate_privacy_summary(candidate: Candidate) -> dict[str, Any]:
    """What the privacy panel shows: counts, retention, erasure state; no self-ID answers."""
    from recruiting.models import (
        CandidateAttachment,
        Interview,
        Note,
        Offer,
        OutboundEmail,
        Resume,
        ResumeEmbedding,
        Scorecard,
    )

    return {
        "resumes": Resume.objects.filter(candidate=candidate).count(),
        "embeddings": ResumeEmbedding.objects.filter(resume__candidate=candidate).count(),
        "applications": Application.objects.filter(candidate=candidate).count(),
        "scores": FitScore.objects.filter(application__candidate=candidate).count(),
        "notes": Note.objects.filter(candidate=candidate).count(),
        "scorecards": Scorecard.objects.filter(application__candidate=candidate).count(),
        "attachments": CandidateAttachment.objects.filter(candidate=candidate).count(),
        "interviews": Interview.objects.filter(application__candidate=candidate).count(),
        "emails": OutboundEmail.objects.filter(candidate=candidate).count(),
        "offers": Offer.objects.filter(application__candidate=candidate).count(),
        "has_self_id": SelfIdentification.objects.filter(candidate=candidate).exists(),
        "retention_date": candidate_retention_date(candidate),
        "erasure": candidate_erasure(candidate),
        "open_applications": Application.objects.filter(candidate=candidate)
        .exclude(stage__in=CLOSED_STAGES)
        .count(),
    }
