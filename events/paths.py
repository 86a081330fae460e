"""Paths of the pages named by a slug, without resolving the URL pattern again for every object.

``reverse()`` resolves the pattern anew on every call, and a month grid links a hundred events and
a feed writes 100,000. The path of a page named by a slug is the same text around the slug, so it
is reversed once (per language, whose prefix it starts with, and per script prefix and URL
configuration, which tests and sub-path deployments change) and the slug put in its place. A
slug with characters ``reverse()`` would quote still goes through it.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLAIN_SLUG = re.compile("[-a-zA-Z0-9_]+")
PLACEHOLDER = "slug-placeholder"
_AROUND_SLUG = {}


def slug_path(url_name, slug):
    """``reverse(url_name, kwargs={"slug": slug})``."""
    if not PLAIN_SLUG.fullmatch(slug):
        return reverse(url_name, kwargs={"slug": slug})
    key = (url_name, get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    around = _AROUND_SLUG.get(key)
    if around is None:
        around = _AROUND_SLUG[key] = reverse(url_name, kwargs={"slug": PLACEHOLDER}).split(PLACEHOLDER)
    if len(around) != 2:  # the placeholder also appears in the pattern itself
        return reverse(url_name, kwargs={"slug": slug})
    before, after = around
    return f"{before}{slug}{after}"
