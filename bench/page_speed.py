"""How long pages take in this process, without a server in between (issue 7).

Requests each page through Django's test client against the database of ``DATABASE_URL`` (page
cache off), a few times to warm up and then ``--repeat`` times, and prints the median and 90th
percentile (and the median of this process's CPU time, which other work on the machine moves
less), the SQL queries of one request and the time they took (production settings, so run
``manage.py collectstatic`` once first, as for the server). A page is a path, or a page name of
the benchmark (``bench/pages.py``: "month calendar" is the busiest month)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/events_perfbench_100000 \\
        .venv/bin/python bench/page_speed.py "/en/search/?q=labour+inspection" "month calendar"
    DATABASE_URL=sqlite:///bench/out/bench-100000.sqlite3 .venv/bin/python bench/page_speed.py ...

``--sql`` also prints each query with its time; ``--profile`` prints where the time of one request
of each page goes instead (cProfile, sorted by cumulative time). The machine's other work moves
single figures: compare medians of runs made one after the other.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "page-speed-measurement-not-a-secret-at-all")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"
os.environ["CACHE_URL"] = "locmemcache://"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="+", help="paths or benchmark page names, e.g. /search/?q=labour")
    parser.add_argument("--repeat", type=int, default=30, help="measured requests per URL")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured requests per URL first")
    parser.add_argument("--sql", action="store_true", help="print each query of one request")
    parser.add_argument("--profile", action="store_true", help="profile one request with cProfile")
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.pages import PAGES

    # Django empties the query log when a request starts, which would hide the request's queries.
    request_started.disconnect(reset_queries)
    client = Client()

    def fetch(url):
        """The response to a GET of ``url``, its body read to the end (a streamed .ics included)."""
        response = client.get(url)
        if response.streaming:
            response.content_length = sum(len(chunk) for chunk in response.streaming_content)
            response.close()
        return response

    for page in options.pages:
        url = page if page.startswith("/") else PAGES[page]()[0]
        for _ in range(options.warmup):
            fetch(url)
        with CaptureQueriesContext(connection) as captured:
            response = fetch(url)
        queries = list(captured.captured_queries)
        assert response.status_code == 200, (url, response.status_code)
        if options.profile:
            profiler = cProfile.Profile()
            profiler.runcall(fetch, url)
            print(url)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            continue
        timings, cpu_timings = [], []
        for _ in range(options.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            fetch(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu_started) * 1000)
        timings.sort()
        sql_ms = sum(float(query["time"]) for query in queries) * 1000
        print(
            f"{url}  p50 {statistics.median(timings):.1f} ms  p90 {timings[int(len(timings) * 0.9)]:.1f} ms"
            f"  (CPU p50 {statistics.median(cpu_timings):.1f} ms; {options.repeat} requests; "
            f"{len(queries)} queries taking {sql_ms:.1f} ms in one)"
        )
        if options.sql:
            for query in queries:
                print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")


if __name__ == "__main__":
    main()
