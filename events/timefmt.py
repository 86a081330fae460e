"""How dates and times read on the site. Every page, feed and file formats time through here."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats
from django.utils.translation import gettext, pgettext


def format_day(value: date) -> str:
    """ "June 14, 2021"; "14. Juni 2021" (the language's ``DATE_FORMAT``)."""
    return formats.date_format(value, "DATE_FORMAT")


def uses_12_hour_clock() -> bool:
    """Whether the page's language reads the time of day on a 12-hour clock (its ``TIME_FORMAT``)."""
    return any(hours in formats.get_format("TIME_FORMAT") for hours in "gh")


def format_clock(value: datetime) -> str:
    """ "4:00 pm" where the language uses a 12-hour clock, else its ``TIME_FORMAT`` ("16:00")."""
    if uses_12_hour_clock():
        hour = value.hour % 12 or 12
        return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"
    return formats.time_format(value, "TIME_FORMAT")


def format_weekday_day(value: date) -> str:
    """ "Monday, June 14, 2021"; "Montag, 14. Juni 2021" (``WEEKDAY_DATE_FORMAT``,
    events_site/formats)."""
    return formats.date_format(value, "WEEKDAY_DATE_FORMAT")


def format_month(value: date) -> str:
    """ "June 2021" (the language's ``YEAR_MONTH_FORMAT``)."""
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def format_moment(value: datetime) -> str:
    """An instant in words, with weekday and zone: "Thursday 10 June 2021, 17:00 CEST"
    (``MOMENT_FORMAT``, events_site/formats). The zone's abbreviation is never translated."""
    return f"{formats.date_format(value, 'MOMENT_FORMAT')} {value.tzname()}"


def format_day_and_clock(value: datetime) -> str:
    """ "July 28, 2020 @ 4:00 pm"; "28. Juli 2020, 16:00"."""
    return pgettext("a date and a time of day", "%(day)s @ %(time)s") % {
        "day": format_day(value),
        "time": format_clock(value),
    }


@dataclass(frozen=True)
class When:
    """A start–end range ready to render: machine values for ``<time datetime>`` and human text."""

    start_value: str
    start_text: str
    end_value: str = ""
    end_text: str = ""
    suffix: str = ""
    all_day: bool = False

    def __str__(self):
        text = self.start_text
        if self.end_text:
            text += f" – {self.end_text}"
        return f"{text} {self.suffix}" if self.suffix else text


def when(item, zone=None) -> When:
    """The range of an event or session; timed items read in ``zone`` (default: the item's own).

    All-day items: "June 14, 2021 – June 16, 2021 all-day" (dates never shift with a zone).
    Timed items: "July 28, 2020 @ 10:00 am – 11:00 am EDT".
    """
    if item.all_day:
        start_text = format_day(item.start_date)
        if item.end_date == item.start_date:
            return When(item.start_date.isoformat(), start_text, suffix=gettext("all-day"), all_day=True)
        return When(
            item.start_date.isoformat(),
            start_text,
            item.end_date.isoformat(),
            format_day(item.end_date),
            suffix=gettext("all-day"),
            all_day=True,
        )
    zone = zone or item.zone
    start, end = item.start.astimezone(zone), item.end.astimezone(zone)
    start_text = format_day_and_clock(start)
    # Instants compared as timestamps: two datetimes in the same zone compare by wall clock, and
    # 02:30 CEST and 02:30 CET (the night the clocks go back) would wrongly count as equal.
    if end.timestamp() == start.timestamp():
        return When(start.isoformat(), start_text, suffix=start.tzname())
    if start.tzname() != end.tzname():  # the clocks change during the item
        start_text = f"{start_text} {start.tzname()}"
    end_text = format_clock(end) if end.date() == start.date() else format_day_and_clock(end)
    return When(start.isoformat(), start_text, end.isoformat(), end_text, suffix=end.tzname())
