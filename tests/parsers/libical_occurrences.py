"""Expand every VEVENT of an .ics file with libical (Evolution/GNOME) and print the occurrences that
overlap a window, as JSON: per occurrence its uid, summary, status, start and end ("YYYY-MM-DD" for
dates, UTC "YYYY-MM-DDTHH:MM:SSZ" for times).

The RRULE is expanded by libical's own engine (``ICalGLib.RecurIterator``, on the wall clock of
DTSTART). EXDATE, RDATE and override VEVENTs (same UID, RECURRENCE-ID) are applied here, by hand,
as RFC 5545 §3.8.5 and §3.8.4.4 say and as Evolution does: an occurrence is named by its original
start in UTC (a date for all-day series), EXDATE removes it, RDATE adds one, and an override takes
its place with its own times, summary and status. Times are converted to UTC with the file's own
VTIMEZONEs only. Run with the system Python, like ``libical.py``.
Usage: /usr/bin/python3 tests/parsers/libical_occurrences.py FILE WINDOW_START WINDOW_END (UTC, ...Z)
"""

import datetime as dt
import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

Kind = ICalGLib.ComponentKind
P = ICalGLib.PropertyKind
UTC = ICalGLib.Timezone.get_utc_timezone()
# Expansion stops this long after the window (by original start), so an occurrence moved into the
# window from a little later is still found; a hard cap keeps an endless rule bounded.
MARGIN = dt.timedelta(days=400)
MAX_STEPS = 100_000


def to_python(calendar, value, prop, fallback_zone=None):
    """A libical time as a Python date, or an aware UTC datetime (its TZID read from the file)."""
    if value.is_date():
        return dt.date(value.get_year(), value.get_month(), value.get_day())
    zone = None
    parameter = prop.get_first_parameter(ICalGLib.ParameterKind.TZID_PARAMETER) if prop is not None else None
    if parameter is not None:
        zone = calendar.get_timezone(parameter.get_tzid())
        if zone is None:
            raise SystemExit(f"no VTIMEZONE for TZID {parameter.get_tzid()}")
    elif not value.is_utc():
        zone = fallback_zone
        if zone is None:
            raise SystemExit(f"floating time {value.as_ical_string()}")
    value = value.clone()
    if zone is not None:
        ICalGLib.Time.convert_timezone(value, zone, UTC)
    return dt.datetime(
        value.get_year(),
        value.get_month(),
        value.get_day(),
        value.get_hour(),
        value.get_minute(),
        value.get_second(),
        tzinfo=dt.UTC,
    )


def dtstart_zone(calendar, vevent):
    parameter = vevent.get_first_property(P.DTSTART_PROPERTY).get_first_parameter(
        ICalGLib.ParameterKind.TZID_PARAMETER
    )
    return calendar.get_timezone(parameter.get_tzid()) if parameter is not None else None


def span(calendar, vevent):
    """(start, end) of a VEVENT: dates with an exclusive end, or UTC datetimes."""
    start_prop = vevent.get_first_property(P.DTSTART_PROPERTY)
    start = to_python(calendar, start_prop.get_dtstart(), start_prop)
    end_prop = vevent.get_first_property(P.DTEND_PROPERTY)
    if end_prop is not None:
        end = to_python(calendar, end_prop.get_dtend(), end_prop)
    else:
        end = start + dt.timedelta(days=1) if not isinstance(start, dt.datetime) else start
    return start, end


def text(component, kind, getter):
    prop = component.get_first_property(kind)
    return getattr(prop, getter)() if prop is not None else None


def status_of(component):
    prop = component.get_first_property(P.STATUS_PROPERTY)
    return prop.get_value_as_string() if prop is not None else None


def each_property(component, kind):
    prop = component.get_first_property(kind)
    while prop is not None:
        yield prop
        prop = component.get_next_property(kind)


def each_component(component, kind):
    child = component.get_first_component(kind)
    while child is not None:
        yield child
        child = component.get_next_component(kind)


def key(moment):
    return moment.isoformat()


def normalized(moment):
    if isinstance(moment, dt.datetime):
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat()


def bounds(start, end):
    """Instants for the overlap test (all-day dates read at UTC midnight; windows avoid the edges)."""
    if not isinstance(start, dt.datetime):
        start = dt.datetime.combine(start, dt.time(), dt.UTC)
        end = dt.datetime.combine(end, dt.time(), dt.UTC)
    return start, end


def series_starts(calendar, vevent, first, window_end):
    """The master's original starts: RRULE by libical's iterator, then RDATE, minus EXDATE."""
    zone = dtstart_zone(calendar, vevent)
    start_prop = vevent.get_first_property(P.DTSTART_PROPERTY)
    starts = {key(first): first}
    rule = vevent.get_first_property(P.RRULE_PROPERTY)
    if rule is not None:
        iterator = ICalGLib.RecurIterator.new(rule.get_rrule(), start_prop.get_dtstart())
        for _ in range(MAX_STEPS):
            value = iterator.next()
            if value is None or value.is_null_time():
                break
            moment = to_python(calendar, value, start_prop, zone)
            if bounds(moment, moment)[0] > window_end + MARGIN:
                break
            starts[key(moment)] = moment
    for prop in each_property(vevent, P.RDATE_PROPERTY):
        period = prop.get_rdate()
        value = period.get_time()
        if value is None or value.is_null_time():
            value = period.get_period().get_start()
        moment = to_python(calendar, value, prop, zone)
        starts[key(moment)] = moment
    for prop in each_property(vevent, P.EXDATE_PROPERTY):
        starts.pop(key(to_python(calendar, prop.get_exdate(), prop, zone)), None)
    return sorted(starts.values(), key=lambda moment: bounds(moment, moment)[0])


def main(path, window_start_text, window_end_text):
    window_start = dt.datetime.fromisoformat(window_start_text.replace("Z", "+00:00"))
    window_end = dt.datetime.fromisoformat(window_end_text.replace("Z", "+00:00"))
    with open(path, encoding="utf-8") as file:
        calendar = ICalGLib.Component.new_from_string(file.read())
    if calendar is None or calendar.isa() != Kind.VCALENDAR_COMPONENT:
        raise SystemExit("not a VCALENDAR")
    vevents = list(each_component(calendar, Kind.VEVENT_COMPONENT))
    overrides = {}
    for vevent in vevents:
        prop = vevent.get_first_property(P.RECURRENCEID_PROPERTY)
        if prop is not None:
            uid = text(vevent, P.UID_PROPERTY, "get_uid")
            original = to_python(calendar, prop.get_recurrenceid(), prop, dtstart_zone(calendar, vevent))
            overrides[(uid, key(original))] = vevent
    found = []
    for vevent in vevents:
        if vevent.get_first_property(P.RECURRENCEID_PROPERTY) is not None:
            continue  # an override: applied to its master's occurrence
        uid = text(vevent, P.UID_PROPERTY, "get_uid")
        first, first_end = span(calendar, vevent)
        duration = first_end - first
        for start in series_starts(calendar, vevent, first, window_end):
            item, end = vevent, start + duration
            override = overrides.get((uid, key(start)))
            if override is not None:
                item = override
                start, end = span(calendar, override)
            low, high = bounds(start, end)
            if high > window_start and low < window_end:
                found.append(
                    {
                        "uid": uid,
                        "summary": text(item, P.SUMMARY_PROPERTY, "get_summary"),
                        "status": status_of(item),
                        "start": normalized(start),
                        "end": normalized(end),
                    }
                )
    print(json.dumps({"occurrences": found}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
