""" "Add to calendar" links for web calendars that cannot take a file: Google Calendar and Outlook.

Plain functions from an ``Appointment`` (what a calendar item needs) to a URL. All-day items are
dates with an exclusive end, exactly as in our .ics files (``builder.item_span`` is the one place that
computes it); timed items are sent as UTC instants, so no web calendar has to guess a zone.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from . import builder

OUTLOOK_HOSTS = {"live": "outlook.live.com", "office": "outlook.office.com"}


@dataclass(frozen=True)
class Appointment:
    """One calendar item: dates (exclusive end) when all-day, aware datetimes otherwise."""

    title: str
    start: date | datetime
    end: date | datetime
    timezone: str
    details: str = ""
    location: str = ""

    @property
    def all_day(self):
        return not isinstance(self.start, datetime)

    @classmethod
    def for_event(cls, event, *, base_url):
        start, end = builder.item_span(event)
        return cls(
            event.title,
            start,
            end,
            event.timezone,
            details=builder.event_description(event, base_url + event.get_absolute_url()),
            location=event.location_display,
        )

    @classmethod
    def for_session(cls, session, event, *, base_url):
        start, end = builder.item_span(session)
        return cls(
            builder.session_title(session, event),
            start,
            end,
            event.timezone,
            details=base_url + session.get_absolute_url(),
            location=session.location_display,
        )

    @classmethod
    def for_registration_deadline(cls, event, *, base_url):
        deadline = event.registration_deadline.astimezone(event.zone)
        return cls(
            builder.registration_deadline_title(event),
            deadline,
            deadline,
            event.timezone,
            details=event.registration_url or base_url + event.get_absolute_url(),
        )


def _utc(value):
    return value.astimezone(UTC)


def google_url(appointment: Appointment) -> str:
    """Google Calendar's event template: ``dates=YYYYMMDD/YYYYMMDD`` (exclusive end) for all-day
    items, ``YYYYMMDDTHHMMSSZ/...`` in UTC otherwise; ``ctz`` shows the times in the item's zone."""
    if appointment.all_day:
        dates = f"{appointment.start:%Y%m%d}/{appointment.end:%Y%m%d}"
    else:
        dates = f"{_utc(appointment.start):%Y%m%dT%H%M%SZ}/{_utc(appointment.end):%Y%m%dT%H%M%SZ}"
    query = {"action": "TEMPLATE", "text": appointment.title, "dates": dates, "ctz": appointment.timezone}
    if appointment.details:
        query["details"] = appointment.details
    if appointment.location:
        query["location"] = appointment.location
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_url(appointment: Appointment, *, account="live") -> str:
    """Outlook on the web's compose deep link, for personal (``live``) or work (``office``) accounts:
    ``startdt``/``enddt`` are dates with ``allday=true`` (exclusive end) or UTC instants."""
    if appointment.all_day:
        start, end = appointment.start.isoformat(), appointment.end.isoformat()
    else:
        start = f"{_utc(appointment.start):%Y-%m-%dT%H:%M:%SZ}"
        end = f"{_utc(appointment.end):%Y-%m-%dT%H:%M:%SZ}"
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": appointment.title,
        "startdt": start,
        "enddt": end,
        "allday": "true" if appointment.all_day else "false",
    }
    if appointment.details:
        query["body"] = appointment.details
    if appointment.location:
        query["location"] = appointment.location
    return f"https://{OUTLOOK_HOSTS[account]}/calendar/deeplink/compose?" + urlencode(query)


def webcal_url(absolute_url: str) -> str:
    """The ``webcal://`` form of a feed's http(s) address: calendar apps subscribe when it is opened."""
    return "webcal://" + absolute_url.split("://", 1)[1]


def google_subscribe_url(absolute_url: str) -> str:
    """Google Calendar's "add by URL" screen, pre-filled with a feed."""
    return "https://calendar.google.com/calendar/render?" + urlencode({"cid": webcal_url(absolute_url)})


def outlook_subscribe_url(absolute_url: str, *, name: str, account="live") -> str:
    """Outlook on the web's "subscribe from web" screen, pre-filled with a feed and its name."""
    query = urlencode({"url": absolute_url, "name": name})
    return f"https://{OUTLOOK_HOSTS[account]}/calendar/0/addfromweb?{query}"
