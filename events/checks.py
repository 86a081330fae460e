"""System checks of the calendar's settings (``manage.py check``; ``--deploy`` for production ones)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


@checks.register("events")
def site_url_is_an_address(app_configs, **kwargs):
    """DJANGO_SITE_URL, when set, is an http(s) address without a path: it starts every link."""
    if not settings.SITE_URL:
        return []
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme in ("http", "https") and parts.netloc and not parts.path and not parts.query:
        return []
    return [
        checks.Error(
            f"DJANGO_SITE_URL is {settings.SITE_URL!r}: it must be the site's address, such as "
            "https://events.example.org (scheme and host, no path).",
            id="events.E001",
        )
    ]


@checks.register("events", deploy=True)
def site_url_is_set(app_configs, **kwargs):
    """Without DJANGO_SITE_URL, links in calendar files and feeds follow each request's Host."""
    if settings.SITE_URL:
        return []
    return [
        checks.Warning(
            "DJANGO_SITE_URL is not set: the links in calendar files and feeds follow each request's "
            "Host, so a client that reached the site by another name (or an address) keeps links to it.",
            hint="Set DJANGO_SITE_URL=https://your.domain.",
            id="events.W001",
        )
    ]
