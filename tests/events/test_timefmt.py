"""How ranges and instants read: the exact words visitors see."""

import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest

from events import timefmt
from tests.factories import AllDayEventFactory, EventFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_multi_day_all_day_range():
    event = AllDayEventFactory.build(start_date=dt.date(2021, 6, 14), end_date=dt.date(2021, 6, 16))

    assert str(timefmt.when(event)) == "June 14, 2021 – June 16, 2021 all-day"


def test_single_all_day():
    event = AllDayEventFactory.build(start_date=dt.date(2021, 6, 14), end_date=dt.date(2021, 6, 14))

    assert str(timefmt.when(event)) == "June 14, 2021 all-day"


def test_all_day_range_ignores_the_zone_it_is_shown_in():
    event = AllDayEventFactory.build(start_date=dt.date(2021, 6, 14), end_date=dt.date(2021, 6, 16))

    assert str(timefmt.when(event, zone=zoneinfo.ZoneInfo("Pacific/Kiritimati"))) == (
        "June 14, 2021 – June 16, 2021 all-day"
    )


def test_timed_event_in_its_own_zone_and_in_the_site_zone():
    event = EventFactory.build(
        timezone="America/New_York",
        start=dt.datetime(2020, 7, 28, 10, 0, tzinfo=NEW_YORK),
        end=dt.datetime(2020, 7, 28, 11, 0, tzinfo=NEW_YORK),
    )

    assert str(timefmt.when(event)) == "July 28, 2020 @ 10:00 am – 11:00 am EDT"
    assert str(timefmt.when(event, zone=VIENNA)) == "July 28, 2020 @ 4:00 pm – 5:00 pm CEST"


def test_timed_range_over_several_days():
    event = EventFactory.build(
        start=dt.datetime(2021, 6, 14, 14, 0, tzinfo=VIENNA),
        end=dt.datetime(2021, 6, 16, 16, 30, tzinfo=VIENNA),
    )

    assert str(timefmt.when(event)) == "June 14, 2021 @ 2:00 pm – June 16, 2021 @ 4:30 pm CEST"


def test_timed_range_across_the_clock_change_names_both_abbreviations():
    event = EventFactory.build(
        start=dt.datetime(2021, 3, 28, 1, 0, tzinfo=VIENNA), end=dt.datetime(2021, 3, 28, 4, 0, tzinfo=VIENNA)
    )

    assert str(timefmt.when(event)) == "March 28, 2021 @ 1:00 am CET – 4:00 am CEST"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"), [(0, 5, "12:05 am"), (12, 0, "12:00 pm"), (16, 30, "4:30 pm")]
)
def test_clock(hour, minute, expected):
    assert timefmt.format_clock(dt.datetime(2021, 1, 1, hour, minute)) == expected


def test_moment_has_weekday_and_zone():
    deadline = dt.datetime(2021, 6, 10, 17, 0, tzinfo=VIENNA)

    assert timefmt.format_moment(deadline) == "Thursday 10 June 2021, 17:00 CEST"


def test_timed_range_across_the_repeated_hour_names_both_zones():
    """The night Vienna's clocks go back, 02:30 CEST to 02:30 CET is an hour, not an instant."""
    item = SimpleNamespace(
        all_day=False,
        zone=VIENNA,
        start=dt.datetime(2021, 10, 31, 2, 30, tzinfo=VIENNA, fold=0),
        end=dt.datetime(2021, 10, 31, 2, 30, tzinfo=VIENNA, fold=1),
    )

    assert str(timefmt.when(item)) == "October 31, 2021 @ 2:30 am CEST – 2:30 am CET"
