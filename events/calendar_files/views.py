"""Calendar files, subscriptions and the personal schedule.

The views only select rows (``EventQuerySet`` and ``EventFilterForm`` say which); ``builder``
writes the file and ``links`` the links. Every .ics answer carries an ETag and a
Last-Modified, computed without building the file from what its body depends on, and a
conditional request that matches them gets ``304 Not Modified``:

* every file: the content revision (``ContentRevision``, stepped by every change of content,
  ``events.changes``), read in the same query as the rows;
* a file about one event: also the event's SEQUENCE and LAST-MODIFIED (which step whenever what
  its VEVENTs show changes), and as Last-Modified the later of that and the revision's time;
* a feed: also the number of events (which falls as events leave the feed window with time), and
  as Last-Modified the time of the revision or, if later, when the last event left the window;
* both: the file format, the site's address, the request's host and address, whether the viewer
  is staff, and the settings the file states (window, cap, site timezone).
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.formats import number_format
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext
from django.views.generic import TemplateView, View

from .. import recurrence
from ..filters import EventFilterForm
from ..forms import PersonalScheduleForm
from ..models import Category, Event, Tag, feed_window_start
from . import builder, links, stored

# Rows read from the database per round trip while a feed streams.
STREAM_CHUNK = 500


def in_language(language, chunks):
    """``chunks``, each made with ``language`` in use (a streamed file is made after its view
    returned, when nothing else says which language the request was in)."""
    with translation.override(language):
        yield from chunks


def base_url(request):
    """The site's absolute root ("https://events.example.org"), for URLs inside files and links:
    the canonical ``SITE_URL`` when set, else the address the request came to."""
    return settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")


def feed_window_text():
    """The feed window and size cap in words, as the subscribe page, README and files state them."""
    return gettext(
        "Subscriptions carry events that ended up to %(days)s days ago and every later event, at most "
        "%(cap)s events per feed (the earliest first); a feed that reaches the cap says so in its "
        "description. Calendar apps are asked to refresh every %(hours)s hours."
    ) % {
        "days": settings.ICS_FEED_PAST_DAYS,
        "cap": number_format(settings.ICS_FEED_MAX_EVENTS, force_grouping=True),
        "hours": int(builder.REFRESH_INTERVAL.total_seconds() // 3600),
    }


def feed_window_plain():
    """The window and cap as a visitor reads them, in one sentence."""
    days = settings.ICS_FEED_PAST_DAYS
    cap = number_format(settings.ICS_FEED_MAX_EVENTS, force_grouping=True)
    if days == 365:
        return gettext(
            "A subscription holds the events of the past year and everything still to come, up to "
            "%(cap)s events."
        ) % {"cap": cap}
    return gettext(
        "A subscription holds the events of the past %(days)s days and everything still to come, up to "
        "%(cap)s events."
    ) % {"days": days, "cap": cap}


class CalendarFileView(View):
    """Base of every .ics view: cache validators, 304 for matching conditional requests, streaming."""

    response_class = builder.CalendarResponse

    def respond(self, *, filename, version, last_modified, chunks):
        """The file (``chunks()`` is called only when the client's copy is stale) or a 304.

        ``version``: what the body depends on besides the request and settings (see above)."""
        request = self.request
        fingerprint = "|".join(
            map(
                str,
                (
                    builder.FILE_FORMAT,
                    settings.SITE_URL,
                    request.get_host(),
                    request.get_full_path(),
                    "staff" if request.user.is_staff else "public",
                    settings.TIME_ZONE,
                    settings.ICS_FEED_PAST_DAYS,
                    settings.ICS_FEED_MAX_EVENTS,
                    *version,
                ),
            )
        )
        # Weak: the same rows give the same calendar, but DTSTAMP (the time of export) differs.
        etag = "W/" + quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32])
        timestamp = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if not_modified is not None:
            not_modified["ETag"] = etag
            if timestamp is not None:
                not_modified["Last-Modified"] = http_date(timestamp)
            return not_modified
        return self.response_class(chunks(), filename=filename, etag=etag, last_modified=last_modified)


class EventFileView(CalendarFileView):
    """Base of the files about one event: the event is loaded once with what its file needs."""

    def get_queryset(self):
        return Event.objects.visible_to(self.request.user).for_calendar_file().with_content_revision()

    def get_event(self):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    def components(self, event, *, base_url, stamp):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        event = self.get_event()
        return self.serve(event, name=event.title, filename=f"{event.slug}.ics")

    def serve(self, event, *, name, filename, **kwargs):
        def chunks():
            components = self.components(
                event, base_url=base_url(self.request), stamp=builder.utc_stamp(), **kwargs
            )
            return builder.stream_calendar(components, zones=builder.ZoneSpan.of_events([event]), name=name)

        version = (f"revision {event.content_revision}", event.sequence, event.updated_at.isoformat())
        last_modified = max(filter(None, (event.updated_at, event.content_revised_at)))
        return self.respond(filename=filename, version=version, last_modified=last_modified, chunks=chunks)


class EventCalendarFileView(EventFileView):
    """The event and all its sessions as an .ics download (its stored text, when there is one)."""

    def get_queryset(self):
        return super().get_queryset().with_stored_text()

    def components(self, event, *, base_url, stamp):
        return stored.event_file_components(event, base_url=base_url, stamp=stamp)


class OccurrenceCalendarFileView(EventFileView):
    """One date of a repeating event as an .ics download of its own."""

    def get(self, request, *args, **kwargs):
        event = self.get_event()
        occurrence = recurrence.find_occurrence(event, kwargs["key"]) if event.is_recurring else None
        if occurrence is None:
            raise Http404("That date is not one of this event's dates.")
        return self.serve(
            event, name=occurrence.title, filename=f"{event.slug}-{occurrence.key}.ics", item=occurrence
        )

    def components(self, event, *, base_url, stamp, item):
        yield builder.event_component(item, base_url=base_url, stamp=stamp)


class SessionCalendarFileView(EventFileView):
    """One session of an event as an .ics download."""

    def get(self, request, *args, **kwargs):
        event = self.get_event()
        session = next((s for s in event.sessions.all() if s.pk == kwargs["pk"]), None)
        if session is None:
            raise Http404("This event has no such session.")
        return self.serve(
            event,
            name=builder.session_title(session, event),
            filename=f"{event.slug}-session-{session.pk}.ics",
            sessions=[session],
        )

    def components(self, event, *, base_url, stamp, sessions):
        for session in sessions:
            session.event = event
            yield builder.session_component(session, event, base_url=base_url, stamp=stamp)


class RegistrationDeadlineFileView(EventFileView):
    """An event's registration deadline as its own calendar item."""

    def get(self, request, *args, **kwargs):
        event = self.get_event()
        if not event.registration_deadline:
            raise Http404("This event has no registration deadline.")
        return self.serve(
            event,
            name=builder.registration_deadline_title(event),
            filename=f"{event.slug}-registration-deadline.ics",
        )

    def components(self, event, *, base_url, stamp):
        yield builder.registration_deadline_component(event, base_url=base_url, stamp=stamp)


class PersonalScheduleFileView(SessionCalendarFileView):
    """The sessions a visitor picked (``?session=1&session=5``) as a file or subscription."""

    def get(self, request, *args, **kwargs):
        event = self.get_event()
        form = PersonalScheduleForm(request.GET, sessions=event.sessions.all())
        if not form.is_valid():
            message = " ".join(str(error) for errors in form.errors.values() for error in errors)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.serve(
            event,
            name=gettext("My schedule: %(title)s") % {"title": event.title},
            filename=f"{event.slug}-my-schedule.ics",
            sessions=form.selected_sessions,
        )


class FilteredCalendarFileView(CalendarFileView):
    """The whole calendar, or any filtered view of it (``?category=...&city=...``), as a feed.

    Without ``from``/``to`` the feed window applies (see ``EventQuerySet.in_feed_window``); either
    way at most ``ICS_FEED_MAX_EVENTS`` events, and a capped file says so in its description.
    """

    response_class = builder.StreamingCalendarResponse

    def get(self, request, *args, **kwargs):
        form = EventFilterForm(request.GET)
        events, window_since = feed_events(form)
        summary = events.feed_summary(window_since=window_since)
        count, cap = summary["count"], settings.ICS_FEED_MAX_EVENTS
        if count > cap:
            events = events.first_by_start(cap)
        notes = feed_notes(form, count, cap)
        name = feed_name(form)

        language = stored.text_language()

        def chunks():
            rows = events.with_feed_texts(language).iterator(chunk_size=STREAM_CHUNK)
            components = stored.stored_components(
                rows,
                base_url=base_url(request),
                stamp=builder.utc_stamp(),
                language=language,
                batch_size=STREAM_CHUNK,
            )
            zones = [builder.ZoneSpan(*span) for span in summary["zones"]]
            source = request.build_absolute_uri()
            stream = builder.stream_calendar(
                components, zones=zones, name=name, description=" ".join(notes), source_url=source
            )
            # Streamed after the view has returned: the events it builds keep the file's language.
            return in_language(language, stream)

        response = self.respond(
            filename="events.ics",
            version=(f"revision {summary['revision']}", f"count {count}"),
            last_modified=summary["last_modified"],
            chunks=chunks,
        )
        if count > cap:
            response["X-Calendar-Truncated"] = f"{cap} of {count}"
        return response


def feed_events(form):
    """The published events a feed holds, and the start of its window: the visitor's filters, and
    without ``from``/``to`` the subscription window (``EventQuerySet.in_feed_window``)."""
    events = form.filter(Event.objects.published())
    if form.cleaned_data.get("from_date") or form.cleaned_data.get("to_date"):
        return events, None
    now = timezone.now()
    return events.in_feed_window(now), feed_window_start(now)


def feed_notes(form, count, cap):
    """What a feed's description says: the cap when it bites, ignored filters, window and cap."""
    notes = [*form.messages, feed_window_text()]
    if count > cap:
        notes.insert(
            0,
            gettext("This feed holds the first %(cap)s of %(count)s matching events; narrow it with filters.")
            % {
                "cap": number_format(cap, force_grouping=True),
                "count": number_format(count, force_grouping=True),
            },
        )
    return notes


def feed_name(form):
    """ "Events" or "Events (Category: Publications, City: Vienna)" after the active filters."""
    active = ", ".join(f"{label}: {value}" for _, label, value, _ in form.active)
    return gettext("Events (%(filters)s)") % {"filters": active} if active else gettext("Events")


def feed_links(request, query_string="", *, name=None):
    """The download, webcal, Google and Outlook subscription addresses of a (filtered) feed."""
    name = name or gettext("Events")
    path = reverse("events:calendar_ics") + (f"?{query_string}" if query_string else "")
    absolute = request.build_absolute_uri(path)
    return {
        "download": path,
        "webcal": links.webcal_url(absolute),
        "https": absolute,
        "google": links.google_subscribe_url(absolute),
        "outlook_live": links.outlook_subscribe_url(absolute, name=name),
        "outlook_office": links.outlook_subscribe_url(absolute, name=name, account="office"),
    }


class SubscribeView(TemplateView):
    """How to subscribe to the calendar, or to the filtered view the visitor came from."""

    template_name = "events/subscribe.html"

    def term_feeds(self, model, parameter):
        """[(term, links), ...] for the categories or tags with events in the feed window."""
        in_window = Event.objects.published().in_feed_window()
        terms = model.objects.filter(events__in=in_window).distinct().order_by("name")
        return [(term, feed_links(self.request, urlencode({parameter: term.slug}))) for term in terms]

    def get_context_data(self, **kwargs):
        form = EventFilterForm(self.request.GET)
        count = form.filter(Event.objects.published()).in_feed_window().count()
        name = feed_name(form)
        return super().get_context_data(
            filters=form,
            feed=feed_links(self.request, form.query_string, name=name),
            feed_name=name,
            feed_count=count,
            over_cap=count > settings.ICS_FEED_MAX_EVENTS,
            feed_window=feed_window_plain(),
            refresh_hours=int(builder.REFRESH_INTERVAL.total_seconds() // 3600),
            past_days=settings.ICS_FEED_PAST_DAYS,
            max_events=settings.ICS_FEED_MAX_EVENTS,
            categories=self.term_feeds(Category, "category"),
            tags=self.term_feeds(Tag, "tag"),
            **kwargs,
        )


class PersonalScheduleView(TemplateView):
    """Pick sessions of an event (a GET form, no account, no JavaScript) and get your own calendar."""

    template_name = "events/personal_schedule.html"

    def get_context_data(self, **kwargs):
        events = Event.objects.visible_to(self.request.user).for_calendar_file()
        event = get_object_or_404(events, slug=self.kwargs["slug"])
        sessions = list(event.sessions.all())
        for session in sessions:
            session.event = event
        submitted = "session" in self.request.GET
        form = PersonalScheduleForm(self.request.GET if submitted else None, sessions=sessions)
        context = {"event": event, "form": form, "sessions": sessions}
        if submitted and form.is_valid():
            query = urlencode({"session": [s.pk for s in form.selected_sessions]}, doseq=True)
            path = reverse("events:schedule_ics", kwargs={"slug": event.slug}) + f"?{query}"
            absolute = self.request.build_absolute_uri(path)
            context |= {
                "chosen": form.selected_sessions,
                "download": path,
                "webcal": links.webcal_url(absolute),
                "google_subscribe": links.google_subscribe_url(absolute),
            }
        return super().get_context_data(**context, **kwargs)
