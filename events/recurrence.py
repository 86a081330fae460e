"""Recurring events: RFC 5545 rules expanded with python-dateutil, in the event's own wall-clock time.

A series is the event's first occurrence (its start/end or dates) plus ``recurrence_rule`` (an RRULE
value such as ``FREQ=WEEKLY;BYDAY=TU``), with per-date changes in ``OccurrenceChange`` rows: skip a
date (EXDATE), add one (RDATE), or change or cancel one occurrence (an override with RECURRENCE-ID).

Expansion runs on aware datetimes in the event's ``ZoneInfo``: dateutil builds each occurrence from
the wall-clock fields, so a 10:00 Vienna meeting is at 10:00 in March and in November. It only ever
expands inside a window, so an endless rule costs what the window shows, never more.
"""

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from itertools import islice

from dateutil import rrule
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext, ngettext_lazy, pgettext_lazy

from .timefmt import format_day
from .zones import LocalTimes, days_covered

# Sub-daily rules would put thousands of items on one calendar page; no event calendar needs them.
ALLOWED_FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
# A hard ceiling on occurrences produced for one series in one window (a day has at most one
# occurrence of a daily rule, so this is about 27 years of daily items).
MAX_OCCURRENCES_PER_WINDOW = 10_000
# The "last end" of a series without an end: later than any date a calendar shows.
ENDLESS = datetime(9999, 12, 31, tzinfo=UTC)
# How far ahead (and back, for past lists) lists, feeds and sitemaps show a series' dates.
SERIES_HORIZON = timedelta(days=365)
_UNTIL = re.compile(r"(?:^|;)UNTIL=([0-9TZ]+)", re.IGNORECASE)


def normalize_rule(text):
    """The bare RRULE value: upper case, no "RRULE:" prefix, no spaces; "" for no rule."""
    text = re.sub(r"\s+", "", text or "").upper()
    return text.removeprefix("RRULE:")


class ChangeKind(models.TextChoices):
    """How one date of a series is handled apart from its rule (``OccurrenceChange.kind``)."""

    SKIP = "skip", gettext_lazy("Skip this date")
    ADD = "add", gettext_lazy("Add a date")
    CHANGE = "change", gettext_lazy("Change or cancel this occurrence")


def rule_parts(text, *, strict=False):
    """The RRULE's parts by name: ``{"FREQ": "WEEKLY", "BYDAY": "TU"}`` ({} for no rule).

    ``strict``: None when a part has no ``=`` or a name comes twice (the form's reading)."""
    parts = {}
    for part in normalize_rule(text).split(";"):
        if not part and not strict:
            continue
        name, equals, value = part.partition("=")
        if strict and (not equals or name in parts):
            return None
        parts[name] = value
    return parts


def rule_local(event, moment):
    """An instant as the series' rule expands it: naive local midnight for an all-day series, the
    local time of a timed one."""
    local = moment.astimezone(event.zone)
    return local.replace(tzinfo=None) if event.all_day else local


def is_series_date(event, moment, rule=None):
    """Whether ``moment`` is a start the series' rule gives (``rule``: ``series_rule(event)``)."""
    rule = rule or series_rule(event)
    local = rule_local(event, moment)
    return rule.after(local, inc=True) == local


def validate_rule(text):
    """Raise a ValidationError that tells the editor what is wrong with an RRULE value."""
    value = normalize_rule(text)
    if not value:
        return
    if "DTSTART" in value or "\n" in (text or ""):
        raise ValidationError("Give only the rule, e.g. FREQ=WEEKLY;BYDAY=TU.", code="rrule_shape")
    parts = rule_parts(value)
    frequency = parts.get("FREQ")
    if frequency is None:
        raise ValidationError("A rule needs FREQ, e.g. FREQ=WEEKLY;BYDAY=TU.", code="rrule_no_freq")
    if frequency not in ALLOWED_FREQUENCIES:
        raise ValidationError(
            "“%(freq)s” is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY.",
            code="rrule_frequency",
            params={"freq": frequency},
        )
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError("Give COUNT or UNTIL, not both (RFC 5545).", code="rrule_count_and_until")
    try:
        build_rule(value, datetime(2000, 1, 1, tzinfo=UTC), all_day=False)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            "This is not a valid recurrence rule (%(error)s).", code="rrule_invalid", params={"error": error}
        ) from error


def _parse_until(value, zone, all_day):
    """UNTIL as dateutil wants it beside our DTSTART: naive for all-day, aware otherwise."""
    if len(value) == 8:  # a DATE: the series runs through that whole day
        day = datetime.strptime(value, "%Y%m%d").date()
        if all_day:
            return datetime.combine(day, time())
        return datetime.combine(day, time.max, zone)
    moment = datetime.strptime(value.rstrip("Zz"), "%Y%m%dT%H%M%S")
    if value.upper().endswith("Z"):
        moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(zone).replace(tzinfo=None) if all_day else moment
    return moment if all_day else moment.replace(tzinfo=zone)  # floating: the event's wall clock


def build_rule(text, dtstart, *, all_day, zone=None):
    """A dateutil ``rrule`` for ``text`` starting at ``dtstart`` (naive local midnight for all-day)."""
    value = normalize_rule(text)
    until = _UNTIL.search(value)
    without_until = _UNTIL.sub("", value).strip(";")
    parsed = rrule.rrulestr(without_until, dtstart=dtstart)
    if until:
        parsed = parsed.replace(until=_parse_until(until.group(1), zone or dtstart.tzinfo or UTC, all_day))
    return parsed


def exported_rule(event):
    """The RRULE as a file must write it beside DTSTART (RFC 5545 §3.3.10): UNTIL a DATE for an
    all-day series, a UTC instant for a timed one."""
    value = normalize_rule(event.recurrence_rule)
    parts = rule_parts(value)
    first_day = event.start_date if event.all_day else event.local_start.date()
    implied = {"BYMONTH", "BYMONTHDAY", "BYDAY", "BYYEARDAY", "BYWEEKNO"}.isdisjoint(parts)
    if parts.get("FREQ") == "YEARLY" and implied and (first_day.month, first_day.day) == (2, 29):
        # Say the 29 February out loud: ical.js (Thunderbird) moves an implied one to 1 March in
        # other years, where RFC 5545 (and libical, dateutil) have no date at all.
        value += ";BYMONTH=2;BYMONTHDAY=29"
    until = _UNTIL.search(value)
    if not until:
        return value
    moment = _parse_until(until.group(1), event.zone, event.all_day)
    text = moment.strftime("%Y%m%d") if event.all_day else moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return _UNTIL.sub(lambda m: m.group(0).replace(m.group(1), text), value)


def date_value(event, moment):
    """An occurrence's start as an iCalendar value: a date for all-day series, a zoned time else."""
    local = moment.astimezone(event.zone)
    return local.date() if event.all_day else local


def start_of(event, value):
    """The inverse of ``date_value``: an aware start from a date or a (possibly floating) time."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=event.zone)
    return datetime.combine(value, time(), event.zone)


@dataclass(frozen=True)
class Occurrence(LocalTimes):
    """One date of an event: the event itself, or one occurrence of its series.

    It reads like an event in templates and builders (``all_day``, ``start``, ``end``,
    ``start_date``, ``end_date``, ``zone``, ``title``, ``status``).
    """

    event: object
    start: datetime
    end: datetime
    recurrence_id: datetime | None = None
    title: str = ""
    status: str = ""
    changed: bool = field(default=False, compare=False)

    @property
    def all_day(self):
        return self.event.all_day

    @property
    def zone(self):
        return self.event.zone

    @property
    def start_date(self):
        return days_covered(self.start, self.end, self.zone)[0]

    @property
    def end_date(self):
        return days_covered(self.start, self.end, self.zone)[1]

    @property
    def is_cancelled(self):
        return self.status == "cancelled"

    @property
    def key(self):
        """Names the occurrence in URLs: its original local start, e.g. ``20310304T1000``."""
        moment = (self.recurrence_id or self.start).astimezone(self.zone)
        return moment.strftime("%Y%m%d") if self.all_day else moment.strftime("%Y%m%dT%H%M")

    @property
    def is_occurrence(self):
        """True for one date of a series, False for a one-off event."""
        return self.recurrence_id is not None

    @property
    def ical_uid(self):
        """A series' single date, downloaded on its own, is an item of its own (not an orphan override)."""
        return f"{self.key}-{self.event.ical_uid}" if self.is_occurrence else self.event.ical_uid

    def get_status_display(self):
        return type(self.event).Status(self.status).label

    @property
    def schema_org_status(self):
        return type(self.event).SCHEMA_ORG_STATUS[self.status]

    def get_absolute_url(self):
        if not self.is_occurrence:
            return self.event.get_absolute_url()
        return reverse("events:occurrence", kwargs={"slug": self.event.slug, "key": self.key})

    def get_ical_url(self):
        if not self.is_occurrence:
            return self.event.get_ical_url()
        return reverse("events:occurrence_ics", kwargs={"slug": self.event.slug, "key": self.key})

    def __getattr__(self, name):
        # Everything an occurrence does not change (venue, summary, categories, ...) is its event's.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.event, name)


def overlaps(occurrence, window_start, window_end):
    """Whether an occurrence falls in a window: by instants when timed, by named dates when all-day.

    All-day dates never shift, so an all-day occurrence is in the window when its dates meet the
    window's dates in the window's own timezone.
    """
    if occurrence.all_day:
        first_day = window_start.date()
        last_day = (window_end - timedelta(microseconds=1)).date()
        return occurrence.start_date <= last_day and occurrence.end_date >= first_day
    if occurrence.start == occurrence.end:
        return window_start <= occurrence.start < window_end
    return occurrence.end > window_start and occurrence.start < window_end


def _instant(local_naive_or_aware, zone):
    if local_naive_or_aware.tzinfo is None:
        return local_naive_or_aware.replace(tzinfo=zone)
    return local_naive_or_aware


def series_rule(event):
    """The event's rule anchored at its first occurrence, or None for a one-off event."""
    if not event.recurrence_rule:
        return None
    zone = event.zone
    dtstart = datetime.combine(event.start_date, time()) if event.all_day else event.local_start
    return build_rule(event.recurrence_rule, dtstart, all_day=event.all_day, zone=zone)


def occurrences(event, window_start, window_end, changes=None):
    """The event's occurrences that overlap ``[window_start, window_end)`` (aware instants), by start.

    ``changes`` are the event's ``OccurrenceChange`` rows (pass them prefetched to save a query).
    """
    zone = event.zone
    duration = event.end - event.start
    changes = list(event.occurrence_changes.all()) if changes is None else changes
    rule = series_rule(event)
    if rule is None:
        occurrence = Occurrence(event, event.start, event.end, title=event.title, status=event.status)
        return [occurrence] if overlaps(occurrence, window_start, window_end) else []

    skipped = {c.original_start for c in changes if c.kind == ChangeKind.SKIP}
    changed = {c.original_start: c for c in changes if c.kind == ChangeKind.CHANGE}
    # Expand from "window start minus one duration" so an occurrence already running is included,
    # with a day's margin either side for all-day dates read in another timezone.
    first = (window_start - duration - timedelta(days=1)).astimezone(zone)
    last = (window_end + timedelta(days=1)).astimezone(zone)
    if event.all_day:
        first, last = first.replace(tzinfo=None), last.replace(tzinfo=None)
    starts = []
    for local in rule.xafter(first, count=MAX_OCCURRENCES_PER_WINDOW, inc=True):
        if local >= last:
            break
        starts.append(_instant(local, zone))
    starts += [c.original_start for c in changes if c.kind == ChangeKind.ADD]

    result = []
    for start in sorted(set(starts)):
        if start in skipped:
            continue
        change = changed.get(start)
        if change is not None:
            occurrence = Occurrence(
                event,
                change.start or start,
                change.end or (change.start or start) + duration,
                recurrence_id=start,
                title=change.title or event.title,
                status=change.status or event.status,
                changed=True,
            )
        else:
            occurrence = Occurrence(
                event, start, start + duration, recurrence_id=start, title=event.title, status=event.status
            )
        if overlaps(occurrence, window_start, window_end):
            result.append(occurrence)
    # A changed occurrence moved into the window from outside the expanded range.
    for original, change in changed.items():
        if change.start and original not in set(starts) and original not in skipped:
            occurrence = Occurrence(
                event,
                change.start,
                change.end or change.start + duration,
                recurrence_id=original,
                title=change.title or event.title,
                status=change.status or event.status,
                changed=True,
            )
            if overlaps(occurrence, window_start, window_end):
                result.append(occurrence)
    return sorted(result, key=lambda o: (o.start, o.end))


def last_end(event, changes=()):
    """When the event's last date ends; ``ENDLESS`` for a series without COUNT or UNTIL."""
    rule = series_rule(event)
    if rule is None:
        return event.end
    if not (rule._count or rule._until):  # dateutil keeps them private; endless otherwise
        return ENDLESS
    duration = event.end - event.start
    last = None
    for last in rule:  # noqa: B007 - bounded by COUNT or UNTIL
        pass
    ends = [_instant(last, event.zone) + duration] if last is not None else [event.end]
    ends += [
        c.end or ((c.start or c.original_start) + duration) for c in changes if c.kind != ChangeKind.SKIP
    ]
    return max(ends)


def day_window(first_day: date, last_day: date, zone):
    """The instants ``[first_day 00:00, last_day + 1 00:00)`` in ``zone``."""
    return (
        datetime.combine(first_day, time(), zone),
        datetime.combine(last_day + timedelta(days=1), time(), zone),
    )


def clip_window(window, bounds):
    """The part of ``window`` (start, end) within ``bounds`` (start or None, end or None); None when
    nothing is left."""
    start, end = window
    if bounds[0] is not None:
        start = max(start, bounds[0])
    if bounds[1] is not None:
        end = min(end, bounds[1])
    return (start, end) if start < end else None


def occurrences_in_window(events, window_start, window_end):
    """Every occurrence of ``events`` overlapping the window, in start order.

    Pass events with ``occurrence_changes`` prefetched (or, cheaper, prefetched into a list named
    ``prefetched_changes``): the expansion then makes no queries, however many occurrences it
    produces.
    """
    found = []
    for event in events:
        changes = getattr(event, "prefetched_changes", None)
        if changes is None:
            changes = list(event.occurrence_changes.all())
        found += occurrences(event, window_start, window_end, changes=changes)
    return sorted(found, key=lambda occurrence: (occurrence.start, occurrence.end, occurrence.event.pk))


def find_occurrence(event, key):
    """The occurrence of ``event`` named by ``key`` (see ``Occurrence.key``), or None."""
    try:
        day = datetime.strptime(key[:8], "%Y%m%d").date()
    except ValueError:
        return None
    # Look a day either side: a changed occurrence may have moved, and keys are local dates.
    window_start, window_end = day_window(day - timedelta(days=2), day + timedelta(days=2), event.zone)
    for occurrence in occurrences(event, window_start, window_end):
        if occurrence.key == key:
            return occurrence
    return None


# A repeat rule in words (``describe_rule``), each piece translatable: the weekday names as they read
# after "on", the ordinals of a weekday in the month, the units with their count.
WEEKDAYS = {
    "MO": pgettext_lazy("repeats on", "Monday"),
    "TU": pgettext_lazy("repeats on", "Tuesday"),
    "WE": pgettext_lazy("repeats on", "Wednesday"),
    "TH": pgettext_lazy("repeats on", "Thursday"),
    "FR": pgettext_lazy("repeats on", "Friday"),
    "SA": pgettext_lazy("repeats on", "Saturday"),
    "SU": pgettext_lazy("repeats on", "Sunday"),
}
# The weekday an ordinal names ("the first %(weekday)s"), which some languages decline apart.
ORDINAL_WEEKDAYS = {
    "MO": pgettext_lazy("weekday in the month", "Monday"),
    "TU": pgettext_lazy("weekday in the month", "Tuesday"),
    "WE": pgettext_lazy("weekday in the month", "Wednesday"),
    "TH": pgettext_lazy("weekday in the month", "Thursday"),
    "FR": pgettext_lazy("weekday in the month", "Friday"),
    "SA": pgettext_lazy("weekday in the month", "Saturday"),
    "SU": pgettext_lazy("weekday in the month", "Sunday"),
}
ORDINALS = {
    1: pgettext_lazy("repeats on", "the first %(weekday)s"),
    2: pgettext_lazy("repeats on", "the second %(weekday)s"),
    3: pgettext_lazy("repeats on", "the third %(weekday)s"),
    4: pgettext_lazy("repeats on", "the fourth %(weekday)s"),
    5: pgettext_lazy("repeats on", "the fifth %(weekday)s"),
    -1: pgettext_lazy("repeats on", "the last %(weekday)s"),
    -2: pgettext_lazy("repeats on", "the second to last %(weekday)s"),
}
EVERY = {"DAILY": gettext_lazy("Every day"), "WEEKLY": gettext_lazy("Every week"),
         "MONTHLY": gettext_lazy("Every month"), "YEARLY": gettext_lazy("Every year")}  # fmt: skip
EVERY_FEW = {
    "DAILY": ngettext_lazy("Every %(count)d day", "Every %(count)d days", "count"),
    "WEEKLY": ngettext_lazy("Every %(count)d week", "Every %(count)d weeks", "count"),
    "MONTHLY": ngettext_lazy("Every %(count)d month", "Every %(count)d months", "count"),
    "YEARLY": ngettext_lazy("Every %(count)d year", "Every %(count)d years", "count"),
}


def _join(words):
    if len(words) == 1:
        return str(words[0])
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(map(str, words[:-1])), "last": words[-1]}


def describe_rule(event):
    """The series' rule in words, in the language in use: "Every week on Tuesday and Thursday, 10
    times"; a rule it cannot put in words as it is ("Repeats (FREQ=...)")."""
    value = normalize_rule(event.recurrence_rule)
    if not value:
        return ""
    parts = rule_parts(value)
    frequency = parts.get("FREQ")
    known = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "WKST"}
    if frequency not in EVERY or set(parts) - known:
        return gettext("Repeats (%(rule)s)") % {"rule": value}
    interval = int(parts.get("INTERVAL", "1") or 1)
    text = str(EVERY[frequency]) if interval == 1 else EVERY_FEW[frequency] % {"count": interval}
    if byday := parts.get("BYDAY"):
        days = []
        for item in byday.split(","):
            match = re.fullmatch(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", item)
            if not match or (match.group(1) and int(match.group(1)) not in ORDINALS):
                return gettext("Repeats (%(rule)s)") % {"rule": value}
            number, name = match.groups()
            days.append(
                ORDINALS[int(number)] % {"weekday": ORDINAL_WEEKDAYS[name]} if number else WEEKDAYS[name]
            )
        text = gettext("%(every)s on %(days)s") % {"every": text, "days": _join(days)}
    elif monthdays := parts.get("BYMONTHDAY"):
        text = gettext("%(every)s on day %(days)s") % {"every": text, "days": _join(monthdays.split(","))}
    if count := parts.get("COUNT"):
        text = ngettext("%(rule)s, %(count)s time", "%(rule)s, %(count)s times", int(count)) % {
            "rule": text,
            "count": count,
        }
    elif until := _UNTIL.search(value):
        last = _parse_until(until.group(1), event.zone, event.all_day)
        last_day = last.date() if event.all_day else last.astimezone(event.zone).date()
        text = gettext("%(rule)s, until %(day)s") % {"rule": text, "day": format_day(last_day)}
    return text


class Listing(Sequence):
    """One-off events (a queryset, read only as far as a page needs) merged with the occurrences of
    series (an already expanded list) in start order, for paginated lists and feeds."""

    def __init__(self, one_off, occurrences, *, descending=False):
        self.one_off = one_off
        self.occurrences = sorted(occurrences, key=self.sort_key, reverse=descending)
        self.descending = descending

    @staticmethod
    def sort_key(item):
        return (item.start, item.pk)

    @cached_property
    def _count(self):
        return self.one_off.count() + len(self.occurrences)

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        merged = heapq.merge(
            self.one_off[:stop], self.occurrences[:stop], key=self.sort_key, reverse=self.descending
        )
        return list(islice(merged, start, stop))
