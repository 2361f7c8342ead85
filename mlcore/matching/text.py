"""What the fit model reads: job and resume texts, blinded and tidied the same way in
training, scoring and explanations."""

from __future__ import annotations

import re
from functools import lru_cache

from mlcore.masking import MASK_VERSION, mask_text

# The model reads 256 word pieces (about 1,000-1,300 characters); blinding and tidying more than
# a generous margin beyond that would cost time for text the model never sees.
READ_CHARS = 2500

# Changes whenever `prepare_resume` would give a different text for the same input: a stored
# prepared text with another version is prepared again.
TEXT_VERSION = f"{MASK_VERSION}/read-{READ_CHARS}"  # = text_version(READ_CHARS)

_MOJIBAKE = {"â\x80¢": " ", "â€¢": " ", "â\x80\x93": "-", "â€“": "-", "Ã¯": "i", "â\x80\x99": "'"}


def _tidy(text: str) -> str:
    for bad, good in _MOJIBAKE.items():
        text = text.replace(bad, good)
    return re.sub(r"\s+", " ", text).strip()


def text_version(read_chars: int = READ_CHARS) -> str:
    """The stored prepared text's version for a model that reads `read_chars` characters."""
    return f"{MASK_VERSION}/read-{read_chars}"


@lru_cache(maxsize=4096)  # training reads each text every epoch
def prepare_resume(text: str, read_chars: int = READ_CHARS) -> str:
    # Mask before tidying: name detection reads the resume's first lines.
    return _tidy(mask_text(text[:read_chars]))


@lru_cache(maxsize=4096)
def prepare_job(text: str, read_chars: int = READ_CHARS) -> str:
    return _tidy(mask_text(text[:read_chars]))
