"""Recurring events: rules expanded in the event's wall-clock time, with per-date changes."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from events import recurrence
from events.models import Event, OccurrenceChange
from tests.factories import AllDayEventFactory, EventFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def window(first, last, zone=VIENNA):
    return recurrence.day_window(first, last, zone)


def starts(event, first, last):
    return [
        o.start.astimezone(event.zone).isoformat() for o in event.occurrences_between(*window(first, last))
    ]


def test_weekly_meeting_keeps_ten_o_clock_across_the_march_change():
    meeting = EventFactory(
        start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY;BYDAY=TU"
    )

    assert starts(meeting, dt.date(2031, 3, 18), dt.date(2031, 4, 1)) == [
        "2031-03-18T10:00:00+01:00",
        "2031-03-25T10:00:00+01:00",
        "2031-04-01T10:00:00+02:00",
    ]


def test_weekly_meeting_keeps_ten_o_clock_across_the_october_change():
    meeting = EventFactory(
        start=dt.datetime(2031, 10, 21, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY;BYDAY=TU"
    )

    occurrences = meeting.occurrences_between(*window(dt.date(2031, 10, 21), dt.date(2031, 11, 4)))

    # Summer time ends on 26 October 2031: 10:00 is 08:00 UTC before and 09:00 UTC after.
    assert [o.start.astimezone(dt.UTC).hour for o in occurrences] == [8, 9, 9]
    assert {o.local_start.strftime("%H:%M") for o in occurrences} == {"10:00"}


def test_new_york_series_is_at_ten_in_new_york_on_both_sides_of_its_own_change():
    call = EventFactory(
        timezone="America/New_York",
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=NEW_YORK),
        recurrence_rule="FREQ=WEEKLY",
    )

    assert starts(call, dt.date(2031, 3, 4), dt.date(2031, 3, 12)) == [
        "2031-03-04T10:00:00-05:00",
        "2031-03-11T10:00:00-04:00",
    ]


def test_fifth_friday_only_in_months_that_have_one():
    event = EventFactory(
        start=dt.datetime(2031, 1, 31, 18, 0, tzinfo=VIENNA), recurrence_rule="FREQ=MONTHLY;BYDAY=5FR"
    )

    assert [s[:10] for s in starts(event, dt.date(2031, 1, 1), dt.date(2031, 12, 31))] == [
        "2031-01-31",
        "2031-05-30",
        "2031-08-29",
        "2031-10-31",
    ]


def test_second_tuesday_monthly():
    event = EventFactory(
        start=dt.datetime(2031, 1, 14, 15, 0, tzinfo=VIENNA), recurrence_rule="FREQ=MONTHLY;BYDAY=2TU;COUNT=3"
    )

    assert [s[:10] for s in starts(event, dt.date(2031, 1, 1), dt.date(2031, 12, 31))] == [
        "2031-01-14",
        "2031-02-11",
        "2031-03-11",
    ]


def test_leap_day_yearly_rule_skips_years_without_february_29():
    event = AllDayEventFactory(
        start_date=dt.date(2028, 2, 29), end_date=dt.date(2028, 2, 29), recurrence_rule="FREQ=YEARLY"
    )

    found = event.occurrences_between(*window(dt.date(2028, 1, 1), dt.date(2036, 12, 31)))

    assert [o.start_date for o in found] == [dt.date(2028, 2, 29), dt.date(2032, 2, 29), dt.date(2036, 2, 29)]


def test_count_rule_ends_the_series_after_its_last_occurrence():
    event = EventFactory(
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=DAILY;COUNT=3"
    )

    assert event.last_end == dt.datetime(2031, 3, 6, 11, 0, tzinfo=VIENNA)
    assert len(starts(event, dt.date(2031, 3, 1), dt.date(2031, 3, 31))) == 3


def test_until_rule_includes_its_last_day():
    event = EventFactory(
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=DAILY;UNTIL=20310306"
    )

    assert [s[:10] for s in starts(event, dt.date(2031, 3, 1), dt.date(2031, 3, 31))] == [
        "2031-03-04",
        "2031-03-05",
        "2031-03-06",
    ]
    assert event.last_end == dt.datetime(2031, 3, 6, 11, 0, tzinfo=VIENNA)


def test_until_in_utc_is_read_as_an_instant():
    # 09:00 UTC on 6 March is 10:00 in Vienna: the 10:00 occurrence that day is included.
    event = EventFactory(
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=DAILY;UNTIL=20310306T090000Z",
    )

    assert len(starts(event, dt.date(2031, 3, 1), dt.date(2031, 3, 31))) == 3


def test_endless_rule_expands_only_the_window_and_stays_upcoming():
    event = EventFactory(start=dt.datetime(2021, 1, 5, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=DAILY")

    found = event.occurrences_between(*window(dt.date(2040, 6, 1), dt.date(2040, 6, 7)))

    assert len(found) == 7
    assert event.last_end == recurrence.ENDLESS
    assert event in Event.objects.upcoming()
    assert event not in Event.objects.past()


def test_finished_series_is_past():
    event = EventFactory(
        start=dt.datetime(2021, 1, 5, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY;COUNT=2"
    )

    assert event in Event.objects.past()
    assert event not in Event.objects.upcoming()


def test_skipped_date_disappears_and_added_date_appears():
    event = EventFactory(
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY;COUNT=3"
    )
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )
    OccurrenceChange.objects.create(
        event=event, kind="add", original_start=dt.datetime(2031, 3, 12, 14, 0, tzinfo=VIENNA)
    )
    event = Event.objects.get(pk=event.pk)

    assert [s[:16] for s in starts(event, dt.date(2031, 3, 1), dt.date(2031, 3, 31))] == [
        "2031-03-04T10:00",
        "2031-03-12T14:00",
        "2031-03-18T10:00",
    ]


def test_changed_occurrence_has_its_own_time_and_title_and_the_rest_is_untouched():
    event = EventFactory(
        title="Coordination call",
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=WEEKLY;COUNT=3",
    )
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA),
        start=dt.datetime(2031, 3, 11, 15, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 3, 11, 16, 30, tzinfo=VIENNA),
        title="Coordination call (moved)",
    )

    found = event.occurrences_between(*window(dt.date(2031, 3, 1), dt.date(2031, 3, 31)))

    assert [(o.local_start.strftime("%d %H:%M"), o.local_end.strftime("%H:%M"), o.title) for o in found] == [
        ("04 10:00", "11:00", "Coordination call"),
        ("11 15:00", "16:30", "Coordination call (moved)"),
        ("18 10:00", "11:00", "Coordination call"),
    ]
    assert found[1].recurrence_id == dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)


def test_cancelled_occurrence_stays_listed_as_cancelled():
    event = EventFactory(
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY;COUNT=2"
    )
    OccurrenceChange.objects.create(
        event=event, kind="change", original_start=event.start, status=Event.Status.CANCELLED
    )

    found = event.occurrences_between(*window(dt.date(2031, 3, 1), dt.date(2031, 3, 31)))

    assert [o.is_cancelled for o in found] == [True, False]


def test_all_day_series_keeps_its_dates_in_any_window_timezone():
    event = AllDayEventFactory(
        timezone="America/New_York",
        start_date=dt.date(2031, 6, 2),
        end_date=dt.date(2031, 6, 2),
        recurrence_rule="FREQ=WEEKLY;COUNT=2",
    )

    found = event.occurrences_between(*window(dt.date(2031, 6, 9), dt.date(2031, 6, 9), VIENNA))

    assert [(o.start_date, o.end_date) for o in found] == [(dt.date(2031, 6, 9), dt.date(2031, 6, 9))]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("FREQ=HOURLY", "“HOURLY” is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY."),
        ("BYDAY=TU", "A rule needs FREQ, e.g. FREQ=WEEKLY;BYDAY=TU."),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20310101", "Give COUNT or UNTIL, not both (RFC 5545)."),
        ("DTSTART:20310101T100000\nRRULE:FREQ=DAILY", "Give only the rule, e.g. FREQ=WEEKLY;BYDAY=TU."),
    ],
)
def test_invalid_rules_are_refused_with_a_message(rule, message):
    event = EventFactory.build(recurrence_rule=rule)

    with pytest.raises(ValidationError) as caught:
        event.full_clean()

    assert caught.value.message_dict["recurrence_rule"] == [message]


def test_garbled_rule_is_refused():
    with pytest.raises(ValidationError) as caught:
        recurrence.validate_rule("FREQ=WEEKLY;BYDAY=XX")

    assert caught.value.code == "rrule_invalid"


def test_rule_is_stored_normalized():
    event = EventFactory(recurrence_rule="rrule:freq=weekly; byday=tu")

    assert event.recurrence_rule == "FREQ=WEEKLY;BYDAY=TU"


@pytest.mark.parametrize("weeks", [2, 40])
def test_expanding_a_window_takes_three_queries_however_many_occurrences(django_assert_num_queries, weeks):
    for index in range(3):
        EventFactory(start=dt.datetime(2031, 1, 6 + index, 10, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY")
    first, last = dt.date(2031, 1, 1), dt.date(2031, 1, 1) + dt.timedelta(weeks=weeks)

    with django_assert_num_queries(3):  # the longest event (the window's bound), events, changes
        events = Event.objects.overlapping_dates(first, last).prefetch_related("occurrence_changes")
        found = recurrence.occurrences_in_window(events, *window(first, last))

    assert len(found) == 3 * weeks


def test_overlapping_dates_finds_a_series_that_started_long_before_the_window():
    event = EventFactory(start=dt.datetime(2021, 1, 5, 10, 0, tzinfo=VIENNA), recurrence_rule="FREQ=MONTHLY")
    EventFactory(start=dt.datetime(2021, 1, 5, 10, 0, tzinfo=VIENNA))

    assert list(Event.objects.overlapping_dates(dt.date(2031, 5, 1), dt.date(2031, 5, 31))) == [event]
