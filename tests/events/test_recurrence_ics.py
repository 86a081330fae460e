"""Recurring events in .ics files: the rule and its exceptions, not a flat list of dates."""

import datetime as dt
import zoneinfo

import icalendar
import pytest

from events.models import Event, OccurrenceChange
from tests.factories import AllDayEventFactory, EventFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
pytestmark = pytest.mark.django_db


def vevents(client, event):
    calendar = icalendar.Calendar.from_ical(client.get(event.get_ical_url()).content)
    return [c for c in calendar.walk("VEVENT") if str(c["UID"]) == event.ical_uid]


@pytest.fixture
def weekly_call():
    event = EventFactory(
        title="Coordination call",
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20310401",
    )
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )
    OccurrenceChange.objects.create(
        event=event, kind="add", original_start=dt.datetime(2031, 3, 13, 10, 0, tzinfo=VIENNA)
    )
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA),
        start=dt.datetime(2031, 3, 18, 15, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 3, 18, 16, 0, tzinfo=VIENNA),
        title="Coordination call (afternoon)",
    )
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 25, 10, 0, tzinfo=VIENNA),
        status=Event.Status.CANCELLED,
    )
    return Event.objects.get(pk=event.pk)


def test_series_is_written_as_a_rule_with_utc_until(client, weekly_call):
    master, *_ = vevents(client, weekly_call)

    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20310401T215959Z;BYDAY=TU"
    assert master.decoded("DTSTART") == dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA)


def test_skipped_and_added_dates_are_exdate_and_rdate_in_the_event_zone(client, weekly_call):
    master, *_ = vevents(client, weekly_call)

    assert [d.dt for d in master["EXDATE"].dts] == [dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)]
    assert master["EXDATE"].params["TZID"] == "Europe/Vienna"
    assert [d.dt for d in master["RDATE"].dts] == [dt.datetime(2031, 3, 13, 10, 0, tzinfo=VIENNA)]


def test_changed_and_cancelled_occurrences_are_overrides_with_recurrence_id(client, weekly_call):
    _, moved, cancelled = vevents(client, weekly_call)

    assert moved.decoded("RECURRENCE-ID") == dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA)
    assert moved.decoded("DTSTART") == dt.datetime(2031, 3, 18, 15, 0, tzinfo=VIENNA)
    assert str(moved["SUMMARY"]) == "Coordination call (afternoon)"
    assert cancelled.decoded("RECURRENCE-ID") == dt.datetime(2031, 3, 25, 10, 0, tzinfo=VIENNA)
    assert cancelled["STATUS"] == "CANCELLED"
    assert {int(c["SEQUENCE"]) for c in (moved, cancelled)} == {weekly_call.sequence}


def test_editing_a_change_raises_the_sequence_and_last_modified(weekly_call):
    before = (weekly_call.sequence, weekly_call.updated_at)

    OccurrenceChange.objects.filter(event=weekly_call, kind="skip").get().delete()

    weekly_call.refresh_from_db()
    assert weekly_call.sequence == before[0] + 1
    assert weekly_call.updated_at > before[1]


def test_all_day_series_writes_dates(client):
    event = AllDayEventFactory(
        start_date=dt.date(2031, 6, 2),
        end_date=dt.date(2031, 6, 2),
        recurrence_rule="FREQ=YEARLY;UNTIL=20330602",
    )
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2032, 6, 2, tzinfo=VIENNA)
    )
    event = Event.objects.get(pk=event.pk)

    (master,) = vevents(client, event)

    assert master["RRULE"].to_ical() == b"FREQ=YEARLY;UNTIL=20330602"
    assert master["EXDATE"].params["VALUE"] == "DATE"
    assert [d.dt for d in master["EXDATE"].dts] == [dt.date(2032, 6, 2)]


def test_subscription_keeps_a_series_that_began_long_ago(client):
    EventFactory(
        title="Monthly call", start=dt.datetime(2015, 1, 6, 10, tzinfo=VIENNA), recurrence_rule="FREQ=MONTHLY"
    )

    calendar = icalendar.Calendar.from_ical(b"".join(client.get("/en/events/calendar.ics").streaming_content))

    assert [str(c["SUMMARY"]) for c in calendar.walk("VEVENT")] == ["Monthly call"]


def test_yearly_leap_day_series_names_its_day_for_clients_that_would_move_it(client):
    event = AllDayEventFactory(
        start_date=dt.date(2028, 2, 29), end_date=dt.date(2028, 2, 29), recurrence_rule="FREQ=YEARLY;COUNT=3"
    )

    (master,) = vevents(client, event)

    assert dict(master["RRULE"]) == {"FREQ": ["YEARLY"], "COUNT": [3], "BYMONTH": [2], "BYMONTHDAY": [29]}
