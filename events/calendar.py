"""Placing events on the days of a calendar: pure functions, no queries, no requests.

The calendar's days are those of one timezone (the site's, ``settings.TIME_ZONE``). A timed event
is on every day of that zone its instants touch (one that crosses midnight is on both days; one
that ends exactly at midnight is not on the day that midnight starts). An all-day event is on the
dates it names, whatever its own zone: June 14–16 stays June 14–16.

Anything with ``pk``, ``all_day``, ``start``, ``end``, ``start_date`` and ``end_date`` can be placed:
events, occurrences of series, or light ``CalendarEntry`` rows. A busy month holds thousands of
events and a cell shows three: ``month_weeks()`` asks its ``load_events`` for the events of the
entries the cells show, all at once.
"""

import calendar as stdlib_calendar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.utils import formats

from .models import CalendarEntry
from .zones import days_covered

# Months a visitor can browse; anything else is a 404 (and keeps date arithmetic far from its limits).
FIRST_YEAR, LAST_YEAR = 1900, 2200

# How many items a month cell shows before "+N more".
ITEMS_PER_DAY = 3


def week_starts_on():
    """The weekday rows of the month grid start on (Python's numbering: Monday is 0): the page's
    language's ``FIRST_DAY_OF_WEEK`` (Django's numbering: Sunday is 0). Monday in all six of the
    site's languages (events_site/formats/en). Week pages are ISO 8601 weeks, Monday to Sunday."""
    return (formats.get_format("FIRST_DAY_OF_WEEK") - 1) % 7


@dataclass(frozen=True, slots=True)  # slots: a busy month places thousands
class DayItem:
    """One event on one day: whether it is all-day, began on an earlier day, goes on to a later
    day, and its local start."""

    event: object
    all_day: bool
    continued: bool
    local_start: datetime | None
    continues: bool = False
    day: date | None = None
    days_in_row: int = 1  # days of its bar from here to the end of the event or of the week

    @property
    def joins_previous(self):
        """Drawn as one bar with the day before: it began earlier and this is not a row's first day."""
        return self.continued and self.day.weekday() != week_starts_on()

    @property
    def joins_next(self):
        """Drawn as one bar with the day after: it goes on and this is not a row's last day."""
        return self.continues and (self.day.weekday() - week_starts_on()) % 7 != 6

    @property
    def sort_key(self):
        # All-day items first, then timed items already running since an earlier day, then by start.
        return (not self.all_day, not self.continued, self.event.start, self.event.pk)


@dataclass
class Day:
    """A day of the calendar with the events on it, in display order."""

    date: date
    in_month: bool = True
    is_today: bool = False
    items: list = field(default_factory=list)
    limit: int | None = None

    @cached_property
    def shown(self):
        """The items the cell shows, in display order."""
        return self.items if self.limit is None else self.items[: self.limit]

    @property
    def more(self):
        """How many items the cell does not show ("+N more")."""
        return 0 if self.limit is None else max(0, len(self.items) - self.limit)


def month_is_valid(year, month):
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


def day_is_valid(day):
    """Whether a date (or a date-time) lies in the years the calendar shows."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def shift_month(year, month, delta):
    """(year, month) ``delta`` months away."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_bounds(year, month):
    """First and last date of a month."""
    return date(year, month, 1), date(year, month, stdlib_calendar.monthrange(year, month)[1])


def zone_names(year, month, zone):
    """The abbreviations ``zone`` uses in a month ("CET", "CEST"; "CET/CEST" in March), for the
    grid's caption: the cells then show bare times, and name the zone only on a day its clocks
    change."""
    first, last = month_bounds(year, month)
    names = []
    for day in (first, last):
        name = datetime.combine(day, time(12), zone).tzname()
        if name not in names:
            names.append(name)
    return "/".join(names)


def offset_changes_on(day, zone):
    """Whether the clocks of ``zone`` change during ``day``."""
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start.utcoffset() != end.utcoffset()


def month_grid_bounds(year, month):
    """First and last date shown in a month grid: whole weeks, from the language's first day."""
    weeks = stdlib_calendar.Calendar(week_starts_on()).monthdatescalendar(year, month)
    return weeks[0][0], weeks[-1][-1]


def week_bounds(day):
    """Monday and Sunday of the (ISO 8601) week ``day`` is in."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def dates_covered(event, zone):
    """First and last date (inclusive) ``event`` is on, on a calendar kept in ``zone``."""
    if event.all_day:
        return event.start_date, event.end_date
    return days_covered(event.start, event.end, zone)


def place(events, first_day, last_day, zone):
    """{date: [DayItem, ...]} for every date from ``first_day`` to ``last_day``, items in display order."""
    days = {first_day + timedelta(days=n): [] for n in range((last_day - first_day).days + 1)}
    one_day = timedelta(days=1)
    for event in events:
        first, last = dates_covered(event, zone)
        all_day = event.all_day
        local_start = None if all_day else event.start.astimezone(zone)
        current, stop = max(first, first_day), min(last, last_day)
        while current <= stop:
            continued = current > first
            days[current].append(
                DayItem(
                    event,
                    all_day,
                    continued,
                    None if continued else local_start,
                    continues=current < last,
                    day=current,
                    days_in_row=(min(last, week_bounds(current)[1]) - current).days + 1,
                )
            )
            current += one_day
    for items in days.values():
        items.sort(key=DayItem.sort_key.fget)
    return days


def month_weeks(events, year, month, zone, today, per_day=ITEMS_PER_DAY, load_events=None):
    """The month grid: a list of weeks, each a list of seven ``Day``s (days of other months included).

    ``load_events(pks)`` gives {pk: event} for the ``CalendarEntry`` rows among ``events`` that a
    cell shows (called once); an entry whose event it does not give (deleted meanwhile) is left out.
    """
    first, last = month_grid_bounds(year, month)
    placed = place(events, first, last, zone)
    days = [
        Day(
            date=day,
            in_month=day.month == month,
            is_today=day == today,
            items=items,
            limit=per_day,
        )
        for day, items in placed.items()
    ]
    if load_events is not None:
        show_events_of_entries(days, load_events)
    return [days[index : index + 7] for index in range(0, len(days), 7)]


def show_events_of_entries(days, load_events):
    """Replace the ``CalendarEntry`` rows the ``days`` show with their events, loaded in one call."""
    pks = {item.event.pk for day in days for item in day.shown if isinstance(item.event, CalendarEntry)}
    if not pks:
        return
    events = load_events(pks)
    for day in days:
        day.shown = [
            replace(item, event=events[item.event.pk]) if isinstance(item.event, CalendarEntry) else item
            for item in day.shown
            if not isinstance(item.event, CalendarEntry) or item.event.pk in events
        ]


def agenda(events, first_day, last_day, zone, today):
    """The days from ``first_day`` to ``last_day`` that have events, each with all its items."""
    placed = place(events, first_day, last_day, zone)
    return [Day(date=day, is_today=day == today, items=items) for day, items in placed.items() if items]


def group_by_local_day(events, zone):
    """[(date, [event, ...]), ...] for a list, each event under the day it starts on in ``zone``.

    Keeps the events' order (a list is already sorted); all-day events use their own first date.
    """
    groups = []
    for event in events:
        day = event.start_date if event.all_day else event.start.astimezone(zone).date()
        if groups and groups[-1][0] == day:
            groups[-1][1].append(event)
        else:
            groups.append((day, [event]))
    return groups
