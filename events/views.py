"""Public calendar pages. Row selection lives in ``EventQuerySet``; these views only wire it up."""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, RedirectView, TemplateView

from . import calendar as site_calendar
from . import recurrence
from .filters import EventFilterForm, filter_options
from .models import Category, Event, Organizer, Session, Tag, Venue
from .pagination import OpenEndedPaginator


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

    def visitor_window(self, window_start, window_end):
        """The part of a window within the visitor's "from" and "to" dates; None when none is left."""
        return recurrence.clip_window((window_start, window_end), self.get_filter_form().bounds())

    def occurrences(self, events, window_start, window_end):
        """The dates of ``events`` (one-off and series) in a window, clipped to the visitor's dates."""
        window = self.visitor_window(window_start, window_end)
        return [] if window is None else events.occurrences_between(*window)

    def shown_days(self):
        """The first and last day the page shows (either None: open-ended), for its file links."""
        return None, None

    def subscribed_days(self):
        """The days the page's "Subscribe" link keeps: those shown, unless the page rolls on."""
        return self.shown_days()

    def get_context_data(self, **kwargs):
        form = self.get_filter_form()
        return super().get_context_data(
            filter_form=form,
            filter_options=filter_options(),
            file_query=form.query_string_for(*self.shown_days()),
            subscribe_query=form.query_string_for(*self.subscribed_days()),
            **kwargs,
        )


class EventListView(FilteredEventsMixin, ListView):
    """Upcoming events, soonest first, grouped by day, narrowed by the visitor's filters."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = settings.EVENTS_PER_PAGE
    paginator_class = OpenEndedPaginator  # "Page 3", never a count of every event
    period = "upcoming"

    def shown_days(self):
        return timezone.localdate(), None

    def subscribed_days(self):
        """None: a subscription to what is coming follows the feed's rolling window, not today's date."""
        return None, None

    def get_queryset(self):
        """One-off events page by page, merged with the dates of series in the coming year."""
        events = self.filtered(Event.objects.published().for_listing())
        return events.upcoming_listing(bounds=self.get_filter_form().bounds())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(period=self.period, **kwargs)
        context["days"] = site_calendar.group_by_local_day(
            context["object_list"], timezone.get_current_timezone()
        )
        return context


class PastEventListView(EventListView):
    """Events that have ended, most recent first."""

    period = "past"

    def shown_days(self):
        """Up to today: an event that ends today is in the file though it shows here tomorrow."""
        return None, timezone.localdate()

    def subscribed_days(self):
        return self.shown_days()

    def get_queryset(self):
        """Ended one-off events merged with the past year's dates of series, latest first."""
        events = self.filtered(Event.objects.published().for_listing())
        return events.past_listing(bounds=self.get_filter_form().bounds())


class CalendarTodayView(RedirectView):
    """The calendar's entry point: this month in the site's timezone, keeping any filters."""

    def get_redirect_url(self, *args, **kwargs):
        """This month, or the month and year of the month page's "Go to" form (``?month=6&year=2021``)."""
        query = self.request.GET.copy()
        today = timezone.localdate()
        year, month = today.year, today.month
        if "month" in query or "year" in query:
            try:
                year, month = int(query.pop("year", [""])[0]), int(query.pop("month", [""])[0])
            except ValueError as error:
                raise Http404("Choose a month and a year (such as 2021).") from error
            if not site_calendar.month_is_valid(year, month):
                raise Http404("No such month on the calendar.")
        url = reverse("events:calendar_month", kwargs={"year": year, "month": month})
        return f"{url}?{query.urlencode()}" if query else url


class CalendarMonthView(FilteredEventsMixin, TemplateView):
    """A month grid: each day with its events (all-day first), "+N more" when a day is full."""

    template_name = "events/calendar_month.html"

    def shown_days(self):
        return site_calendar.month_bounds(self.kwargs["year"], self.kwargs["month"])

    def get_context_data(self, **kwargs):
        year, month = self.kwargs["year"], self.kwargs["month"]
        if not site_calendar.month_is_valid(year, month):
            raise Http404("No such month on the calendar.")
        zone = timezone.get_current_timezone()
        first, last = site_calendar.month_grid_bounds(year, month)
        today = timezone.localdate()
        previous, following = (
            site_calendar.shift_month(year, month, -1),
            site_calendar.shift_month(year, month, 1),
        )
        events = self.filtered(Event.objects.published())
        grid = recurrence.day_window(first, last, zone)
        # The filters already keep only one-off events that meet the visitor's dates, and the
        # entries meet the grid's, so each meets both spans' common part unless there is none.
        one_off = events.calendar_entries(first, last, zone) if self.visitor_window(*grid) else []
        series = self.occurrences(events.series_overlapping_dates(first, last, zone), *grid)
        weeks = site_calendar.month_weeks(
            [*one_off, *series],
            year,
            month,
            zone,
            today,
            load_events=Event.objects.for_calendar_cells().in_bulk,
        )
        return super().get_context_data(
            month_start=dt.date(year, month, 1),
            weeks=weeks,
            has_events=any(day.items for week in weeks for day in week if day.in_month),
            previous_month=dt.date(*previous, 1) if site_calendar.month_is_valid(*previous) else None,
            next_month=dt.date(*following, 1) if site_calendar.month_is_valid(*following) else None,
            this_month=(today.year, today.month),
            months=[(number, dt.date(2000, number, 1)) for number in range(1, 13)],
            years=(site_calendar.FIRST_YEAR, site_calendar.LAST_YEAR),
            zone_names=site_calendar.zone_names(year, month, zone),
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

    def shown_days(self):
        return self.get_span()

    def get_context_data(self, **kwargs):
        first, last = self.get_span()
        zone = timezone.get_current_timezone()
        events = self.filtered(Event.objects.published()).overlapping_dates(first, last, zone)
        dates = self.occurrences(events.select_related("venue"), *recurrence.day_window(first, last, zone))
        step = dt.timedelta(days=(last - first).days + 1)
        previous_day, next_day = first - step, first + step
        next_last_day = last + step
        return super().get_context_data(
            span=self.span,
            first_day=first,
            last_day=last,
            days=site_calendar.agenda(dates, first, last, zone, timezone.localdate()),
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

    upcoming_dates_shown = 10

    def get_queryset(self):
        return with_programme(Event.objects.visible_to(self.request.user))

    def get_object(self, queryset=None):
        event = super().get_object(queryset)
        if event.is_recurring:  # a one-off event has no per-date changes: no query for them
            prefetch_related_objects([event], "occurrence_changes")
        return event

    def get_occurrence(self):
        """The one date of a series this page is about: none on the event's own page."""
        return None

    def get_context_data(self, **kwargs):
        event = self.object
        occurrence = self.get_occurrence()
        now = timezone.now()
        upcoming = []
        if event.is_recurring and occurrence is None:
            upcoming = recurrence.occurrences(event, now, now + recurrence.SERIES_HORIZON)[
                : self.upcoming_dates_shown
            ]
        return super().get_context_data(
            occurrence=occurrence,
            has_ended=occurrence.end <= now if occurrence else event.has_ended(now),
            shown=occurrence or (upcoming[0] if upcoming else event),
            upcoming_dates=upcoming,
            sessions_by_day=sessions_by_day(event.sessions.all()),
            site_timezone=settings.TIME_ZONE,
            shows_site_time=not event.all_day and event.timezone != settings.TIME_ZONE,
            **kwargs,
        )


class OccurrenceDetailView(EventDetailView):
    """One date of a repeating event: its own time, title and status; 404 for a date not in the series."""

    def get_occurrence(self):
        occurrence = recurrence.find_occurrence(self.object, self.kwargs["key"])
        if occurrence is None or not self.object.is_recurring:
            raise Http404("That date is not one of this event's dates.")
        return occurrence


def sessions_by_day(sessions):
    """[(date, [session, ...]), ...] grouped by the local day each session starts on."""
    days = {}
    for session in sessions:
        days.setdefault(session.start_date, []).append(session)
    return list(days.items())


class TermEventsView(DetailView):
    """A row with its own page listing its upcoming and recent published events."""

    context_object_name = "term"
    listed = 20

    def term_events(self):
        return self.object.events.published()

    def get_context_data(self, **kwargs):
        events = self.term_events().for_listing()
        return super().get_context_data(
            upcoming_events=events.upcoming()[: self.listed],
            past_events=events.past()[: self.listed],
            **kwargs,
        )


class TaxonomyDetailView(TermEventsView):
    """A category or tag page listing its upcoming and recent events and its articles."""

    template_name = "events/taxonomy_detail.html"

    def get_context_data(self, **kwargs):
        articles = self.object.articles.published().for_listing()[: self.listed]
        return super().get_context_data(articles=articles, **kwargs)


class CategoryDetailView(TaxonomyDetailView):
    """Everything in one category."""

    model = Category
    extra_context = {"kind": "Category", "kind_name": _("Category")}

    def term_events(self):
        return Event.objects.published().in_category(self.object)


class TagDetailView(TaxonomyDetailView):
    """Everything with one tag."""

    model = Tag
    extra_context = {"kind": "Tag", "kind_name": _("Tag")}

    def term_events(self):
        return Event.objects.published().tagged(self.object)


class DirectoryView(ListView):
    """Every venue or organizer, by name, with how many published events are still to come."""

    template_name = "events/directory.html"
    context_object_name = "entries"
    paginate_by = 100
    paginator_class = OpenEndedPaginator

    def get_queryset(self):
        return self.model.objects.with_upcoming_counts()


class VenueListView(DirectoryView):
    model = Venue
    extra_context = {"kind": "Venue", "heading": _("Venues"), "empty_text": _("No venues yet.")}


class OrganizerListView(DirectoryView):
    model = Organizer
    extra_context = {"kind": "Organizer", "heading": _("Organizers"), "empty_text": _("No organizers yet.")}


class PlaceDetailView(TermEventsView):
    """A venue or organizer with its upcoming and recent events."""

    template_name = "events/place_detail.html"


class VenueDetailView(PlaceDetailView):
    """A venue: address, map link, events."""

    model = Venue
    extra_context = {"kind": "Venue", "kind_name": _("Venue")}


class OrganizerDetailView(PlaceDetailView):
    """An organizer: website, contact, events."""

    model = Organizer
    extra_context = {"kind": "Organizer", "kind_name": _("Organizer")}
