"""Events that calendars commonly get wrong, with the one right answer for each.

Every source of times (the page, the .ics read by four parsers, the Google and Outlook links, and
later JSON-LD and feeds) is checked against ``expected``: all-day items as dates with an exclusive
end ("2031-06-14", "2031-06-15"), timed items as UTC instants ("2031-07-28T14:00:00Z").
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from events.models import Event
from tests.factories import AllDayEventFactory, EventFactory, SessionFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Case:
    slug: str
    start: str
    end: str
    status: str = "CONFIRMED"


CASES = [
    Case("all-day-one-day", "2031-06-14", "2031-06-15"),
    Case("all-day-across-a-month-boundary", "2031-01-30", "2031-02-03"),
    # The clocks go forward in Vienna on 30 March 2031 at 02:00 CET: 22:00 CET to 04:00 CEST.
    Case("vienna-across-the-march-dst-change", "2031-03-29T21:00:00Z", "2031-03-30T02:00:00Z"),
    # The clocks go back on 26 October 2031 at 03:00 CEST: 01:30 CEST to 03:30 CET.
    Case("vienna-across-the-october-dst-change", "2031-10-25T23:30:00Z", "2031-10-26T02:30:00Z"),
    Case("new-york-in-summer", "2031-07-28T14:00:00Z", "2031-07-28T15:00:00Z"),
    Case("vienna-across-midnight", "2031-05-10T20:00:00Z", "2031-05-11T00:00:00Z"),
    Case("cancelled-in-vienna-winter", "2031-12-01T17:00:00Z", "2031-12-01T18:00:00Z", "CANCELLED"),
]
SESSION_CASE = Case("new-york-session", "2031-07-28T14:15:00Z", "2031-07-28T14:45:00Z")


def make_tricky_events():
    """The events of ``CASES`` (and a New York session), published, keyed by slug."""

    def timed(slug, zone, start, end, **kwargs):
        return EventFactory(
            slug=slug,
            title=slug.replace("-", " ").capitalize(),
            timezone=zone.key,
            start=start,
            end=end,
            **kwargs,
        )

    events = {
        "all-day-one-day": AllDayEventFactory(
            slug="all-day-one-day", title="All day one day", start_date=dt.date(2031, 6, 14)
        ),
        "all-day-across-a-month-boundary": AllDayEventFactory(
            slug="all-day-across-a-month-boundary",
            title="All day across a month boundary",
            start_date=dt.date(2031, 1, 30),
            end_date=dt.date(2031, 2, 2),
        ),
        "vienna-across-the-march-dst-change": timed(
            "vienna-across-the-march-dst-change",
            VIENNA,
            dt.datetime(2031, 3, 29, 22, 0, tzinfo=VIENNA),
            dt.datetime(2031, 3, 30, 4, 0, tzinfo=VIENNA),
        ),
        "vienna-across-the-october-dst-change": timed(
            "vienna-across-the-october-dst-change",
            VIENNA,
            dt.datetime(2031, 10, 26, 1, 30, tzinfo=VIENNA, fold=0),
            dt.datetime(2031, 10, 26, 3, 30, tzinfo=VIENNA),
        ),
        "new-york-in-summer": timed(
            "new-york-in-summer",
            NEW_YORK,
            dt.datetime(2031, 7, 28, 10, 0, tzinfo=NEW_YORK),
            dt.datetime(2031, 7, 28, 11, 0, tzinfo=NEW_YORK),
        ),
        "vienna-across-midnight": timed(
            "vienna-across-midnight",
            VIENNA,
            dt.datetime(2031, 5, 10, 22, 0, tzinfo=VIENNA),
            dt.datetime(2031, 5, 11, 2, 0, tzinfo=VIENNA),
        ),
        "cancelled-in-vienna-winter": timed(
            "cancelled-in-vienna-winter",
            VIENNA,
            dt.datetime(2031, 12, 1, 18, 0, tzinfo=VIENNA),
            dt.datetime(2031, 12, 1, 19, 0, tzinfo=VIENNA),
            status=Event.Status.CANCELLED,
        ),
    }
    SessionFactory(
        event=events["new-york-in-summer"],
        title="New york session",
        start=dt.datetime(2031, 7, 28, 10, 15, tzinfo=NEW_YORK),
        end=dt.datetime(2031, 7, 28, 10, 45, tzinfo=NEW_YORK),
    )
    return events


def normalized(value):
    """A date as "YYYY-MM-DD", an aware datetime as its UTC instant "YYYY-MM-DDTHH:MM:SSZ"."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()
