"""A profile link as a clickable anchor only when the link rule calls it safe (recruiting/links.py);
anything else, such as a link stored before the rule existed, is shown as plain text."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..links import is_safe_href

register = template.Library()


@register.filter
def profile_link(value: object) -> SafeString:
    if is_safe_href(value):
        return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', value, value)
    return format_html('<span class="unsafe-link">{}</span>', value)
