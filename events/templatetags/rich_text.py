"""Editors' formatted text on a page: ``{{ event.description|rich_text }}`` (events_site.rich_text)."""

from django import template

from events_site import rich_text as formatted
from events_site.safe_urls import safe

register = template.Library()


@register.filter
def rich_text(value):
    """Stored text as cleaned, safe HTML (plain text of older rows as paragraphs and links)."""
    return formatted.as_html(value)


@register.filter
def safe_url(value):
    """An address to link only when it is http, https, mailto or a path here; else "" (no link)."""
    return safe(value)
