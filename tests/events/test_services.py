"""The event services called directly: the warning rules, saving with a version, duplicating."""

import datetime as dt
import zoneinfo

import pytest

from events.models import Event
from events.services import EventChangedMeanwhile, event_duplicate, event_save, event_warnings
from tests.factories import AllDayEventFactory, EventFactory, SessionFactory, VenueFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NOW = dt.datetime(2031, 1, 1, 12, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


def unsaved_event(**fields):
    """A timed Vienna event, 4 March 2031 10:00–11:00, in person at a Vienna venue; not saved."""
    defaults = {
        "title": "Alliance",
        "timezone": "Europe/Vienna",
        "start": dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        "end": dt.datetime(2031, 3, 4, 11, 0, tzinfo=VIENNA),
    }
    return Event(**{**defaults, **fields})


def test_event_warnings_are_empty_for_an_ordinary_event():
    assert event_warnings(unsaved_event(), now=NOW) == []


def test_event_warnings_flag_a_timed_event_ending_at_midnight():
    event = unsaved_event(end=dt.datetime(2031, 3, 5, 0, 0, tzinfo=VIENNA))

    assert event_warnings(event, now=NOW) == [
        "“Alliance” ends exactly at midnight (Wednesday 5 March 2031, 00:00 CET). "
        "If it runs for whole days, tick “all-day” and give its dates instead."
    ]


def test_event_warnings_do_not_flag_an_all_day_event_for_its_midnight_end():
    event = Event(title="Alliance", timezone="Europe/Vienna", all_day=True, start_date=dt.date(2031, 6, 14))
    event.end_date = dt.date(2031, 6, 16)
    event.derive_schedule()

    assert event_warnings(event, now=NOW) == []


def test_event_warnings_flag_a_timed_event_longer_than_fourteen_days():
    event = unsaved_event(end=dt.datetime(2031, 3, 18, 10, 1, tzinfo=VIENNA))

    assert event_warnings(event, now=NOW) == [
        "“Alliance” is a timed event lasting 14 days. "
        "Check the end, or make it all-day if it spans whole days."
    ]


def test_event_warnings_accept_a_timed_event_of_exactly_fourteen_days():
    event = unsaved_event(end=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA))

    assert event_warnings(event, now=NOW) == []


def test_event_warnings_flag_a_venue_outside_the_timezones_countries():
    event = unsaved_event(timezone="America/New_York", venue=VenueFactory(name="Hofburg", country="AT"))

    assert event_warnings(event, now=NOW) == [
        "The venue “Hofburg, Vienna” is in Austria, but the event's times are in America/New_York. "
        "Check the timezone."
    ]


def test_event_warnings_ignore_the_venue_of_an_online_event():
    venue = VenueFactory(country="AT")
    event = unsaved_event(timezone="America/New_York", venue=venue, attendance_mode="online")

    assert event_warnings(event, now=NOW) == []


def test_event_warnings_flag_a_published_event_with_nowhere_to_go():
    event = unsaved_event(is_published=True)

    assert event_warnings(event, now=NOW) == [
        "“Alliance” is published without a venue or an online link: visitors cannot tell where it is."
    ]


def test_event_warnings_accept_a_published_online_event_with_a_link():
    event = unsaved_event(is_published=True, online_url="https://zoom.us/j/1", attendance_mode="online")

    assert event_warnings(event, now=NOW) == []


def test_event_warnings_flag_a_registration_deadline_already_past():
    event = unsaved_event(registration_deadline=dt.datetime(2030, 12, 31, 17, 0, tzinfo=VIENNA))

    assert event_warnings(event, now=NOW) == [
        "The registration deadline (Tuesday 31 December 2030, 17:00 CET) has already passed: "
        "visitors see registration as closed."
    ]


def test_event_save_refuses_a_stale_version():
    event = EventFactory()
    event_save(event=Event.objects.get(pk=event.pk))

    with pytest.raises(EventChangedMeanwhile):
        event_save(event=event, expected_sequence=0)

    assert Event.objects.get(pk=event.pk).sequence == 1


def test_event_save_bumps_the_sequence_once_per_save():
    event = EventFactory()

    event_save(event=event, expected_sequence=0)
    event_save(event=event, expected_sequence=1)

    assert Event.objects.get(pk=event.pk).sequence == 2


def test_event_duplicate_finds_a_free_slug():
    event = EventFactory(slug="alliance")
    EventFactory(slug="alliance-copy")

    assert event_duplicate(event=event).slug == "alliance-copy-2"


def test_event_duplicate_a_year_later_appends_the_year_to_a_slug_without_one():
    event = AllDayEventFactory(
        slug="alliance", start_date=dt.date(2031, 6, 14), end_date=dt.date(2031, 6, 16)
    )
    SessionFactory(event=event, start=event.start, end=event.start + dt.timedelta(hours=2))

    copy = event_duplicate(event=event, shift_years=1)

    assert (copy.slug, copy.start_date, copy.end_date) == (
        "alliance-2032",
        dt.date(2032, 6, 14),
        dt.date(2032, 6, 16),
    )
    assert copy.sessions.get().start_date == dt.date(2032, 6, 14)
