"""iCalendar (RFC 5545, RFC 7986) output: a pure builder from rows to calendar text, and the response.

The builder knows nothing of requests: the caller passes the absolute base URL and the instant of
export, so the same rows always produce the same file (apart from DTSTAMP, which must be "now").
It writes a calendar as a stream of chunks (header, VTIMEZONEs, one VEVENT at a time, footer), so
a calendar of any size is written in flat memory; ``build_calendar()`` parses the stream back for
callers that want an ``icalendar.Calendar``.
"""

import functools
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

import icalendar
from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import http_date
from django.utils.translation import gettext

from events_site.rich_text import to_plain_text
from events_site.safe_urls import safe

from .. import recurrence, timefmt
from ..models import Event, OccurrenceChange
from ..zones import exclusive_end_date

PRODUCT_ID = "-//Events site//Events calendar 1.0//EN"

# Bumped whenever the builder writes differently: .ics ETags change with it (so clients holding an
# old one get the new file) and stored feed texts of an older format are not used (``stored``).
FILE_FORMAT = "5"

# How often subscribed clients should fetch a feed again (RFC 7986 REFRESH-INTERVAL and the older
# X-PUBLISHED-TTL that Outlook reads). Stated in the README and on the subscribe page.
REFRESH_INTERVAL = timedelta(hours=12)

# Every VTIMEZONE describes its zone over one fixed range (widened, with a margin, for items outside
# it), not over each file's own dates: parsers that keep the first VTIMEZONE they see per TZID for
# the whole process (vobject, and servers built on it) would otherwise read a later file's times
# with an earlier file's rules. About 1.7 KB per zone, against 2.3 KB for the library's 1970-2038.
TIMEZONE_RANGE = (date(2000, 1, 1), date(2040, 1, 1))
TIMEZONE_MARGIN = timedelta(days=366)

# Bytes of VEVENTs sent to the client at a time while a calendar streams.
STREAM_BLOCK = 64 * 1024

ICAL_STATUS = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.RESCHEDULED: "CONFIRMED",
    Event.Status.MOVED_ONLINE: "CONFIRMED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
}


def item_span(item):
    """(start, end) of an event or session as calendars want it: all-day items as dates with an
    exclusive end, timed items as aware datetimes in the item's own timezone.

    The one place that turns our inclusive ``end_date`` into the exclusive end of files and links.
    """
    if item.all_day:
        return item.start_date, exclusive_end_date(item.end_date)
    return item.local_start, item.local_end


def _set_schedule(component, start, end):
    """DTSTART/DTEND: dates get VALUE=DATE (icalendar adds it), datetimes a TZID of their zone."""
    component.add("dtstart", start)
    component.add("dtend", end)


def description_frame(event):
    """The paragraphs a DESCRIPTION puts before and after the event's own description: its summary;
    registration and contact. The importer takes them off again (``importer.own_description``)."""
    before = [to_plain_text(event.summary)]
    after = []
    if safe(event.registration_url):
        if event.registration_deadline:
            local = event.registration_deadline.astimezone(event.zone)
            after.append(
                gettext("Registration (until %(deadline)s): %(url)s")
                % {"deadline": timefmt.format_moment(local), "url": event.registration_url}
            )
        else:
            after.append(gettext("Registration: %(url)s") % {"url": event.registration_url})
    if event.contact_email:
        after.append(gettext("Contact: %(email)s") % {"email": event.contact_email})
    return [part for part in before if part], after


def event_description(event, url):
    """The plain-text DESCRIPTION: summary, description, registration, contact and the page's
    address (every item's DESCRIPTION ends with the address its URL gives)."""
    before, after = description_frame(event)
    parts = [*before, to_plain_text(event.description), *after, url]
    return "\n\n".join(part for part in parts if part)


def _common(component, *, uid, event, stamp, summary, url):
    component.add("uid", uid)
    component.add("dtstamp", stamp)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("summary", summary)
    component.add("url", url)


def event_component(event, *, base_url, stamp):
    """One VEVENT for the event itself (a series with its rule), or for one date of a series."""
    url = base_url + event.get_absolute_url()
    component = icalendar.Event()
    _common(component, uid=event.ical_uid, event=event, stamp=stamp, summary=event.title, url=url)
    component.add("created", event.created_at.astimezone(UTC))
    _set_schedule(component, *item_span(event))
    if event.recurrence_rule and not event.is_occurrence:
        _set_recurrence(component, event)
    component.add("status", ICAL_STATUS[event.status])
    if event.location_display:
        component.add("location", event.location_display)
    component.add("description", event_description(event, url))
    categories = [category.name for category in _categories(event)]
    if categories:
        component.add("categories", categories)
    if event.organizer and event.organizer.email:
        organizer = icalendar.vCalAddress(f"mailto:{event.organizer.email}")
        organizer.params["cn"] = event.organizer.name
        component.add("organizer", organizer)
    return component


def _set_recurrence(component, event):
    """RRULE with the series' skipped (EXDATE) and added (RDATE) dates, in DTSTART's value type."""
    component.add("rrule", icalendar.vRecur.from_ical(recurrence.exported_rule(event)))
    changes = list(event.occurrence_changes.all())
    for kind, name in ((OccurrenceChange.Kind.SKIP, "exdate"), (OccurrenceChange.Kind.ADD, "rdate")):
        for change in changes:
            if change.kind == kind:
                component.add(name, recurrence.date_value(event, change.original_start))


def occurrence_override_components(event, *, base_url, stamp):
    """One VEVENT per changed occurrence: the event's UID with a RECURRENCE-ID (RFC 5545 §3.8.4.4)."""
    url = base_url + event.get_absolute_url()
    duration = event.end - event.start
    for change in event.occurrence_changes.all():
        if change.kind != OccurrenceChange.Kind.CHANGE:
            continue
        start = change.start or change.original_start
        end = change.end or start + duration
        component = icalendar.Event()
        title = change.title or event.title
        _common(component, uid=event.ical_uid, event=event, stamp=stamp, summary=title, url=url)
        component.add("recurrence-id", recurrence.date_value(event, change.original_start))
        if event.all_day:
            _set_schedule(component, start.astimezone(event.zone).date(), end.astimezone(event.zone).date())
        else:
            _set_schedule(component, start.astimezone(event.zone), end.astimezone(event.zone))
        component.add("status", ICAL_STATUS[change.status or event.status])
        if event.location_display:
            component.add("location", event.location_display)
        component.add("description", event_description(event, url))
        yield component


def session_title(session, event):
    """A session's title as a calendar shows it, with its event's name in front."""
    return session.title if session.title == event.title else f"{event.title}: {session.title}"


def session_component(session, event, *, base_url, stamp):
    """One VEVENT for a session, linked to its event with RELATED-TO."""
    url = base_url + session.get_absolute_url()
    component = icalendar.Event()
    _common(
        component,
        uid=session.ical_uid,
        event=event,
        stamp=stamp,
        summary=session_title(session, event),
        url=url,
    )
    _set_schedule(component, *item_span(session))
    component.add("status", ICAL_STATUS[event.status])
    if session.location_display:
        component.add("location", session.location_display)
    description = "\n\n".join(part for part in (to_plain_text(session.description), url) if part)
    component.add("description", description)
    component.add("related-to", event.ical_uid)
    return component


def registration_deadline_uid(event):
    """The deadline item's own stable UID, derived from (and so keeping the domain of) the event's."""
    return f"registration-deadline-{event.ical_uid}"


def registration_deadline_title(event):
    return gettext("Registration closes: %(title)s") % {"title": event.title}


def registration_deadline_component(event, *, base_url, stamp):
    """The registration deadline as its own zero-length item, with a reminder a day before."""
    url = base_url + event.get_absolute_url()
    deadline = event.registration_deadline.astimezone(event.zone)
    component = icalendar.Event()
    _common(
        component,
        uid=registration_deadline_uid(event),
        event=event,
        stamp=stamp,
        summary=registration_deadline_title(event),
        url=safe(event.registration_url) or url,
    )
    _set_schedule(component, deadline, deadline)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    register = gettext("Register at %(url)s") % {"url": event.registration_url}
    lines = [register if safe(event.registration_url) else "", url]
    component.add("description", "\n\n".join(line for line in lines if line))
    component.add("related-to", event.ical_uid)
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", registration_deadline_title(event))
    alarm.add("trigger", timedelta(days=-1))
    component.add_component(alarm)
    return component


def _categories(event):
    """The event's categories, from ``for_calendar_feed()``'s list or the (prefetched) manager."""
    categories = getattr(event, "feed_categories", None)
    return event.categories.all() if categories is None else categories


def _sessions(event):
    sessions = getattr(event, "feed_sessions", None)
    return event.sessions.all() if sessions is None else sessions


def event_components(events, *, base_url, stamp, with_sessions=True):
    """The VEVENTs of ``events``, each followed by its sessions'.

    ``events`` should come from ``for_calendar_file()`` or ``for_calendar_feed()`` (``organizer``
    and ``venue`` selected, the rest prefetched), so that building takes a fixed number of queries.
    The one builder of every VEVENT: files, feeds and the stored texts (``events.calendar_files.stored``).
    """
    for event in events:
        yield event_component(event, base_url=base_url, stamp=stamp)
        if event.recurrence_rule:
            yield from occurrence_override_components(event, base_url=base_url, stamp=stamp)
        if with_sessions:
            for session in _sessions(event):
                session.event = event  # reuse the loaded event instead of a query per session
                yield session_component(session, event, base_url=base_url, stamp=stamp)


class ComponentText(NamedTuple):
    """A component already written out (a stored VEVENT, a VTIMEZONE); ``to_ical()`` like an
    icalendar component."""

    text: bytes

    def to_ical(self):
        return self.text


def utc_text(moment):
    """An instant as iCalendar writes it in UTC: 20210614T120000Z."""
    return icalendar.vDatetime(moment.astimezone(UTC)).to_ical().decode()


class ZoneSpan(NamedTuple):
    """A timezone used in a calendar and the instants its items cover (for a bounded VTIMEZONE)."""

    name: str
    first: datetime
    last: datetime

    @classmethod
    def of_events(cls, events, *, with_sessions=True):
        """The spans of in-memory timed events and sessions (sessions use their event's zone)."""
        spans = {}
        for event in events:
            items = [event, *event.sessions.all()] if with_sessions else [event]
            for item in items:
                if item.all_day:
                    continue
                first, last = spans.get(event.timezone, (item.start, item.end))
                spans[event.timezone] = (min(first, item.start), max(last, item.end))
        return [cls(name, first, last) for name, (first, last) in sorted(spans.items())]


def timezone_components(spans: Iterable[ZoneSpan]):
    """A VTIMEZONE per span, with the rules of ``TIMEZONE_RANGE`` (widened to cover the span)."""
    for span in spans:
        first = min(TIMEZONE_RANGE[0], span.first.date() - TIMEZONE_MARGIN)
        last = max(TIMEZONE_RANGE[1], span.last.date() + TIMEZONE_MARGIN)
        yield _timezone_text(span.name, first, last)


@functools.lru_cache(maxsize=512)
def _timezone_text(name, first, last):
    """One VTIMEZONE, written once per process: icalendar takes about 20 ms to work out a zone's
    transitions, and the same few zones and ranges come back in every file."""
    timezone = icalendar.Timezone.from_tzid(name, first_date=first, last_date=last)
    return ComponentText(_one_rdate_per_line(_comment_in_observances(timezone)).to_ical())


def _comment_in_observances(timezone):
    """icalendar writes the range its rules hold for as a COMMENT of the VTIMEZONE, where RFC 5545
    (§3.6.5) allows none; STANDARD and DAYLIGHT may carry one, so it moves to each of them."""
    comments = timezone.pop("COMMENT", None)
    if comments is not None:
        for observance in timezone.subcomponents:
            for comment in comments if isinstance(comments, list) else [comments]:
                observance.add("comment", comment)
    return timezone


def _one_rdate_per_line(timezone):
    """Split comma-separated RDATE lists into one RDATE per line.

    Both forms are valid RFC 5545, but ical.js (Thunderbird) and dateutil (vobject) read only the
    first date of a list, and so would miss every later DST change.
    """
    for observance in timezone.subcomponents:
        rdate = observance.pop("RDATE", None)
        if rdate is None:
            continue
        for moment in (
            d.dt for rdates in (rdate if isinstance(rdate, list) else [rdate]) for d in rdates.dts
        ):
            observance.add("rdate", moment)
    return timezone


def calendar_header(*, name, description="", source_url="") -> icalendar.Calendar:
    """The VCALENDAR's own properties (no components): version, product, name, refresh hints."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # As TEXT (escaped: a line break in a title or a visitor's search words stays inside the value):
    # icalendar does not know RFC 7986's NAME and would write it raw.
    calendar.add("name", icalendar.vText(name))
    calendar.add("x-wr-calname", icalendar.vText(name))
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", icalendar.vText(description))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH_INTERVAL).to_ical().decode())
    if source_url:
        calendar.add("source", source_url, parameters={"VALUE": "URI"})
    return calendar


def stream_calendar(components: Iterable, *, zones: Iterable[ZoneSpan], **header) -> Iterator[bytes]:
    """The calendar's text, chunk by chunk: header, VTIMEZONEs first (for strict clients), VEVENTs.

    ``components`` is consumed lazily, so rows can be read from the database as the file is sent.
    """
    head = calendar_header(**header).to_ical()
    end = b"END:VCALENDAR\r\n"
    yield head[: -len(end)]
    empty = True
    for timezone in timezone_components(zones):
        empty = False
        yield timezone.to_ical()
    # VEVENTs go out in blocks of about STREAM_BLOCK bytes: one write to the client per block
    # rather than per event (100,000 small writes cost more than writing the text).
    block, block_size = [], 0
    for component in components:
        empty = False
        text = component.to_ical()
        block.append(text)
        block_size += len(text)
        if block_size >= STREAM_BLOCK:
            yield b"".join(block)
            block, block_size = [], 0
    if block:
        yield b"".join(block)
    if empty:
        # RFC 5545 wants at least one component: an empty feed describes the site's zone.
        now = datetime.now(UTC)
        yield from (tz.to_ical() for tz in timezone_components([ZoneSpan(settings.TIME_ZONE, now, now)]))
    yield end


def build_calendar(events, *, name, base_url, now=None, with_sessions=True) -> icalendar.Calendar:
    """A whole VCALENDAR of a few in-memory events (and their sessions), parsed back from the stream."""
    events = list(events)
    chunks = stream_calendar(
        event_components(events, base_url=base_url, stamp=utc_stamp(now), with_sessions=with_sessions),
        zones=ZoneSpan.of_events(events, with_sessions=with_sessions),
        name=name,
    )
    return icalendar.Calendar.from_ical(b"".join(chunks))


class CalendarFileHeaders:
    """``text/calendar`` with a filename and cache validators, for both kinds of .ics response."""

    def __init__(self, chunks, *, filename, etag=None, last_modified=None, **kwargs):
        super().__init__(chunks, content_type="text/calendar; charset=utf-8", **kwargs)
        self["Content-Disposition"] = f'attachment; filename="{filename}"'
        if etag:
            self["ETag"] = etag
        if last_modified:
            self["Last-Modified"] = http_date(last_modified.timestamp())


class CalendarResponse(CalendarFileHeaders, HttpResponse):
    """A small .ics (one event's file) sent whole, with a Content-Length."""

    def __init__(self, chunks, **kwargs):
        super().__init__(b"".join(chunks), **kwargs)


class StreamingCalendarResponse(CalendarFileHeaders, StreamingHttpResponse):
    """A feed of any size, streamed component by component while rows are read."""


def utc_stamp(now=None) -> datetime:
    """DTSTAMP: the instant of export, in UTC."""
    return (now or datetime.now(UTC)).astimezone(UTC)
