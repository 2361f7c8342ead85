"""Models loaded when a worker process starts, so its first task does not pay for it."""

from __future__ import annotations

import logging
import time

from django.conf import settings

log = logging.getLogger(__name__)


def _fit() -> object:
    from mlcore.matching import get_fit_model

    return get_fit_model()


def _sentiment() -> object:
    from mlcore.sentiment.model import get_model
    from mlcore.sentiment.topics import get_tagger

    # An analysis task also tags topics: its tagger (a copy of the base encoder) is loaded
    # here too, or the first task of every worker pays for it.
    get_tagger()
    return get_model()


LOADERS = {"fit": _fit, "sentiment": _sentiment}


def warm_models(names: list[str] | None = None) -> list[str]:
    """Load each named model once in this process; a model that fails to load is logged
    and left to load (and fail visibly) in the task that needs it. Returns the loaded."""
    loaded = []
    for name in settings.WORKER_WARM_MODELS if names is None else names:
        loader = LOADERS.get(name)
        if loader is None:
            log.warning("WORKER_WARM_MODELS: unknown model %r (known: %s)", name, list(LOADERS))
            continue
        started = time.perf_counter()
        try:
            loader()
        except Exception:
            log.exception("could not load the %s model at worker start", name)
            continue
        log.info("%s model loaded in %.1f s", name, time.perf_counter() - started)
        loaded.append(name)
    return loaded
