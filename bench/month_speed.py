"""How long the month page of the calendar takes, uncached, measured in this process (issue 7).

Requests the busiest month (``bench.pages.busiest_month``) with Django's test client against the
database of ``DATABASE_URL``, many times after a few warm-up requests, and prints the p50 and p90
latency (and the p50 of this process's CPU time, which other work on the machine moves less) and
the SQL queries of one request; ``--profile`` prints where the time of one request
goes instead (cProfile, sorted by cumulative time)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/events_perfbench_100000 \\
        .venv/bin/python bench/month_speed.py --repeat 200
    DATABASE_URL=sqlite:////path/to/bench-100000.sqlite3 .venv/bin/python bench/month_speed.py --profile

The machine's other work moves single runs: compare medians of several runs.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "month-speed-measurement-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=100, help="timed requests (default 100)")
    parser.add_argument("--month", help="YYYY-MM instead of the busiest month")
    parser.add_argument("--profile", action="store_true", help="profile one request with cProfile")
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import busiest_month

    settings.PAGE_CACHE_SECONDS = 0
    year, month = map(int, options.month.split("-")) if options.month else busiest_month()
    url = f"/events/calendar/{year}/{month:02d}/"
    client = Client()

    for _ in range(5):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        size = len(client.get(url).content)
    # Read now: the log is emptied at the start of every request.
    query_count = len(queries)
    sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000

    if options.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(client.get, url)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        return

    timings, cpu_timings = [], []
    for _ in range(options.repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
    timings.sort()
    print(
        f"{connection.vendor} {url}: p50 {statistics.median(timings):.1f} ms, "
        f"p90 {timings[int(len(timings) * 0.9)]:.1f} ms over {len(timings)} requests "
        f"(this process's CPU: p50 {statistics.median(cpu_timings):.1f} ms); "
        f"{query_count} queries ({sql_ms:.1f} ms of SQL in one request), {size / 1000:.0f} KB"
    )


if __name__ == "__main__":
    main()
