"""The in-process measurements of ``bench/targets.py`` (issue 16), against ``DATABASE_URL``; prints JSON.

``targets_probe.py event_page``   CPU and wall time of the heaviest event page, through the WSGI
                                  application as gunicorn calls it (page cache off), and its queries
``targets_probe.py search``       p50 of the search page for a one-word, a two-word and a no-hit query
``targets_probe.py feed``         the whole calendar as one .ics, with and without ``DJANGO_SITE_URL``
``targets_probe.py save``         an editor's save of an event with sessions and documents through the
                                  admin's change form (everything a save records, on commit included)
``targets_probe.py load_paths``   the addresses of the mixed load
``targets_probe.py editor BASE SECONDS``  the editor of the load run: saves an event through the
                                  admin of the server at BASE once a second, over HTTP
"""

import http.cookiejar
import json
import os
import re
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")
os.environ["CACHE_URL"] = "locmemcache://"
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import PAGES  # noqa: E402

SEARCHES = {"one word": "labour", "two words": "labour inspection", "no hit": "zzzxqy"}
EDITOR = {"username": "bench-editor", "password": "bench-editor-password-not-secret"}


def served(url, host="127.0.0.1"):
    """Request ``url`` through the WSGI application (as gunicorn does); (status, body, queries)."""
    from events_site.wsgi import application

    environ = RequestFactory(HTTP_HOST=host).get(url).environ
    status = []
    with CaptureQueriesContext(connection) as queries:
        body = application(environ, lambda code, headers, *rest: status.append(code))
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
    return int(status[0].split()[0]), content, len(queries)


def timed(url, repeat):
    """Median wall and CPU milliseconds of ``repeat`` requests after three to warm up."""
    for _ in range(3):
        served(url)
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        served(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def event_page():
    url = PAGES["event page"]()[0]
    status, body, queries = served(url)
    assert status == 200, (url, status)
    wall, cpu = timed(url, 300)
    return {"url": url, "wall_ms": wall, "cpu_ms": cpu, "queries": queries, "bytes": len(body)}


def search():
    results = {}
    for name, words in SEARCHES.items():
        url = "/search/?" + urllib.parse.urlencode({"q": words})
        status, _body, queries = served(url)
        assert status == 200, (url, status)
        wall, cpu = timed(url, 30)
        results[name] = {"url": url, "wall_ms": wall, "cpu_ms": cpu, "queries": queries}
    return results


def feed():
    """The whole calendar: time and queries as deployed without the setting, and with it."""
    settings.ICS_FEED_MAX_EVENTS = 10**9
    url = PAGES["whole calendar .ics"]()[0]
    results = {}
    for name, site_url in (("without DJANGO_SITE_URL", ""), ("with DJANGO_SITE_URL", "http://127.0.0.1")):
        settings.SITE_URL = site_url
        served(url)  # a first request writes any stored text still missing
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            status, body, queries = served(url)
            timings.append(time.perf_counter() - started)
        assert status == 200, (url, status)
        results[name] = {
            "seconds": statistics.median(timings),
            "queries": queries,
            "vevents": body.count(b"BEGIN:VEVENT\r\n"),
            "megabytes": len(body) / 1e6,
        }
    return results


def editor_account():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=EDITOR["username"], defaults={"is_staff": True, "is_superuser": True}
    )
    user.set_password(EDITOR["password"])
    user.save()
    return user


def edited_event():
    """The benchmark's heaviest event page's event: upcoming, with sessions and documents."""
    from events.models import Event

    slug = PAGES["event page"]()[0].rstrip("/").rsplit("/", 1)[-1]
    return Event.objects.get(slug=slug)


def form_data(event, round_number):
    from tests.events.admin_post_data import change_form_data

    event.refresh_from_db()
    title = re.sub(r" \(edit \d+\)$", "", event.title) + f" (edit {round_number})"
    data = change_form_data(event, title=title, summary=event.summary)
    data["categories"] = [str(pk) for pk in event.categories.values_list("pk", flat=True)]
    data["tags"] = [str(pk) for pk in event.tags.values_list("pk", flat=True)]
    if event.organizer_id:
        data["organizer"] = str(event.organizer_id)
    return data


def save():
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor_account())
    event = edited_event()
    url = f"/admin/events/event/{event.pk}/change/"
    timings = []
    for round_number in range(25):
        data = form_data(event, round_number)
        started = time.perf_counter()
        response = client.post(url, data)
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
            raise SystemExit(f"the save did not go through ({response.status_code}): {errors[:3]}")
        if round_number >= 3:  # the first saves warm up
            timings.append(elapsed * 1000)
    sessions, documents = event.sessions.count(), event.documents.count()
    return {
        "p50_ms": statistics.median(timings),
        "saves": len(timings),
        "sessions": sessions,
        "documents": documents,
    }


def load_paths():
    """The mixed load's addresses: each page once, and eight different event pages."""
    from events.models import Event

    events = Event.objects.published().upcoming().filter(recurrence_rule="").order_by("start")[:8]
    pages = ["home", "event list", "month calendar", "filtered list", "search"]
    return [
        *(PAGES[name]()[0] for name in pages),
        *(event.get_absolute_url() for event in events),
        "/events/calendar.ics",
        "/events/feed.rss",
    ]


class StayOnRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer (a save answers 302), not followed to the next page."""

    def redirect_request(self, *args, **kwargs):
        return None


def editor(base, seconds):
    """Log in to the admin at ``base`` and save an event once a second for ``seconds``."""
    editor_account()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), StayOnRedirect)

    def get(path):
        opener.open(base + path, timeout=30).read()
        # Production cookies are Secure; the benchmark's server is plain HTTP on the loopback.
        for cookie in jar:
            cookie.secure = False

    def post(path, data):
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        request = urllib.request.Request(base + path, body, headers={"Referer": base + path})  # noqa: S310
        try:
            opener.open(request, timeout=30).close()
            status = 200  # the form came back with errors
        except urllib.error.HTTPError as error:  # a redirect (not followed) or an error
            status = error.code
        for cookie in jar:
            cookie.secure = False
        return status

    get("/admin/login/")
    post("/admin/login/?next=/admin/", {**EDITOR, "next": "/admin/"})
    event = edited_event()
    timings, failures = [], 0
    deadline = time.monotonic() + seconds
    round_number = 0
    while time.monotonic() < deadline:
        round_number += 1
        data = form_data(event, round_number)
        started = time.monotonic()
        try:
            if post(f"/admin/events/event/{event.pk}/change/", data) != 302:  # not saved
                failures += 1
        except OSError:
            failures += 1
        timings.append((time.monotonic() - started) * 1000)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
    return {"saves": len(timings), "failures": failures, "p50_ms": statistics.median(timings or [0])}


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "editor":
        print(json.dumps(editor(sys.argv[2], float(sys.argv[3]))))
    else:
        commands = {
            "event_page": event_page,
            "search": search,
            "feed": feed,
            "save": save,
            "load_paths": load_paths,
        }
        print(json.dumps(commands[command]()))
