"""Public calendar pages. Row selection lives in ``EventQuerySet``; these views only wire it up."""

from django.conf import settings
from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import Category, Event, Session, Tag


def visible_events(request):
    """Published events; staff also see drafts (to preview them)."""
    if request.user.is_staff:
        return Event.objects.all()
    return Event.objects.published()


def with_programme(queryset):
    """Add what an event page and its .ics need: sessions, documents, taxonomy, venue, organizer."""
    return queryset.for_listing().prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("start", "pk")), "documents"
    )


class EventListView(ListView):
    """Upcoming events, soonest first."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = settings.EVENTS_PER_PAGE
    period = "upcoming"

    def get_queryset(self):
        return Event.objects.published().upcoming().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(period=self.period, **kwargs)


class PastEventListView(EventListView):
    """Events that have ended, most recent first."""

    period = "past"

    def get_queryset(self):
        return Event.objects.published().past().for_listing()


class EventDetailView(DetailView):
    """One event with its sessions, documents and registration state."""

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        return with_programme(visible_events(self.request))

    def get_context_data(self, **kwargs):
        event = self.object
        return super().get_context_data(
            sessions_by_day=sessions_by_day(event.sessions.all()),
            site_timezone=settings.TIME_ZONE,
            shows_site_time=not event.all_day and event.timezone != settings.TIME_ZONE,
            **kwargs,
        )


def sessions_by_day(sessions):
    """[(date, [session, ...]), ...] grouped by the local day each session starts on."""
    days = {}
    for session in sessions:
        days.setdefault(session.start_date, []).append(session)
    return list(days.items())


class TaxonomyDetailView(DetailView):
    """A category or tag page listing its upcoming and recent events and its articles."""

    template_name = "events/taxonomy_detail.html"
    context_object_name = "term"
    listed = 20

    def get_context_data(self, **kwargs):
        term = self.object
        events = term.events.published().for_listing()
        return super().get_context_data(
            upcoming_events=events.upcoming()[: self.listed],
            past_events=events.past()[: self.listed],
            articles=term.articles.published().for_listing()[: self.listed],
            **kwargs,
        )


class CategoryDetailView(TaxonomyDetailView):
    """Everything in one category."""

    model = Category
    extra_context = {"kind": "Category"}


class TagDetailView(TaxonomyDetailView):
    """Everything with one tag."""

    model = Tag
    extra_context = {"kind": "Tag"}
