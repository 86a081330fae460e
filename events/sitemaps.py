"""Sitemap sections for the calendar: published events, venues, organizers and the list pages.

``/sitemap.xml`` is an index of the sections (``events_site.urls``), each in pages of at most
``URLS_PER_PAGE`` addresses: a calendar of 100,000 events would otherwise pass the 50,000 addresses
a sitemap file may hold (Django's page 1 silently leaving the rest out) and take seconds to make.
"""

from collections.abc import Sequence
from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from . import recurrence
from .models import Event, Organizer, Venue

# A sitemap page is made by a sync worker that does nothing else meanwhile: pages stay small.
URLS_PER_PAGE = 1000


class InLanguages(Sequence):
    """``items`` with each item once per language, as ``(item, language)`` pairs, read a page at a
    time: Django's i18n sitemaps list every item of the section in every language before taking a
    page of them, which for 100,000 events is 600,000 pairs on every page."""

    def __init__(self, items, languages):
        self.items, self.languages = items, languages

    @cached_property
    def _count(self):
        items = self.items.count() if hasattr(self.items, "query") else len(self.items)
        return items * len(self.languages)

    def count(self):
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.count())
        size = len(self.languages)
        first, last = start // size, -(-stop // size)
        pairs = [(item, language) for item in self.items[first:last] for language in self.languages]
        return pairs[start - first * size : stop - first * size]


class PagedSitemap(Sitemap):
    """A section of the sitemap, in pages of ``URLS_PER_PAGE`` addresses: every page in each of the
    site's languages, each with its alternates in the others (``hreflang``)."""

    limit = URLS_PER_PAGE
    i18n = True
    alternates = True
    x_default = True  # the address without a language, as in every page's head

    def _items(self):
        # Django's own lists every pair at once (see InLanguages).
        return InLanguages(self.items(), [code for code, _name in settings.LANGUAGES])

    def get_latest_lastmod(self):
        # Django works this out for the index by reading every item of the section: the index
        # leaves it out instead, and each page says when each of its addresses last changed.
        return None


class EventSitemap(PagedSitemap):
    """Every published event page (drafts never)."""

    changefreq = "weekly"

    def items(self):
        # Primary-key order: a later page skips to its first row along the primary key.
        return Event.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class OccurrenceSitemap(PagedSitemap):
    """The page of each date of a repeating event in the coming year."""

    changefreq = "weekly"

    def items(self):
        now = timezone.now()
        series = Event.objects.published().upcoming(now).recurring()
        return series.occurrences_between(now, now + recurrence.SERIES_HORIZON)

    def lastmod(self, item):
        return item.updated_at


def having_published_events(model, event_field):
    """Rows of ``model`` that a published event names in ``event_field``, by name.

    EXISTS, not a join made DISTINCT: each row looks up one of its events by index, instead of the
    database joining every event and then removing the repeats.
    """
    events = Event.objects.published().filter(**{event_field: OuterRef("pk")})
    return model.objects.filter(Exists(events)).order_by("name", "pk")


class VenueSitemap(PagedSitemap):
    """Venues with at least one published event."""

    def items(self):
        return having_published_events(Venue, "venue")


class OrganizerSitemap(PagedSitemap):
    """Organizers with at least one published event."""

    def items(self):
        return having_published_events(Organizer, "organizer")


class EventPagesSitemap(PagedSitemap):
    """The event lists (not the calendar's entry point: it redirects, and sitemaps list final URLs)."""

    changefreq = "daily"

    def items(self):
        return ["events:list", "events:past"]

    def location(self, item):
        return reverse(item)
