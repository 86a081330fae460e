"""Sitemap sections for the calendar: published events, venues, organizers and the list pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from . import recurrence
from .models import Event, Organizer, Venue


class EventSitemap(Sitemap):
    """Every published event page (drafts never)."""

    changefreq = "weekly"

    def items(self):
        return Event.objects.published().order_by("start", "pk")

    def lastmod(self, item):
        return item.updated_at


class OccurrenceSitemap(Sitemap):
    """The page of each date of a repeating event in the coming year."""

    changefreq = "weekly"

    def items(self):
        now = timezone.now()
        series = Event.objects.published().upcoming(now).recurring()
        return series.occurrences_between(now, now + recurrence.SERIES_HORIZON)

    def lastmod(self, item):
        return item.updated_at


class VenueSitemap(Sitemap):
    """Venues with at least one published event."""

    def items(self):
        return Venue.objects.filter(events__is_published=True).distinct().order_by("name", "pk")


class OrganizerSitemap(Sitemap):
    """Organizers with at least one published event."""

    def items(self):
        return Organizer.objects.filter(events__is_published=True).distinct().order_by("name", "pk")


class EventPagesSitemap(Sitemap):
    """The event lists (not the calendar's entry point: it redirects, and sitemaps list final URLs)."""

    changefreq = "daily"

    def items(self):
        return ["events:list", "events:past"]

    def location(self, item):
        return reverse(item)
