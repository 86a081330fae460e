"""iCalendar (RFC 5545) output: a pure builder from events to a calendar, and the HTTP response.

The builder knows nothing of requests: the caller passes the absolute base URL and the instant of
export, so the same events always produce the same file (apart from DTSTAMP, which must be "now").
"""

from datetime import UTC, datetime, timedelta

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils.html import strip_tags

from . import timefmt

PRODUCT_ID = "-//Events site//Events calendar 1.0//EN"

ICAL_STATUS = {
    "scheduled": "CONFIRMED",
    "rescheduled": "CONFIRMED",
    "moved_online": "CONFIRMED",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
}


def _set_schedule(component, item):
    """DTSTART/DTEND: dates (VALUE=DATE, exclusive end) for all-day items, zoned times otherwise."""
    if item.all_day:
        component.add("dtstart", item.start_date)
        component.add("dtend", item.end_date + timedelta(days=1))
    else:
        component.add("dtstart", item.local_start)
        component.add("dtend", item.local_end)


def _plain(text):
    return strip_tags(text).strip()


def event_description(event, url):
    """The plain-text DESCRIPTION: summary, description, registration and the page's address."""
    parts = [_plain(event.summary), _plain(event.description)]
    if event.registration_url:
        deadline = ""
        if event.registration_deadline:
            local = event.registration_deadline.astimezone(event.zone)
            deadline = f" (until {timefmt.format_moment(local)})"
        parts.append(f"Registration{deadline}: {event.registration_url}")
    if event.contact_email:
        parts.append(f"Contact: {event.contact_email}")
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def event_component(event, *, base_url, stamp):
    """One VEVENT for the event itself."""
    url = base_url + event.get_absolute_url()
    component = icalendar.Event()
    component.add("uid", event.ical_uid)
    component.add("dtstamp", stamp)
    component.add("created", event.created_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add("summary", event.title)
    _set_schedule(component, event)
    component.add("status", ICAL_STATUS[event.status])
    component.add("url", url)
    if event.location_display:
        component.add("location", event.location_display)
    component.add("description", event_description(event, url))
    categories = [category.name for category in event.categories.all()]
    if categories:
        component.add("categories", categories)
    if event.organizer and event.organizer.email:
        organizer = icalendar.vCalAddress(f"mailto:{event.organizer.email}")
        organizer.params["cn"] = event.organizer.name
        component.add("organizer", organizer)
    return component


def session_component(session, event, *, base_url, stamp):
    """One VEVENT for a session, linked to its event with RELATED-TO."""
    component = icalendar.Event()
    component.add("uid", session.ical_uid)
    component.add("dtstamp", stamp)
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", event.sequence)
    component.add(
        "summary", session.title if session.title == event.title else f"{event.title}: {session.title}"
    )
    _set_schedule(component, session)
    component.add("status", ICAL_STATUS[event.status])
    component.add("url", base_url + session.get_absolute_url())
    if session.location_display:
        component.add("location", session.location_display)
    description = "\n\n".join(
        part for part in (_plain(session.description), base_url + event.get_absolute_url()) if part
    )
    component.add("description", description)
    component.add("related-to", event.ical_uid)
    return component


def build_calendar(events, *, name, base_url, now=None, with_sessions=True):
    """A VCALENDAR of ``events`` (and their sessions), with a VTIMEZONE for every TZID used.

    ``events`` should come with ``sessions`` and ``categories`` prefetched and ``organizer`` and
    ``venue`` selected, so that building takes a fixed number of queries.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(event_component(event, base_url=base_url, stamp=stamp))
        if with_sessions:
            for session in event.sessions.all():
                session.event = event  # reuse the loaded event instead of a query per session
                calendar.add_component(session_component(session, event, base_url=base_url, stamp=stamp))
    calendar.add_missing_timezones()
    return calendar


class CalendarResponse(HttpResponse):
    """A .ics download: ``text/calendar`` with a filename."""

    def __init__(self, calendar, *, filename, **kwargs):
        super().__init__(calendar.to_ical(), content_type="text/calendar; charset=utf-8", **kwargs)
        self["Content-Disposition"] = f'attachment; filename="{filename}"'
