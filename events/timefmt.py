"""How dates and times read on the site. Every page, feed and file formats time through here."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import dateformat


def format_day(value: date) -> str:
    """ "June 14, 2021" """
    return dateformat.format(value, "F j, Y")


def format_clock(value: datetime) -> str:
    """ "4:00 pm" """
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def format_weekday_day(value: date) -> str:
    """ "Monday, June 14, 2021" """
    return dateformat.format(value, "l, F j, Y")


def format_month(value: date) -> str:
    """ "June 2021" """
    return dateformat.format(value, "F Y")


def format_moment(value: datetime) -> str:
    """An instant in words, with weekday and zone: "Thursday 10 June 2021, 17:00 CEST"."""
    return f"{dateformat.format(value, 'l j F Y, H:i')} {value.tzname()}"


@dataclass(frozen=True)
class When:
    """A start–end range ready to render: machine values for ``<time datetime>`` and human text."""

    start_value: str
    start_text: str
    end_value: str = ""
    end_text: str = ""
    suffix: str = ""

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
            return When(item.start_date.isoformat(), start_text, suffix="all-day")
        return When(
            item.start_date.isoformat(),
            start_text,
            item.end_date.isoformat(),
            format_day(item.end_date),
            suffix="all-day",
        )
    zone = zone or item.zone
    start, end = item.start.astimezone(zone), item.end.astimezone(zone)
    start_text = f"{format_day(start)} @ {format_clock(start)}"
    # Instants compared as timestamps: two datetimes in the same zone compare by wall clock, and
    # 02:30 CEST and 02:30 CET (the night the clocks go back) would wrongly count as equal.
    if end.timestamp() == start.timestamp():
        return When(start.isoformat(), start_text, suffix=start.tzname())
    if start.tzname() != end.tzname():  # the clocks change during the item
        start_text = f"{start_text} {start.tzname()}"
    end_text = format_clock(end) if end.date() == start.date() else f"{format_day(end)} @ {format_clock(end)}"
    return When(start.isoformat(), start_text, end.isoformat(), end_text, suffix=end.tzname())
