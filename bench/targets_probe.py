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
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "events_site.settings")
os.environ["CACHE_URL"] = "locmemcache://"
os.environ["DJANGO_PAGE_CACHE_SECONDS"] = "0"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from bench.pages import PAGES  # noqa: E402
from bench.serving import served  # noqa: E402

SEARCHES = {"one word": "labour", "two words": "labour inspection", "no hit": "zzzxqy"}
EDITOR = {"username": "bench-editor", "password": "bench-editor-password-not-secret"}


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
        url = "/en/search/?" + urllib.parse.urlencode({"q": words})
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


class ChangeForm(HTMLParser):
    """The fields a browser submits from the admin's change form (``#<model>_form``): inputs
    (checkboxes and radios when checked; no buttons or files), each select's chosen options (the
    first when none is marked) and textareas, in the page's order, as (name, value) pairs."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.fields, self.inside, self.select, self.textarea = [], False, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id", "").endswith("_form")
        elif not self.inside or ("name" not in attrs and tag != "option"):
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append(
                (attrs["name"], attrs.get("value", "on" if kind in ("checkbox", "radio") else ""))
            )
        elif tag == "select":
            self.select = {"name": attrs["name"], "chosen": [], "first": None}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            select, self.select = self.select, None
            chosen = select["chosen"] or ([select["first"]] if select["first"] is not None else [])
            self.fields += [(select["name"], value) for value in chosen]
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.textarea = None
            self.fields.append((name, text.removeprefix("\n")))  # as browsers drop the first newline


def form_data(html, title):
    """What the change form in ``html`` submits, with ``title`` typed in: the form as the editor
    loaded it (every field, inline rows included), so a save changes only the title."""
    return [(name, title if name == "title" else value) for name, value in ChangeForm(html).fields]


def edit_titles(event):
    """The titles the saves alternate between: the event's own, and the same marked as edited."""
    original = event.title.removesuffix(" (edited)")
    return original + " (edited)", original


def save():
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(editor_account())
    event = edited_event()
    url = f"/admin/events/event/{event.pk}/change/"
    titles = edit_titles(event)
    timings = []
    for round_number in range(26):  # an even number: the event ends with its own title
        data = form_data(client.get(url).content.decode(), titles[round_number % 2])
        started = time.perf_counter()
        response = client.post(
            url, urllib.parse.urlencode(data), content_type="application/x-www-form-urlencoded"
        )
        elapsed = time.perf_counter() - started
        if response.status_code != 302:
            errors = re.findall(r'<ul class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S)
            raise SystemExit(f"the save did not go through ({response.status_code}): {errors[:3]}")
        if round_number >= 4:  # the first saves warm up
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
        "/en/events/calendar.ics",
        "/en/events/feed.rss",
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
        page = opener.open(base + path, timeout=30).read().decode()
        # Production cookies are Secure; the benchmark's server is plain HTTP on the loopback.
        for cookie in jar:
            cookie.secure = False
        return page

    def post(path, data):
        """POST ``data`` ((name, value) pairs; the CSRF token added unless the form carried it)."""
        if "csrfmiddlewaretoken" not in dict(data):
            token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
            data = [*data, ("csrfmiddlewaretoken", token)]
        body = urllib.parse.urlencode(data).encode()
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
    post("/admin/login/?next=/admin/", [*EDITOR.items(), ("next", "/admin/")])
    event = edited_event()
    path = f"/admin/events/event/{event.pk}/change/"
    titles = edit_titles(event)
    timings, failures = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline or len(timings) % 2:  # an even number: the own title last
        opened = time.monotonic()
        try:
            data = form_data(get(path), titles[len(timings) % 2])
            started = time.monotonic()
            if post(path, data) != 302:  # not saved
                failures += 1
        except OSError:
            failures += 1
            started = time.monotonic()
        timings.append((time.monotonic() - started) * 1000)
        time.sleep(max(0.0, 1.0 - (time.monotonic() - opened)))
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
