"""Which links a candidate profile may hold: http, https and mailto only, so that no stored
link can run script in the browser of the recruiter or HR admin who clicks it."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

ALLOWED_SCHEMES = ("http", "https", "mailto")
MAX_LINKS = 50
MAX_LINK_LENGTH = 500

_url = URLValidator(schemes=["http", "https"])


class UnsafeLink(ValueError):
    """A link that is not a web address or an e-mail link; the message says why."""


def clean_link(raw: str) -> str:
    """The link as stored: a bare host ("github.com/ana") becomes https; anything that is not
    http, https or mailto is refused. urlsplit drops the tabs and newlines browsers ignore, so
    "java\\tscript:" is read as the browser would read it."""
    text = str(raw).strip()
    if not text:
        raise UnsafeLink("A link is empty.")
    if len(text) > MAX_LINK_LENGTH:
        raise UnsafeLink(f"A link is longer than {MAX_LINK_LENGTH} characters.")
    scheme = urlsplit(text).scheme.lower()
    if not scheme or (scheme not in ALLOWED_SCHEMES and "//" not in text and "." in scheme):
        text = f"https://{text}"  # "github.com/ana", "www.ana.dev:8080"
        scheme = "https"
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeLink(
            f"'{text[:60]}' is not allowed: links must start with http://, https:// or mailto:."
        )
    try:
        if scheme == "mailto":
            validate_email(text.split(":", 1)[1].split("?", 1)[0])
        else:
            _url(text)
    except ValidationError:
        raise UnsafeLink(f"'{text[:60]}' is not a valid web or e-mail address.") from None
    return text


def clean_links(raw: list[str] | tuple[str, ...]) -> list[str]:
    """A person's links, each cleaned; the first bad one raises with a readable message."""
    if not isinstance(raw, list | tuple):
        raise UnsafeLink("Links must be a list of web addresses.")
    if len(raw) > MAX_LINKS:
        raise UnsafeLink(f"At most {MAX_LINKS} links.")
    links: list[str] = []
    for item in raw:
        link = clean_link(item)
        if link not in links:
            links.append(link)
    return links


def safe_links(raw: object) -> list[str]:
    """Links from a machine (a parsed file, stored data): the safe ones kept, the rest dropped."""
    links: list[str] = []
    for item in raw if isinstance(raw, list | tuple) else []:
        try:
            link = clean_link(item)
        except UnsafeLink:
            continue
        if link not in links:
            links.append(link)
    return links[:MAX_LINKS]


def is_safe_href(value: object) -> bool:
    try:
        return clean_link(str(value)) == str(value).strip()
    except UnsafeLink:
        return False
