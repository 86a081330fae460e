"""Placing events on the site's calendar days (events.calendar): pure functions, no database."""

import datetime as dt
import zoneinfo
from types import SimpleNamespace

from events import calendar
from events.models import CalendarEntry, Event

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = dt.UTC


def timed(title, start, end, zone="Europe/Vienna", pk=None):
    """An unsaved timed event with its dates derived exactly as saving would."""
    event = Event(title=title, timezone=zone, start=start, end=end, all_day=False)
    event.pk = pk or abs(hash(title)) % 10_000
    event.derive_schedule()
    return event


def all_day(title, first, last, zone="Europe/Vienna", pk=None):
    event = Event(title=title, timezone=zone, start_date=first, end_date=last, all_day=True)
    event.pk = pk or abs(hash(title)) % 10_000
    event.derive_schedule()
    return event


def titles_by_day(placed):
    return {day: [item.event.title for item in items] for day, items in placed.items() if items}


def test_month_grid_bounds_are_whole_weeks_monday_to_sunday():
    assert calendar.month_grid_bounds(2021, 6) == (dt.date(2021, 5, 31), dt.date(2021, 7, 4))
    assert calendar.month_grid_bounds(2021, 2) == (dt.date(2021, 2, 1), dt.date(2021, 2, 28))


def test_shift_month_crosses_years():
    assert calendar.shift_month(2021, 1, -1) == (2020, 12)
    assert calendar.shift_month(2021, 12, 1) == (2022, 1)


def test_month_is_valid_rejects_month_zero_thirteen_and_far_years():
    assert calendar.month_is_valid(2021, 6)
    assert not calendar.month_is_valid(2021, 0)
    assert not calendar.month_is_valid(2021, 13)
    assert not calendar.month_is_valid(1899, 12)
    assert not calendar.month_is_valid(2201, 1)


def test_timed_event_crossing_midnight_is_on_both_days_continued_on_the_second():
    party = timed(
        "Night", dt.datetime(2021, 6, 14, 22, tzinfo=VIENNA), dt.datetime(2021, 6, 15, 2, tzinfo=VIENNA)
    )

    placed = calendar.place([party], dt.date(2021, 6, 13), dt.date(2021, 6, 16), VIENNA)

    assert titles_by_day(placed) == {dt.date(2021, 6, 14): ["Night"], dt.date(2021, 6, 15): ["Night"]}
    first, second = placed[dt.date(2021, 6, 14)][0], placed[dt.date(2021, 6, 15)][0]
    assert (first.continued, first.local_start.strftime("%H:%M")) == (False, "22:00")
    assert (second.continued, second.local_start) == (True, None)


def test_timed_event_ending_exactly_at_midnight_is_not_on_the_next_day():
    evening = timed(
        "Evening", dt.datetime(2021, 6, 14, 20, tzinfo=VIENNA), dt.datetime(2021, 6, 15, 0, tzinfo=VIENNA)
    )

    placed = calendar.place([evening], dt.date(2021, 6, 13), dt.date(2021, 6, 16), VIENNA)

    assert titles_by_day(placed) == {dt.date(2021, 6, 14): ["Evening"]}


def test_new_york_evening_event_lands_on_the_next_vienna_day():
    # 20:00 EDT on 14 June is 02:00 CEST on 15 June.
    webinar = timed(
        "Webinar",
        dt.datetime(2021, 6, 14, 20, tzinfo=NEW_YORK),
        dt.datetime(2021, 6, 14, 21, tzinfo=NEW_YORK),
        zone="America/New_York",
    )

    placed = calendar.place([webinar], dt.date(2021, 6, 13), dt.date(2021, 6, 16), VIENNA)

    assert titles_by_day(placed) == {dt.date(2021, 6, 15): ["Webinar"]}
    assert placed[dt.date(2021, 6, 15)][0].local_start.isoformat() == "2021-06-15T02:00:00+02:00"
    # Its own calendar date stays 14 June (the event page says "June 14, 2021 @ 8:00 pm EDT").
    assert webinar.start_date == dt.date(2021, 6, 14)


def test_event_at_0230_on_the_night_clocks_go_back_is_on_that_day_both_times_round():
    # 31 October 2021: Vienna's clocks go back at 03:00 CEST to 02:00 CET, so 02:30 happens twice.
    first_0230 = dt.datetime(2021, 10, 31, 2, 30, tzinfo=VIENNA, fold=0)  # 00:30 UTC, CEST
    second_0230 = dt.datetime(2021, 10, 31, 2, 30, tzinfo=VIENNA, fold=1)  # 01:30 UTC, CET
    early = timed("Early", first_0230, first_0230 + dt.timedelta(hours=1), pk=1)
    later = timed("Later", second_0230, second_0230 + dt.timedelta(hours=1), pk=2)

    placed = calendar.place([later, early], dt.date(2021, 10, 30), dt.date(2021, 11, 1), VIENNA)

    assert titles_by_day(placed) == {dt.date(2021, 10, 31): ["Early", "Later"]}
    starts = [item.local_start for item in placed[dt.date(2021, 10, 31)]]
    assert [(start.strftime("%H:%M"), start.tzname()) for start in starts] == [
        ("02:30", "CEST"),
        ("02:30", "CET"),
    ]


def test_event_at_0230_on_the_night_clocks_go_forward_is_on_that_day():
    # 28 March 2021: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist and reads as 03:30 CEST.
    night = timed(
        "Spring night",
        dt.datetime(2021, 3, 28, 1, 30, tzinfo=UTC),
        dt.datetime(2021, 3, 28, 2, 30, tzinfo=UTC),
    )

    placed = calendar.place([night], dt.date(2021, 3, 27), dt.date(2021, 3, 29), VIENNA)

    assert titles_by_day(placed) == {dt.date(2021, 3, 28): ["Spring night"]}
    assert placed[dt.date(2021, 3, 28)][0].local_start.isoformat() == "2021-03-28T03:30:00+02:00"


def test_all_day_range_over_a_month_boundary_fills_both_months():
    summit = all_day("Summit", dt.date(2021, 6, 29), dt.date(2021, 7, 2))

    june = calendar.month_weeks([summit], 2021, 6, VIENNA, today=dt.date(2021, 6, 1))
    july = calendar.month_weeks([summit], 2021, 7, VIENNA, today=dt.date(2021, 6, 1))

    def days_with_summit(weeks):
        return [(day.date.isoformat(), day.in_month) for week in weeks for day in week if day.items]

    assert days_with_summit(june) == [
        ("2021-06-29", True),
        ("2021-06-30", True),
        ("2021-07-01", False),
        ("2021-07-02", False),
    ]
    assert days_with_summit(july) == [
        ("2021-06-29", False),
        ("2021-06-30", False),
        ("2021-07-01", True),
        ("2021-07-02", True),
    ]


def test_all_day_dates_never_shift_with_the_event_zone():
    kiwi = all_day("Auckland day", dt.date(2021, 7, 1), dt.date(2021, 7, 1), zone="Pacific/Auckland")

    placed = calendar.place([kiwi], dt.date(2021, 6, 30), dt.date(2021, 7, 2), VIENNA)

    assert titles_by_day(placed) == {dt.date(2021, 7, 1): ["Auckland day"]}


def test_day_lists_all_day_first_then_continuing_then_by_start_and_cuts_off_with_more():
    day = dt.date(2021, 6, 15)
    events = [
        timed(
            "Nine",
            dt.datetime(2021, 6, 15, 9, tzinfo=VIENNA),
            dt.datetime(2021, 6, 15, 10, tzinfo=VIENNA),
            pk=1,
        ),
        timed(
            "Eight",
            dt.datetime(2021, 6, 15, 8, tzinfo=VIENNA),
            dt.datetime(2021, 6, 15, 9, tzinfo=VIENNA),
            pk=2,
        ),
        all_day("Fair", day, day, pk=3),
        timed(
            "Overnight",
            dt.datetime(2021, 6, 14, 23, tzinfo=VIENNA),
            dt.datetime(2021, 6, 15, 1, tzinfo=VIENNA),
            pk=4,
        ),
        timed(
            "Noon",
            dt.datetime(2021, 6, 15, 12, tzinfo=VIENNA),
            dt.datetime(2021, 6, 15, 13, tzinfo=VIENNA),
            pk=5,
        ),
    ]

    weeks = calendar.month_weeks(events, 2021, 6, VIENNA, today=day, per_day=3)
    cell = next(cell for week in weeks for cell in week if cell.date == day)

    assert [item.event.title for item in cell.items] == ["Fair", "Overnight", "Eight", "Nine", "Noon"]
    assert [item.event.title for item in cell.shown] == ["Fair", "Overnight", "Eight"]
    assert cell.more == 2
    assert cell.is_today


def test_month_cells_load_the_events_of_only_the_entries_they_show_in_one_call():
    day = dt.date(2021, 6, 15)
    entries = [
        CalendarEntry(
            hour,
            False,
            dt.datetime(2021, 6, 15, hour, tzinfo=VIENNA),
            dt.datetime(2021, 6, 15, hour, 30, tzinfo=VIENNA),
            day,
            day,
        )
        for hour in (12, 9, 8, 11, 10)
    ]
    calls = []

    def load_events(pks):
        calls.append(sorted(pks))
        return {pk: Event(pk=pk, title=f"Talk {pk}", slug=f"talk-{pk}") for pk in pks}

    weeks = calendar.month_weeks(entries, 2021, 6, VIENNA, today=day, per_day=3, load_events=load_events)
    cell = next(cell for week in weeks for cell in week if cell.date == day)

    assert calls == [[8, 9, 10]]
    assert [(type(item.event), item.event.title) for item in cell.shown] == [
        (Event, "Talk 8"),
        (Event, "Talk 9"),
        (Event, "Talk 10"),
    ]
    assert [item.local_start.strftime("%H:%M") for item in cell.shown] == ["08:00", "09:00", "10:00"]
    assert cell.more == 2
    assert {type(item.event) for item in cell.items} == {CalendarEntry}


def test_month_cell_leaves_out_an_entry_whose_event_is_gone():
    day = dt.date(2021, 6, 15)
    entries = [
        CalendarEntry(
            pk,
            False,
            dt.datetime(2021, 6, 15, 9 + pk, tzinfo=VIENNA),
            dt.datetime(2021, 6, 15, 10 + pk, tzinfo=VIENNA),
            day,
            day,
        )
        for pk in (1, 2)
    ]

    weeks = calendar.month_weeks(
        entries, 2021, 6, VIENNA, today=day, load_events=lambda pks: {1: Event(pk=1, title="Still here")}
    )
    cell = next(cell for week in weeks for cell in week if cell.date == day)

    assert [item.event.title for item in cell.shown] == ["Still here"]


def test_agenda_keeps_only_days_with_events_and_cuts_nothing():
    events = [
        timed(
            f"Talk {hour}",
            dt.datetime(2021, 6, 15, hour, tzinfo=VIENNA),
            dt.datetime(2021, 6, 15, hour, 30, tzinfo=VIENNA),
        )
        for hour in range(8, 14)
    ]

    days = calendar.agenda(
        events, dt.date(2021, 6, 14), dt.date(2021, 6, 20), VIENNA, today=dt.date(2021, 6, 1)
    )

    assert [day.date for day in days] == [dt.date(2021, 6, 15)]
    assert len(days[0].shown) == 6
    assert days[0].more == 0


def test_group_by_local_day_uses_the_site_day_for_timed_and_the_own_date_for_all_day():
    events = [
        all_day("Fair", dt.date(2021, 6, 14), dt.date(2021, 6, 16), zone="Pacific/Auckland"),
        SimpleNamespace(all_day=False, start=dt.datetime(2021, 6, 14, 20, tzinfo=NEW_YORK), title="NY"),
    ]

    groups = calendar.group_by_local_day(events, VIENNA)

    assert [(day.isoformat(), [e.title for e in items]) for day, items in groups] == [
        ("2021-06-14", ["Fair"]),
        ("2021-06-15", ["NY"]),
    ]


def test_week_bounds_are_monday_to_sunday():
    assert calendar.week_bounds(dt.date(2021, 6, 17)) == (dt.date(2021, 6, 14), dt.date(2021, 6, 20))
