"""How long an .ics import takes, and the memory it needs (issue 16).

Writes a calendar of N timed events (one hour each, in Europe/Vienna, at 50 venues, each with a
UID of its own), imports it with ``import_calendar()`` (the code of ``manage.py import_ics`` and the
admin's background run) into the database of ``DATABASE_URL``, and prints the time it took, the
process's peak resident memory, and that of the process that reads a large file alongside. A second
run of the same N finds every event unchanged (the re-import case)::

    DATABASE_URL=sqlite:////tmp/import.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/import.sqlite3 .venv/bin/python bench/import_speed.py 2000
"""

import argparse
import json
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reader_peak_mb():
    """The peak of the process that reads a large file alongside (0 when none ran)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def calendar(count, prefix):
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Benchmark//EN", "X-WR-TIMEZONE:Europe/Vienna"]
    first = date(2030, 1, 1)
    for n in range(count):
        day = first + timedelta(days=n // 8)  # eight a day: 100,000 events span 34 years
        year, month, day = day.year, day.month, day.day
        lines += [
            "BEGIN:VEVENT",
            f"UID:{prefix}-{n}@benchmark.example.org",
            f"SUMMARY:Partner webinar {n}",
            f"DTSTART;TZID=Europe/Vienna:{year}{month:02d}{day:02d}T{9 + n % 8:02d}0000",
            "DURATION:PT1H",
            f"LOCATION:Partner hall {n % 50}",
            "DESCRIPTION:A webinar of the network's partners.",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int, help="events in the file")
    parser.add_argument("--prefix", default="bench", help="UID prefix (the same prefix re-imports)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()

    import django

    django.setup()
    from events.calendar_files.importer import import_calendar

    data = calendar(options.count, options.prefix)
    before = peak_mb()
    started = time.perf_counter()
    summary = import_calendar(data)
    total = time.perf_counter() - started
    if options.json:
        figures = {
            "events": options.count,
            "megabytes": len(data) / 1e6,
            "seconds": total,
        }
        figures |= {"peak_mb": peak_mb(), "reader_peak_mb": reader_peak_mb(), "before_mb": before}
        print(json.dumps({**figures, "summary": str(summary).splitlines()[0]}))
        return
    print(
        f"{options.count:,} events, {len(data) / 1e6:.1f} MB: {total:.2f} s "
        f"({options.count / total:.0f} events/s); "
        f"{str(summary).splitlines()[0]} peak memory {before:.0f} MB before, {peak_mb():.0f} MB after "
        f"(the reading process: {reader_peak_mb():.0f} MB)"
    )


if __name__ == "__main__":
    main()
