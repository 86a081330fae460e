"""Expand every VEVENT of an .ics file with the ``recurring-ical-events`` package (on top of
``icalendar``) and print the occurrences that overlap a window, as JSON: per occurrence its uid,
summary, status, start and end ("YYYY-MM-DD" for dates, UTC "YYYY-MM-DDTHH:MM:SSZ" for times).

The package applies RRULE, RDATE, EXDATE and override VEVENTs (same UID, RECURRENCE-ID) itself.
It runs from its own folder (``requirements-parsers.txt``, installed by ``make test`` into
``.venv/parsers``) with its own python-dateutil 2.x, so its expansion shares no code with the site's.
Usage: PYTHONPATH=.venv/parsers python tests/parsers/recurring.py FILE WINDOW_START WINDOW_END
"""

import datetime as dt
import json
import sys

import icalendar
import recurring_ical_events


def normalized(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise SystemExit(f"floating time {value.isoformat()}")
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def main(path, window_start, window_end):
    with open(path, "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())
    start, end = (
        dt.datetime.fromisoformat(text.replace("Z", "+00:00")) for text in (window_start, window_end)
    )
    found = []
    for event in recurring_ical_events.of(calendar).between(start, end):
        status = event.get("STATUS")
        found.append(
            {
                "uid": str(event["UID"]),
                "summary": str(event["SUMMARY"]),
                "status": str(status) if status is not None else None,
                "start": normalized(event.decoded("DTSTART")),
                "end": normalized(event.decoded("DTEND")),
            }
        )
    print(json.dumps({"occurrences": found}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
