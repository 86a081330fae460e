"""Where the uncached event page's time goes (issue 16): cProfile of 300 requests of the benchmark's
heaviest event page through the WSGI application, against ``DATABASE_URL``, summed by part and
printed as Markdown table rows (milliseconds per request under the profiler, and share)::

    DATABASE_URL=sqlite:///bench/out/bench-1000.sqlite3 \\
        .venv/bin/python bench/event_page_profile.py [CHECKOUT]

CHECKOUT (default: this one) is the source tree to profile, for a before/after of another commit.
"""

import cProfile
import os
import pstats
import sys
from pathlib import Path

root = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parent.parent)
sys.path.insert(0, root)
os.chdir(root)
for k, v in {
    "DJANGO_SETTINGS_MODULE": "events_site.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
}.items():
    os.environ.setdefault(k, v)
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"
os.environ["CACHE_URL"] = "locmemcache://"
import django  # noqa: E402

django.setup()
from django.test import RequestFactory  # noqa: E402

from bench.pages import PAGES  # noqa: E402
from events_site.wsgi import application  # noqa: E402

url = PAGES["event page"]()[0]


def get():
    environ = RequestFactory(HTTP_HOST="127.0.0.1").get(url).environ
    body = application(environ, lambda *a: None)
    b"".join(body)
    body.close()


for _ in range(20):
    get()
p = cProfile.Profile()
p.enable()
N = 300
for _ in range(N):
    get()
p.disable()
st = pstats.Stats(p)
total = sum(v[2] for v in st.stats.values())  # tottime sum


def cum(pattern):
    return sum(v[3] for k, v in st.stats.items() if pattern(k))


rows = {
    "whole request": cum(lambda k: k[2] == "__call__" and k[0].endswith("handlers/wsgi.py")),
    "the view: the event, its prefetches, the context": cum(
        lambda k: k[2] == "get" and k[0].endswith("views/generic/detail.py")
    ),
    "· in it, the prefetches": cum(
        lambda k: k[2] == "prefetch_related_objects" and k[0].endswith("models/query.py")
    ),
    "the template (and its one query)": cum(
        lambda k: k[2] == "render" and k[0].endswith("template/response.py")
    ),
    "· in it, the {% url %} tags": cum(
        lambda k: k[2] == "render" and k[0].endswith("defaulttags.py") and k[1] == 463
    ),
    "· in it, the add-to-calendar links": cum(lambda k: k[2] == "event_calendar_links"),
    "· in it, the times formatted": cum(
        lambda k: k[2] in ("when", "day") and "templatetags/event_time.py" in k[0]
    ),
    "· in it, the JSON-LD": cum(lambda k: k[2] == "event_json_ld"),
    "every SQL query, compiled and run (in the view and the template)": cum(
        lambda k: k[2] == "execute_sql" and k[0].endswith("sql/compiler.py")
    ),
}
whole = rows["whole request"]
for name, value in rows.items():
    print(f"| {name} | {value / N * 1000:.2f} ms | {value / whole * 100:.0f}% |")
