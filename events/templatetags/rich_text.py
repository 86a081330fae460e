"""Editors' formatted text on a page: ``{{ event.description|rich_text }}`` (events_site.rich_text),
and its editor's media in the admin: ``{{ media|with_csp_nonce:request }}``."""

from django import template
from js_asset import Media

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


@register.filter
def with_csp_nonce(media, request):
    """A form's media whose inline ``<script type="importmap">`` (the rich-text editor's) carries this
    response's Content-Security-Policy nonce; media without one is returned as it is, and the
    response gets no nonce."""
    if getattr(media, "_importmap", None) is None:
        return media
    return Media.from_media(media, nonce=str(request.csp_nonce))
