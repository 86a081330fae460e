"""Rendering editors' rich text safely."""

import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def sanitize_html(value):
    """Editor HTML with scripts, event handlers and ``javascript:`` URLs removed (nh3 allow-list)."""
    return mark_safe(nh3.clean(value or "", link_rel="noopener noreferrer"))  # noqa: S308 - nh3 sanitized it
