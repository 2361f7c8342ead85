"""Template helpers for blind screening: a candidate's name as the signed-in user may see it.

`{% candidate_name obj %}` takes an Application or a Candidate. The first call on a page
works out, in at most two queries, which candidates of the whole batch are hidden (every
application of the same job for an Application; the `batch` argument's items for a
Candidate) and keeps the answer on the request, so a list of any length costs the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from recruiting import blind
from recruiting.models import Application, Candidate

register = template.Library()

_CACHE_ATTR = "_blind_hidden_ids"


def _known(request: Any) -> dict[int, bool]:
    known = getattr(request, _CACHE_ATTR, None)
    if known is None:
        known = {}
        setattr(request, _CACHE_ATTR, known)
    return known


def _candidate_ids(items: Iterable[Any]) -> set[int]:
    ids = set()
    for item in items:
        item = getattr(item, "obj", item)  # selectors.fit.Ranked
        if isinstance(item, Candidate):
            ids.add(item.pk)
        elif isinstance(item, Application):
            ids.add(item.candidate_id)
    return ids


def _job_is_blind(context: template.Context, application: Application) -> bool:
    cached = application._state.fields_cache.get("job")
    if cached is not None:
        return cached.blind_screening
    page_job = context.get("job")
    if page_job is not None and getattr(page_job, "pk", None) == application.job_id:
        return page_job.blind_screening
    return application.job.blind_screening


@register.simple_tag(takes_context=True)
def candidate_hidden(context: template.Context, obj: Any, batch: Iterable[Any] = ()) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not blind.blinding_applies(user):
        return False
    if isinstance(obj, Application):
        candidate_id = obj.candidate_id
        # In a job without blind screening this application alone shows the identity.
        if not _job_is_blind(context, obj):
            return False
    else:
        candidate_id = obj.pk
    known = _known(request) if request is not None else {}
    if candidate_id not in known:
        if isinstance(obj, Application):
            ids = set(
                Application.objects.filter(job_id=obj.job_id).values_list("candidate_id", flat=True)
            )
        else:
            ids = _candidate_ids(batch)
        ids.add(candidate_id)
        ids -= set(known)
        hidden = blind.hidden_candidate_ids(user, ids)
        known.update({pk: pk in hidden for pk in ids})
    return known[candidate_id]


@register.simple_tag(takes_context=True)
def candidate_name(context: template.Context, obj: Any, batch: Iterable[Any] = ()) -> str:
    """The candidate's name, or "Candidate #<id>" while blind screening hides it."""
    candidate_id = obj.candidate_id if isinstance(obj, Application) else obj.pk
    if candidate_hidden(context, obj, batch):
        return blind.display_name_for(candidate_id)
    candidate = obj.candidate if isinstance(obj, Application) else obj
    return str(candidate)
