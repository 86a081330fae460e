"""RSS and Atom feeds of upcoming events, narrowed by the same query-string filters as the list."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from . import timefmt
from .filters import EventFilterForm
from .models import Event
from .structured_data import iso_dates

FEED_ITEMS = 50
# The RSS 1.0 event module (ev:startdate, ev:enddate, ev:location), which feed readers and
# aggregators read for an item's time; the values are those of the page's schema.org data.
EVENT_MODULE = "http://purl.org/rss/1.0/modules/event/"


class EventModuleMixin:
    """Adds each item's ev:startdate, ev:enddate and ev:location to a feed."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:ev": EVENT_MODULE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("ev:startdate", item["event_start"])
        handler.addQuickElement("ev:enddate", item["event_end"])
        if item["event_location"]:
            handler.addQuickElement("ev:location", item["event_location"])


class EventRssFeed(EventModuleMixin, Rss201rev2Feed):
    """RSS 2.0 with the event module."""


class EventAtomFeed(EventModuleMixin, Atom1Feed):
    """Atom with the event module."""


class UpcomingEventsFeed(Feed):
    """Upcoming published events, soonest first; ``?category=...`` etc. filter as on the list."""

    feed_type = EventRssFeed
    title = _("Upcoming events · Alliance against Trafficking")
    description = _("Upcoming events of the anti-trafficking network.")

    def get_object(self, request, *args, **kwargs):
        # Per-request state goes through the object, never onto the shared feed instance.
        return EventFilterForm(request.GET)

    def link(self, form):
        query = form.query_string
        return reverse("events:list") + (f"?{query}" if query else "")

    def items(self, form):
        """The next events, a repeating event's dates (in the coming year) each as an item."""
        events = form.filter(Event.objects.published().for_listing())
        return events.upcoming_listing(bounds=form.bounds())[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """HTML, as feed readers read an item's description: the plain fields escaped, one a line."""
        parts = [str(timefmt.when(item)), item.location_display, item.summary]
        return "<br>".join(escape(part) for part in parts if part)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]

    def item_guid(self, item):
        return item.ical_uid

    def item_extra_kwargs(self, item):
        start, end = iso_dates(item)
        return {"event_start": start, "event_end": end, "event_location": item.location_display}

    item_guid_is_permalink = False


class UpcomingEventsAtomFeed(UpcomingEventsFeed):
    """The same feed as Atom."""

    feed_type = EventAtomFeed
    subtitle = UpcomingEventsFeed.description
