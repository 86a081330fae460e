"""The page in each of the site's languages: the language switcher and ``hreflang`` alternates."""

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_languages(context):
    """``[(code, name, absolute address, current?)]``: this page's address in every language (the
    same page, its query included), or the address as it is for a page that has no other
    language (an error page)."""
    request = context.get("request")
    if request is None:
        return []
    here = request.get_full_path()
    current = get_language()
    return [
        (code, name, absolute(request, translate_url(here, code)), code == current)
        for code, name in settings.LANGUAGES
    ]


def absolute(request, path):
    """``path`` on the request's host, or as it is on the 400 page of a host the site does not
    serve (nothing there may read it)."""
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path
