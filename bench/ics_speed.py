"""How long the whole-calendar .ics takes to produce, and the memory it needs (issue 7).

Runs the real view (``/events/calendar.ics``) in this process against the database of
``DATABASE_URL``, reads the whole streamed body, and prints the time to the first chunk, the total
time, the size, the number of VEVENTs and the process's peak resident memory before and after::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/events_perfbench_100000 \\
        .venv/bin/python bench/ics_speed.py --all            # every event, no cap, no window
    ... bench/ics_speed.py --all --live                      # the same, every VEVENT built on request

``--all`` raises ``ICS_FEED_MAX_EVENTS`` and ``ICS_FEED_PAST_DAYS`` so the file holds every
published event; without it the settings apply as deployed.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "ics-speed-measurement")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="every published event: no cap, no window")
    parser.add_argument("--live", action="store_true", help="build every VEVENT, ignoring stored texts")
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from events.calendar_files.views import FilteredCalendarFileView

    if options.all:
        settings.ICS_FEED_MAX_EVENTS = 10**9
        settings.ICS_FEED_PAST_DAYS = 100 * 365
    if options.live:
        from events.calendar_files import stored

        stored.current_key = lambda base_url=None: "none"  # no stored text matches

    request = RequestFactory().get("/en/events/calendar.ics")
    request.user = AnonymousUser()
    before = peak_mb()
    started = time.perf_counter()
    response = FilteredCalendarFileView.as_view()(request)
    first_chunk_at, size, vevents = None, 0, 0
    for chunk in response:
        if first_chunk_at is None:
            first_chunk_at = time.perf_counter() - started
        size += len(chunk)
        vevents += chunk.count(b"BEGIN:VEVENT\r\n")
    total = time.perf_counter() - started
    print(
        f"{'built' if options.live else 'stored texts'}: {vevents:,} VEVENTs, {size / 1e6:.1f} MB "
        f"in {total:.2f} s (first chunk after {first_chunk_at:.3f} s); "
        f"peak memory {before:.0f} MB before, {peak_mb():.0f} MB after"
    )


if __name__ == "__main__":
    main()
