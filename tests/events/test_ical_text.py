"""The fast VEVENT serializer writes the very bytes icalendar writes for the same rows.

Feeds write one-off events and sessions with ``events.ical.event_text()``/``session_text()``
instead of icalendar's objects (issue 7: 100,000 events in seconds, not minutes); every other .ics
test reads that output through four parsers. Here each VEVENT is compared with icalendar's own
``event_component()``/``session_component()``, byte for byte: escaping, parameter quoting and
folding included.
"""

import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command

from events import ical
from events.models import Event
from tests.factories import (
    AllDayEventFactory,
    CategoryFactory,
    EventFactory,
    OrganizerFactory,
    SessionFactory,
    VenueFactory,
)

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
BASE_URL = "https://events.example.org"
STAMP = dt.datetime(2031, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db

# Characters of one to four UTF-8 octets and every character icalendar escapes, so that folds
# fall on each of them at some offset.
TRICKY = 'é€😀\\,;:"^’\n\r\n\\N x'


def assert_same_as_icalendar(events):
    compared = 0
    for event in Event.objects.filter(pk__in=[e.pk for e in events]).for_calendar_file():
        fast = ical.event_text(event, base_url=BASE_URL, stamp=STAMP)
        assert fast is not None, event.title
        assert fast.to_ical() == ical.event_component(event, base_url=BASE_URL, stamp=STAMP).to_ical()
        for session in event.sessions.all():
            session.event = event
            fast = ical.session_text(session, event, base_url=BASE_URL, stamp=STAMP)
            slow = ical.session_component(session, event, base_url=BASE_URL, stamp=STAMP)
            assert fast.to_ical() == slow.to_ical()
        compared += 1
    return compared


def test_generated_calendar_is_written_as_icalendar_writes_it(seed):
    call_command("generate_events", 150, seed=3, articles=0, verbosity=0)

    assert assert_same_as_icalendar(Event.objects.filter(recurrence_rule="")) == 152


@pytest.mark.parametrize("offset", range(0, 80, 3))
def test_escaping_and_folding_match_icalendar_at_every_offset(offset):
    text = "x" * offset + TRICKY * 8
    organizer = OrganizerFactory(name=f"Ann {TRICKY[:12]} Org", email="ann@example.org")
    venue = VenueFactory(name=f"Hall {TRICKY}", city="Wien")
    event = EventFactory(
        title=f"{'t' * offset}{TRICKY}",
        summary=text,
        description=text[::-1],
        organizer=organizer,
        venue=venue,
    )
    event.categories.add(CategoryFactory(name="Rights, labour; work"), CategoryFactory(name="Ünïcode"))
    SessionFactory(event=event, title=text[:40], description=text)

    assert assert_same_as_icalendar([event]) == 1


@pytest.mark.parametrize(
    "make",
    [
        lambda: AllDayEventFactory(start_date=dt.date(2031, 6, 14), end_date=dt.date(2031, 6, 16)),
        lambda: EventFactory(
            start=dt.datetime(2031, 3, 4, 10, tzinfo=VIENNA), end=dt.datetime(2031, 3, 4, 10, tzinfo=VIENNA)
        ),
        lambda: EventFactory(timezone="America/New_York", status="cancelled"),
        lambda: EventFactory(status="postponed", online_platform="Zoom", attendance_mode="online"),
        lambda: EventFactory(organizer=OrganizerFactory(name='Say "hi"', email="x@example.org")),
    ],
    ids=["all-day", "zero-length", "other zone, cancelled", "postponed, online", "quote in a name"],
)
def test_each_kind_of_event_matches_icalendar(make):
    assert assert_same_as_icalendar([make()]) == 1


def test_an_event_in_utc_is_left_to_icalendar():
    event = EventFactory(timezone="UTC")

    assert ical.event_text(event, base_url=BASE_URL, stamp=STAMP) is None
    assert [type(c) for c in ical.event_components([event], base_url=BASE_URL, stamp=STAMP)] == [
        type(ical.event_component(event, base_url=BASE_URL, stamp=STAMP))
    ]


def test_folded_lines_never_exceed_75_octets_nor_split_a_character():
    line = "DESCRIPTION:" + "€😀é" * 200

    folded = ical._fold(line)

    physical = folded.split(b"\r\n")[:-1]
    assert max(len(part) for part in physical) <= 75
    for part in physical:
        part.decode()  # each physical line is whole UTF-8
    assert b"".join(part[1:] if i else part for i, part in enumerate(physical)).decode() == line
