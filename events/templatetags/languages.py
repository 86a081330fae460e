"""The page in each of the site's languages: the language switcher and ``hreflang`` alternates."""

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import get_script_prefix, translate_url
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
    current, rest = get_language(), after_language(request)
    # The site's address patterns are the same in every language (none is translated): a page in
    # another language is the same address under that language's prefix. Any other address (an
    # error page's) goes through Django's translate_url.
    if rest is not None:
        addresses = [(code, f"{get_script_prefix()}{code}/{rest}") for code, _name in settings.LANGUAGES]
    else:
        addresses = [
            (code, translate_url(request.get_full_path(), code)) for code, _name in settings.LANGUAGES
        ]
    names = dict(settings.LANGUAGES)
    return [(code, names[code], absolute(request, address), code == current) for code, address in addresses]


@register.simple_tag(takes_context=True)
def page_without_language(context):
    """This page's address without a language (it redirects each visitor to theirs): the
    ``x-default`` alternate, as Django's sitemaps write it; "" for a page that has no prefix."""
    request = context.get("request")
    rest = after_language(request) if request is not None else None
    return "" if rest is None else absolute(request, get_script_prefix() + rest)


@register.simple_tag
def original_language():
    """The language the site's content is written in (its events, sessions, documents, places and
    articles): the site's own, until they can carry translations (issue 17)."""
    return settings.LANGUAGE_CODE


def after_language(request):
    """What follows the language's prefix in the request's address, its query included
    ("events/?q=x" for "/de/events/?q=x"); None for an address without the prefix."""
    here, prefix = request.get_full_path(), f"{get_script_prefix()}{get_language()}/"
    return here[len(prefix) :] if here.startswith(prefix) else None


def absolute(request, path):
    """``path`` on the request's host, or as it is on the 400 page of a host the site does not
    serve (nothing there may read it)."""
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path
