"""Recurring events that calendars commonly get wrong, and their occurrences as the site sees them.

``make_recurring_events()`` builds the series; ``site_occurrences()`` expands them with the site's own
``recurrence.occurrences()`` into the normalized shape the independent parsers print (see
``tests/parsers``): per occurrence its UID, summary, iCalendar status, and start and end ("YYYY-MM-DD"
with an exclusive end for all-day, UTC "YYYY-MM-DDTHH:MM:SSZ" for timed, as in ``calendar_cases``).
"""

import datetime as dt
import zoneinfo

from events import recurrence
from events.calendar_files.builder import ICAL_STATUS
from events.models import Event, OccurrenceChange
from tests.calendar_cases import normalized
from tests.factories import AllDayEventFactory, EventFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# Wide enough for every case, with no occurrence near either edge (parsers differ on edge rules).
WINDOW = (dt.datetime(2031, 1, 1, tzinfo=dt.UTC), dt.datetime(2041, 1, 1, tzinfo=dt.UTC))


def make_recurring_events():
    """The series, published, keyed by slug, each with its exceptions."""
    # Tuesdays 10:00 in Vienna from 18 March to 4 November 2031: the clocks go forward on 30 March
    # and back on 26 October, and every occurrence stays at 10:00 local (09:00Z, then 08:00Z, then
    # 09:00Z again). One date skipped, one added, one moved and renamed, one cancelled.
    weekly = EventFactory(
        slug="weekly-across-both-dst-changes",
        title="Coordination call",
        start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 3, 18, 11, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20311104",
    )
    change = OccurrenceChange.objects.create
    change(event=weekly, kind="skip", original_start=dt.datetime(2031, 4, 1, 10, tzinfo=VIENNA))
    change(event=weekly, kind="add", original_start=dt.datetime(2031, 4, 3, 10, tzinfo=VIENNA))
    change(
        event=weekly,
        kind="change",
        original_start=dt.datetime(2031, 10, 21, 10, tzinfo=VIENNA),
        start=dt.datetime(2031, 10, 21, 14, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 10, 21, 15, 30, tzinfo=VIENNA),
        title="Coordination call (afternoon)",
    )
    change(
        event=weekly,
        kind="change",
        original_start=dt.datetime(2031, 10, 28, 10, tzinfo=VIENNA),
        status=Event.Status.CANCELLED,
    )
    events = {
        "weekly-across-both-dst-changes": weekly,
        # The fifth Friday of the month, six times: January, May, August and October 2031, then
        # January and April 2032 (months without a fifth Friday have none).
        "fifth-friday-of-the-month": EventFactory(
            slug="fifth-friday-of-the-month",
            title="Fifth Friday meetup",
            timezone="America/New_York",
            start=dt.datetime(2031, 1, 31, 18, 0, tzinfo=NEW_YORK),
            end=dt.datetime(2031, 1, 31, 19, 30, tzinfo=NEW_YORK),
            recurrence_rule="FREQ=MONTHLY;BYDAY=5FR;COUNT=6",
        ),
        # 29 February, every year it exists, never ending: 2032, 2036 and 2040 in the window. The
        # day is named in the rule: ical.js reads a bare FREQ=YEARLY from 29 February as "1 March
        # in other years" (see make_leap_day_with_implied_day()).
        "leap-day-every-year": EventFactory(
            slug="leap-day-every-year",
            title="Leap day lunch",
            start=dt.datetime(2032, 2, 29, 12, 0, tzinfo=VIENNA),
            end=dt.datetime(2032, 2, 29, 13, 0, tzinfo=VIENNA),
            recurrence_rule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        ),
        # Two-day all-day meetings every second Sunday, four times, one of them on the day the
        # clocks go forward (30 March 2031), one skipped and one moved by a day.
        "all-day-fortnightly": AllDayEventFactory(
            slug="all-day-fortnightly",
            title="Retreat",
            start_date=dt.date(2031, 3, 16),
            end_date=dt.date(2031, 3, 17),
            recurrence_rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;COUNT=4",
        ),
    }
    retreat = events["all-day-fortnightly"]
    change(event=retreat, kind="skip", original_start=dt.datetime(2031, 4, 13, tzinfo=VIENNA))
    change(
        event=retreat,
        kind="change",
        original_start=dt.datetime(2031, 4, 27, tzinfo=VIENNA),
        start=dt.datetime(2031, 4, 28, tzinfo=VIENNA),
        end=dt.datetime(2031, 4, 30, tzinfo=VIENNA),
        title="Retreat (moved)",
    )
    return {slug: Event.objects.get(pk=event.pk) for slug, event in events.items()}


def make_leap_day_with_implied_day():
    """A yearly series from 29 February whose rule leaves the day implied (RFC 5545 §3.3.10: years
    without the date have no occurrence), as editors and most clients write it."""
    return EventFactory(
        slug="leap-day-implied",
        title="Leap day party",
        start=dt.datetime(2032, 2, 29, 20, 0, tzinfo=VIENNA),
        end=dt.datetime(2032, 2, 29, 23, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=YEARLY",
    )


def normalized_occurrence(occurrence):
    """An ``Occurrence`` as the parsers print one."""
    if occurrence.all_day:
        start, end = occurrence.start_date, occurrence.end_date + dt.timedelta(days=1)
    else:
        start, end = occurrence.start, occurrence.end
    return {
        "uid": occurrence.event.ical_uid,
        "summary": occurrence.title,
        "status": ICAL_STATUS[occurrence.status],
        "start": normalized(start),
        "end": normalized(end),
    }


def site_occurrences(events, window=WINDOW):
    """Every occurrence of ``events`` in the window, by the site's own expansion, sorted as compared."""
    found = [
        normalized_occurrence(occurrence)
        for event in events
        for occurrence in recurrence.occurrences(event, *window)
    ]
    return sorted(found, key=occurrence_order)


def occurrence_order(occurrence):
    return (occurrence["uid"], occurrence["start"], occurrence["end"])
