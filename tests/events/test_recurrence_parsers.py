"""Recurring events as real clients expand them: ical.js (Thunderbird), libical (Evolution, GNOME)
and recurring-ical-events must find the same occurrences, at the same times, with the same titles
and statuses, as the site's own ``recurrence.occurrences()``, in our export and after a round trip
through the importer."""

import datetime as dt

import pytest

from events.calendar_files import builder
from events.calendar_files.importer import import_calendar
from events.models import Event
from tests.parsers import EXPANDERS
from tests.recurrence_cases import (
    WINDOW,
    make_leap_day_with_implied_day,
    make_recurring_events,
    occurrence_order,
    site_occurrences,
)

pytestmark = pytest.mark.django_db
FEED = "/en/events/calendar.ics?from=2000-01-01"


def feed_bytes(client):
    return b"".join(client.get(FEED).streaming_content)


def by_uid(occurrences):
    grouped = {}
    for occurrence in sorted(occurrences, key=occurrence_order):
        grouped.setdefault(occurrence["uid"], []).append(occurrence)
    return grouped


@pytest.fixture
def recurring(db):
    return make_recurring_events()


def test_site_occurrences_of_the_recurring_cases_are_the_expected_ones(recurring):
    found = by_uid(site_occurrences(recurring.values()))

    def rows(slug):
        return [(o["start"], o["end"], o["summary"], o["status"]) for o in found[recurring[slug].ical_uid]]

    weekly = rows("weekly-across-both-dst-changes")
    assert weekly[:4] == [
        ("2031-03-18T09:00:00Z", "2031-03-18T10:00:00Z", "Coordination call", "CONFIRMED"),  # CET
        ("2031-03-25T09:00:00Z", "2031-03-25T10:00:00Z", "Coordination call", "CONFIRMED"),
        ("2031-04-03T08:00:00Z", "2031-04-03T09:00:00Z", "Coordination call", "CONFIRMED"),  # added, CEST
        ("2031-04-08T08:00:00Z", "2031-04-08T09:00:00Z", "Coordination call", "CONFIRMED"),  # 1 April skipped
    ]
    assert weekly[-3:] == [
        ("2031-10-21T12:00:00Z", "2031-10-21T13:30:00Z", "Coordination call (afternoon)", "CONFIRMED"),
        ("2031-10-28T09:00:00Z", "2031-10-28T10:00:00Z", "Coordination call", "CANCELLED"),  # CET again
        ("2031-11-04T09:00:00Z", "2031-11-04T10:00:00Z", "Coordination call", "CONFIRMED"),  # UNTIL
    ]
    assert len(weekly) == 34
    assert [start for start, *_ in rows("fifth-friday-of-the-month")] == [
        "2031-01-31T23:00:00Z",
        "2031-05-30T22:00:00Z",
        "2031-08-29T22:00:00Z",
        "2031-10-31T22:00:00Z",
        "2032-01-30T23:00:00Z",
        "2032-04-30T22:00:00Z",
    ]
    assert [start for start, *_ in rows("leap-day-every-year")] == [
        "2032-02-29T11:00:00Z",
        "2036-02-29T11:00:00Z",
        "2040-02-29T11:00:00Z",
    ]
    assert rows("all-day-fortnightly") == [
        ("2031-03-16", "2031-03-18", "Retreat", "CONFIRMED"),
        ("2031-03-30", "2031-04-01", "Retreat", "CONFIRMED"),  # the day the clocks go forward
        ("2031-04-28", "2031-04-30", "Retreat (moved)", "CONFIRMED"),  # 13 April skipped
    ]


@pytest.mark.parametrize("expander", EXPANDERS)
def test_parser_expands_every_recurring_case_like_the_site(expander, recurring, client, tmp_path):
    parsed = EXPANDERS[expander](feed_bytes(client), tmp_path, WINDOW)

    expected = by_uid(site_occurrences(recurring.values()))
    assert by_uid(parsed["occurrences"]) == expected
    assert set(expected) == {event.ical_uid for event in recurring.values()}


@pytest.mark.parametrize(
    "expander",
    [
        "ical.js",
        "libical",
        "recurring-ical-events",
    ],
)
def test_parser_skips_non_leap_years_of_an_implied_leap_day_rule(expander, client, tmp_path):
    """ical.js 2.2.1 would move an implied yearly 29 February to 1 March in other years (against
    RFC 5545 §3.3.10); our export names BYMONTH=2;BYMONTHDAY=29, so every client agrees."""
    event = make_leap_day_with_implied_day()

    parsed = EXPANDERS[expander](feed_bytes(client), tmp_path, WINDOW)

    assert [o["start"] for o in parsed["occurrences"]] == [
        "2032-02-29T19:00:00Z",
        "2036-02-29T19:00:00Z",
        "2040-02-29T19:00:00Z",
    ]
    assert parsed["occurrences"] == site_occurrences([event])


@pytest.mark.parametrize("expander", EXPANDERS)
def test_parser_expands_the_reimported_export_like_the_original_series(expander, recurring, client, tmp_path):
    expected = site_occurrences(recurring.values())
    data = feed_bytes(client)
    Event.objects.all().delete()
    import_calendar(data)

    parsed = EXPANDERS[expander](feed_bytes(client), tmp_path, WINDOW)

    assert by_uid(parsed["occurrences"]) == by_uid(expected)


def client_file():
    """A series as another calendar writes it: a VTIMEZONE, UNTIL in UTC, EXDATE as a zoned list and
    in UTC, a zoned RDATE, and overrides before and after the master with UTC and zoned RECURRENCE-IDs."""
    now = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)
    vtimezone = (
        next(builder.timezone_components([builder.ZoneSpan("Europe/Vienna", now, now)])).to_ical().decode()
    )
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Other client//EN", *vtimezone.strip().split("\r\n"),
        "BEGIN:VEVENT", "UID:board@other.example", "RECURRENCE-ID:20311027T090000Z",
        "SUMMARY:Board meeting (online)", "STATUS:CONFIRMED",
        "DTSTART;TZID=Europe/Vienna:20311027T170000", "DTEND;TZID=Europe/Vienna:20311027T180000",
        "END:VEVENT",
        "BEGIN:VEVENT", "UID:board@other.example", "SUMMARY:Board meeting", "STATUS:CONFIRMED",
        "DTSTART;TZID=Europe/Vienna:20310224T100000", "DTEND;TZID=Europe/Vienna:20310224T120000",
        "RRULE:FREQ=MONTHLY;BYDAY=-1MO;UNTIL=20311231T230000Z",
        "EXDATE;TZID=Europe/Vienna:20310428T100000,20310526T100000", "EXDATE:20310825T080000Z",
        "RDATE;TZID=Europe/Vienna:20310903T100000", "END:VEVENT",
        "BEGIN:VEVENT", "UID:board@other.example", "RECURRENCE-ID;TZID=Europe/Vienna:20310331T100000",
        "SUMMARY:Board meeting", "STATUS:CANCELLED",
        "DTSTART;TZID=Europe/Vienna:20310331T100000", "DTEND;TZID=Europe/Vienna:20310331T120000",
        "END:VEVENT",
        "END:VCALENDAR",
    ]  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize("expander", EXPANDERS)
def test_site_reads_another_clients_series_as_the_parser_expands_it(expander, tmp_path):
    data = client_file()

    import_calendar(data)
    parsed = EXPANDERS[expander](data, tmp_path, WINDOW)

    expected = site_occurrences(Event.objects.all())
    assert [(o["start"], o["summary"], o["status"]) for o in expected][:3] == [
        ("2031-02-24T09:00:00Z", "Board meeting", "CONFIRMED"),
        ("2031-03-31T08:00:00Z", "Board meeting", "CANCELLED"),  # the last Monday, CEST
        ("2031-06-30T08:00:00Z", "Board meeting", "CONFIRMED"),  # April, May skipped
    ]
    assert len(expected) == 9  # Feb-Dec less 3 skipped, plus 3 September; 27 October moved
    assert sorted(parsed["occurrences"], key=occurrence_order) == expected
