"""Runs inside Django against one benchmark database (``DATABASE_URL``) and prints JSON.

``probe.py count`` prints how many events the database holds (-1 before it is migrated);
``probe.py feed_texts [LANGUAGE...]`` how many have a current stored text in each language.
``probe.py analyze`` refreshes the planner's statistics (VACUUM ANALYZE, or ANALYZE on SQLite).
``probe.py pages OUTDIR LANGUAGE...`` resolves every page of ``bench/pages.py`` in each language to
a URL, requests it once through Django's test client with ``CaptureQueriesContext`` (SQL queries
of an uncached request, then of a repeat request served from the page cache), and saves the body
as OUTDIR/<file> for the static-file comparison.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")
# The probe's own cache: local memory, so the cached query count does not touch the server's.
os.environ["CACHE_URL"] = "locmemcache://"
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "600"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.utils import DatabaseError  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from bench.pages import pages_in_languages  # noqa: E402
from bench.serving import served  # noqa: E402


def count():
    from events.models import Event

    try:
        return Event.objects.count()
    except DatabaseError:
        return -1


def feed_texts(*languages):
    """How many events have a stored feed text of the current format in the site's language and in
    every one of ``languages`` (events.calendar_files.stored)."""
    from events.calendar_files import stored
    from events.models import EventFeedText

    counts = [
        EventFeedText.objects.filter(key=stored.current_key(), language=language).count()
        for language in {settings.LANGUAGE_CODE, *languages}
    ]
    return min(counts)


def fetch(client, url):
    """The response, its whole body (a streamed one read too), its SQL queries and its time."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = time.perf_counter() - started
    return response, body, len(queries), elapsed


def probe_pages(outdir, languages):
    outdir.mkdir(parents=True, exist_ok=True)
    client = Client(HTTP_HOST="127.0.0.1")
    results = []
    for name, urls in pages_in_languages(languages):
        tried = []
        for url in urls:
            response, body, queries, elapsed = fetch(client, url)
            tried.append(f"{url} ({response.status_code})")
            if response.status_code != 200:
                continue
            served(url)  # the first request served fills the page cache
            _, _, cached_queries = served(url)
            extension = "ics" if response["Content-Type"].startswith("text/calendar") else "html"
            static_name = f"{slugify(name)}.{extension}"
            (outdir / static_name).write_bytes(body)
            results.append(
                {
                    "page": name,
                    "url": url,
                    "queries": queries,
                    "cached_queries": cached_queries,
                    "bytes": len(body),
                    "first_seconds": round(elapsed, 4),
                    "static": static_name,
                }
            )
            break
        else:
            results.append({"page": name, "skipped": "no URL answered 200: " + ", ".join(tried)})
    return results


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return connection.vendor


if __name__ == "__main__":
    if sys.argv[1] == "count":
        print(json.dumps(count()))
    elif sys.argv[1] == "feed_texts":
        print(json.dumps(feed_texts(*sys.argv[2:])))
    elif sys.argv[1] == "analyze":
        print(json.dumps(analyze()))
    else:
        print(json.dumps(probe_pages(Path(sys.argv[2]), sys.argv[3:])))
