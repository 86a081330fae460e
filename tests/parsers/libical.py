"""Parse an .ics file with libical (Evolution/GNOME) and print what it understood, as JSON.

Run with the system Python (``/usr/bin/python3``, Debian's ``python3-gi`` and ``gir1.2-ical-3.0``),
not the project's virtualenv. Prints the parse errors libical found (its X-LIC-ERROR properties),
the VTIMEZONE ids and, per VEVENT, uid, summary, status, related-to, start and end ("YYYY-MM-DD" for
dates, UTC "YYYY-MM-DDTHH:MM:SSZ" for times). Times are converted with the VTIMEZONE found in the
file, never libical's built-in zones, so a missing or wrong VTIMEZONE shows here.
Usage: /usr/bin/python3 tests/parsers/libical.py FILE
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

Kind = ICalGLib.ComponentKind
UTC = ICalGLib.Timezone.get_utc_timezone()


def errors_in(component):
    found = []
    prop = component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        found.append(prop.get_xlicerror())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(Kind.ANY_COMPONENT)
    while child is not None:
        found += errors_in(child)
        child = component.get_next_component(Kind.ANY_COMPONENT)
    return found


def moment(calendar, component, kind):
    prop = component.get_first_property(kind)
    value = prop.get_dtstart() if kind == ICalGLib.PropertyKind.DTSTART_PROPERTY else prop.get_dtend()
    if value.is_date():
        return f"{value.get_year():04d}-{value.get_month():02d}-{value.get_day():02d}"
    parameter = prop.get_first_parameter(ICalGLib.ParameterKind.TZID_PARAMETER)
    if parameter is not None:
        zone = calendar.get_timezone(parameter.get_tzid())
        if zone is None:
            raise SystemExit(f"no VTIMEZONE for TZID {parameter.get_tzid()}")
        value = ICalGLib.Time.convert_timezone(value, zone, UTC) or value
    elif not value.is_utc():
        raise SystemExit(f"floating time {value.as_ical_string()}")
    return (
        f"{value.get_year():04d}-{value.get_month():02d}-{value.get_day():02d}T"
        f"{value.get_hour():02d}:{value.get_minute():02d}:{value.get_second():02d}Z"
    )


def text(component, kind, getter):
    prop = component.get_first_property(kind)
    return getattr(prop, getter)() if prop is not None else None


def main(path):
    with open(path, encoding="utf-8") as file:
        calendar = ICalGLib.Component.new_from_string(file.read())
    if calendar is None or calendar.isa() != Kind.VCALENDAR_COMPONENT:
        raise SystemExit("not a VCALENDAR")
    timezones, events = [], []
    child = calendar.get_first_component(Kind.VTIMEZONE_COMPONENT)
    while child is not None:
        timezones.append(text(child, ICalGLib.PropertyKind.TZID_PROPERTY, "get_tzid"))
        child = calendar.get_next_component(Kind.VTIMEZONE_COMPONENT)
    P = ICalGLib.PropertyKind
    vevent = calendar.get_first_component(Kind.VEVENT_COMPONENT)
    while vevent is not None:
        status = vevent.get_first_property(P.STATUS_PROPERTY)
        events.append(
            {
                "uid": text(vevent, P.UID_PROPERTY, "get_uid"),
                "summary": text(vevent, P.SUMMARY_PROPERTY, "get_summary"),
                "status": status.get_value_as_string() if status is not None else None,
                "related_to": text(vevent, P.RELATEDTO_PROPERTY, "get_relatedto"),
                "url": text(vevent, P.URL_PROPERTY, "get_url"),
                "start": moment(calendar, vevent, P.DTSTART_PROPERTY),
                "end": moment(calendar, vevent, P.DTEND_PROPERTY),
            }
        )
        vevent = calendar.get_next_component(Kind.VEVENT_COMPONENT)
    print(json.dumps({"errors": errors_in(calendar), "timezones": timezones, "events": events}))


if __name__ == "__main__":
    main(sys.argv[1])
