"""Public calendar pages. Row selection lives in ``EventQuerySet``; these views only wire it up."""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView, RedirectView, TemplateView

from . import calendar as site_calendar
from .filters import EventFilterForm, filter_options
from .models import Category, Event, Organizer, Session, Tag, Venue


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


class FilteredEventsMixin:
    """The visitor's filters (``EventFilterForm`` over the query string) for a view that lists events."""

    def get_filter_form(self):
        if not hasattr(self, "filter_form"):
            self.filter_form = EventFilterForm(self.request.GET)
        return self.filter_form

    def filtered(self, queryset):
        return self.get_filter_form().filter(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.get_filter_form(), filter_options=filter_options(), **kwargs
        )


class EventListView(FilteredEventsMixin, ListView):
    """Upcoming events, soonest first, grouped by day, narrowed by the visitor's filters."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = settings.EVENTS_PER_PAGE
    period = "upcoming"

    def get_queryset(self):
        return self.filtered(Event.objects.published().upcoming().for_listing())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(period=self.period, **kwargs)
        context["days"] = site_calendar.group_by_local_day(
            context["object_list"], timezone.get_current_timezone()
        )
        return context


class PastEventListView(EventListView):
    """Events that have ended, most recent first."""

    period = "past"

    def get_queryset(self):
        return self.filtered(Event.objects.published().past().for_listing())


class CalendarTodayView(RedirectView):
    """The calendar's entry point: this month in the site's timezone, keeping any filters."""

    def get_redirect_url(self, *args, **kwargs):
        today = timezone.localdate()
        url = reverse("events:calendar_month", kwargs={"year": today.year, "month": today.month})
        query = self.request.META.get("QUERY_STRING", "")
        return f"{url}?{query}" if query else url


class CalendarMonthView(FilteredEventsMixin, TemplateView):
    """A month grid: each day with its events (all-day first), "+N more" when a day is full."""

    template_name = "events/calendar_month.html"

    def get_context_data(self, **kwargs):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not site_calendar.month_is_valid(year, month):
            raise Http404("No such month on the calendar.")
        zone = timezone.get_current_timezone()
        first, last = site_calendar.month_grid_bounds(year, month)
        events = self.filtered(Event.objects.published()).overlapping_dates(first, last, zone)
        today = timezone.localdate()
        previous, following = (
            site_calendar.shift_month(year, month, -1),
            site_calendar.shift_month(year, month, 1),
        )
        weeks = site_calendar.month_weeks(events.order_by("start", "pk"), year, month, zone, today)
        return super().get_context_data(
            month_start=dt.date(year, month, 1),
            weeks=weeks,
            has_events=any(day.items for week in weeks for day in week if day.in_month),
            previous_month=previous if site_calendar.month_is_valid(*previous) else None,
            next_month=following if site_calendar.month_is_valid(*following) else None,
            this_month=(today.year, today.month),
            site_timezone=settings.TIME_ZONE,
            **kwargs,
        )


class CalendarAgendaView(FilteredEventsMixin, TemplateView):
    """Every event of a span of days (one day, or one week), grouped by day, nothing cut off."""

    template_name = "events/calendar_agenda.html"
    span = "day"

    def get_span(self):
        """First and last day shown; a malformed or out-of-range date is a 404."""
        try:
            day = dt.date(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])
        except ValueError as error:
            raise Http404("No such day on the calendar.") from error
        if not site_calendar.month_is_valid(day.year, day.month):
            raise Http404("No such day on the calendar.")
        return day, day

    def get_context_data(self, **kwargs):
        first, last = self.get_span()
        zone = timezone.get_current_timezone()
        events = self.filtered(Event.objects.published()).overlapping_dates(first, last, zone)
        events = events.select_related("venue").order_by("start", "pk")
        step = dt.timedelta(days=(last - first).days + 1)
        previous_day, next_day = first - step, first + step
        next_last_day = last + step
        return super().get_context_data(
            span=self.span,
            first_day=first,
            last_day=last,
            days=site_calendar.agenda(events, first, last, zone, timezone.localdate()),
            previous_day=previous_day if site_calendar.day_is_valid(previous_day) else None,
            next_day=next_day if site_calendar.day_is_valid(next_last_day) else None,
            iso_week=first.isocalendar(),
            site_timezone=settings.TIME_ZONE,
            **kwargs,
        )


class CalendarWeekView(CalendarAgendaView):
    """A week's agenda, Monday to Sunday (ISO weeks)."""

    span = "week"

    def get_span(self):
        try:
            monday = dt.date.fromisocalendar(self.kwargs["year"], self.kwargs["week"], 1)
        except ValueError as error:
            raise Http404("No such week on the calendar.") from error
        if not site_calendar.month_is_valid(monday.year, monday.month):
            raise Http404("No such week on the calendar.")
        return site_calendar.week_bounds(monday)


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


class PlaceDetailView(DetailView):
    """A venue or organizer with its upcoming and recent events."""

    template_name = "events/place_detail.html"
    context_object_name = "term"
    listed = 20

    def get_context_data(self, **kwargs):
        events = self.object.events.published().for_listing()
        return super().get_context_data(
            upcoming_events=events.upcoming()[: self.listed],
            past_events=events.past()[: self.listed],
            **kwargs,
        )


class VenueDetailView(PlaceDetailView):
    """A venue: address, map link, events."""

    model = Venue
    extra_context = {"kind": "Venue"}


class OrganizerDetailView(PlaceDetailView):
    """An organizer: website, contact, events."""

    model = Organizer
    extra_context = {"kind": "Organizer"}
