"""The editors' "Repeats" choices and the RRULE they stand for, in one place, both ways.

``rule_from_choices`` composes the stored ``Event.recurrence_rule`` from the pattern an editor picks
(daily, weekly on chosen days, monthly on the same date or on the "second Tuesday", yearly; every
N; ending never, on a date or after N dates). ``choices_from_rule`` reads a stored rule back into
those choices, or gives None for a rule the simple form cannot express (the expert field shows it).

Reading back is exact: a rule is only decomposed when composing its choices gives the same text,
so opening and saving an event never rewrites its rule.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.dates import WEEKDAYS as DJANGO_WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .recurrence import normalize_rule, occurrences, rule_parts

NEVER, DAILY, WEEKLY, MONTHLY_DATE, MONTHLY_WEEKDAY, YEARLY, CUSTOM = (
    "",
    "daily",
    "weekly",
    "monthly_date",
    "monthly_weekday",
    "yearly",
    "custom",
)
REPEATS_CHOICES = [
    (NEVER, _("Does not repeat")),
    (DAILY, _("Daily")),
    (WEEKLY, _("Weekly, on the weekdays ticked below")),
    (MONTHLY_DATE, _("Monthly, on the same date as the start")),
    (MONTHLY_WEEKDAY, _("Monthly, on a weekday (e.g. the second Tuesday)")),
    (YEARLY, _("Yearly, on the same date as the start")),
    (CUSTOM, _("Custom rule (the expert field below)")),
]
FREQUENCY = {
    DAILY: "DAILY",
    WEEKLY: "WEEKLY",
    MONTHLY_DATE: "MONTHLY",
    MONTHLY_WEEKDAY: "MONTHLY",
    YEARLY: "YEARLY",
}

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_CHOICES = list(
    zip(
        WEEKDAYS,
        [DJANGO_WEEKDAYS[number] for number in range(7)],  # Django's own names, in the editor's language
        strict=True,
    )
)
WEEK_OF_MONTH_CHOICES = [
    (1, pgettext_lazy("week of the month", "first")),
    (2, pgettext_lazy("week of the month", "second")),
    (3, pgettext_lazy("week of the month", "third")),
    (4, pgettext_lazy("week of the month", "fourth")),
    (5, pgettext_lazy("week of the month", "fifth")),
    (-1, pgettext_lazy("week of the month", "last")),
]

ENDS_NEVER, ENDS_ON_DATE, ENDS_AFTER_COUNT = "never", "on_date", "after_count"
ENDS_CHOICES = [
    (ENDS_NEVER, _("Never")),
    (ENDS_ON_DATE, _("On a date (the last date it may happen)")),
    (ENDS_AFTER_COUNT, _("After a number of dates")),
]


@dataclass(frozen=True)
class RuleChoices:
    """What the editor picks in the "Repeats" fields."""

    repeats: str = NEVER
    interval: int = 1
    weekdays: tuple[str, ...] = ()  # weekly; none: the start's weekday
    week_of_month: int | None = None  # monthly on a weekday: 1..5, or -1 for the last
    weekday: str = ""  # monthly on a weekday: MO..SU
    ends: str = ENDS_NEVER
    until: date | None = None
    count: int | None = None


def rule_from_choices(choices: RuleChoices) -> str:
    """The RRULE value for a pattern, e.g. ``FREQ=WEEKLY;BYDAY=TU,TH``; "" for "does not repeat"."""
    if choices.repeats == NEVER:
        return ""
    parts = [f"FREQ={FREQUENCY[choices.repeats]}"]
    if choices.interval and choices.interval > 1:
        parts.append(f"INTERVAL={choices.interval}")
    if choices.repeats == WEEKLY and choices.weekdays:
        parts.append("BYDAY=" + ",".join(day for day in WEEKDAYS if day in choices.weekdays))
    if choices.repeats == MONTHLY_WEEKDAY:
        parts.append(f"BYDAY={choices.week_of_month}{choices.weekday}")
    if choices.ends == ENDS_ON_DATE and choices.until:
        parts.append(f"UNTIL={choices.until:%Y%m%d}")
    elif choices.ends == ENDS_AFTER_COUNT and choices.count:
        parts.append(f"COUNT={choices.count}")
    return ";".join(parts)


def _decompose(parts):
    frequency = parts.pop("FREQ", None)
    byday = parts.pop("BYDAY", None)
    interval = int(parts.pop("INTERVAL", "1"))
    ends, until, count = ENDS_NEVER, None, None
    if "UNTIL" in parts:
        ends, until = ENDS_ON_DATE, datetime.strptime(parts.pop("UNTIL"), "%Y%m%d").date()
    elif "COUNT" in parts:
        ends, count = ENDS_AFTER_COUNT, int(parts.pop("COUNT"))
    if parts:  # BYMONTH, BYSETPOS, WKST, BYHOUR, ...: only the expert field says these
        return None
    common = {"interval": interval, "ends": ends, "until": until, "count": count}
    if frequency == "WEEKLY":
        days = tuple(byday.split(",")) if byday else ()
        return RuleChoices(repeats=WEEKLY, weekdays=days, **common)
    if frequency == "MONTHLY" and byday:
        week, weekday = byday[:-2], byday[-2:]
        return RuleChoices(repeats=MONTHLY_WEEKDAY, week_of_month=int(week), weekday=weekday, **common)
    if byday:
        return None
    repeats = {"DAILY": DAILY, "MONTHLY": MONTHLY_DATE, "YEARLY": YEARLY}.get(frequency)
    return RuleChoices(repeats=repeats, **common) if repeats else None


def choices_from_rule(rule: str) -> RuleChoices | None:
    """The pattern a stored rule stands for, or None when only the expert field can say it."""
    value = normalize_rule(rule)
    if not value:
        return RuleChoices()
    parts = rule_parts(value, strict=True)
    if parts is None:
        return None
    try:
        choices = _decompose(parts)
    except ValueError:  # an UNTIL with a time, a week number out of the form's range, ...
        return None
    if choices is None or rule_from_choices(choices) != value:
        return None
    if choices.week_of_month is not None and choices.week_of_month not in dict(WEEK_OF_MONTH_CHOICES):
        return None
    if any(
        day not in WEEKDAYS for day in (*choices.weekdays, *([choices.weekday] if choices.weekday else []))
    ):
        return None
    return choices


# How far ahead to look for the next dates: a few weeks finds a weekly series' next five, decades a
# yearly one's; each step expands only its own window.
LOOKAHEAD = [timedelta(days=62), timedelta(days=366), timedelta(days=366 * 6), timedelta(days=366 * 30)]


def upcoming_occurrences(event, *, count, now=None):
    """The next ``count`` occurrences of a series that end after ``now``, the changed ones included."""
    now = now or timezone.now()
    changes = list(event.occurrence_changes.all())
    found = []
    for span in LOOKAHEAD:
        found = occurrences(event, now, now + span, changes=changes)
        if len(found) >= count:
            break
    return found[:count]
