"""RSS and Atom feeds of upcoming events, narrowed by the same query-string filters as the list."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from . import timefmt
from .filters import EventFilterForm
from .models import Event

FEED_ITEMS = 50


class UpcomingEventsFeed(Feed):
    """Upcoming published events, soonest first; ``?category=...`` etc. filter as on the list."""

    title = "Upcoming events · Alliance against Trafficking"
    description = "Upcoming events of the anti-trafficking network."

    def get_object(self, request, *args, **kwargs):
        # Per-request state goes through the object, never onto the shared feed instance.
        return EventFilterForm(request.GET)

    def link(self, form):
        query = form.query_string
        return reverse("events:list") + (f"?{query}" if query else "")

    def items(self, form):
        return form.filter(Event.objects.published().upcoming().for_listing())[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [str(timefmt.when(item)), item.location_display, item.summary]
        return "\n".join(part for part in parts if part)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]

    def item_guid(self, item):
        return item.ical_uid

    item_guid_is_permalink = False


class UpcomingEventsAtomFeed(UpcomingEventsFeed):
    """The same feed as Atom."""

    feed_type = Atom1Feed
    subtitle = UpcomingEventsFeed.description
