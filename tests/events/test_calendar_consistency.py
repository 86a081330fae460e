"""One event, one time, everywhere: the page, the .ics, the Google and Outlook links, the page's
JSON-LD and the RSS and Atom feeds.

Each extractor reads an event's start and end from one place a visitor or a client sees, and
returns them normalized (``tests.calendar_cases``: dates with an exclusive end, or UTC instants).
To check another source, add an extractor to ``EXTRACTORS``.
"""

import datetime as dt
import html
import json
import re
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import icalendar
import pytest

from tests.calendar_cases import CASES, make_tricky_events, normalized

pytestmark = pytest.mark.django_db


def page_times(client, event):
    """The first "When" range of the event page, from its <time datetime> values."""
    page = client.get(event.get_absolute_url()).content.decode()
    when = re.search(r"<dt>When:</dt>\s*<dd>(.*?)(?:<br>|</dd>)", page, flags=re.S).group(1)
    values = re.findall(r'<time datetime="([^"]+)">', when)
    if len(values[0]) == 10:  # all-day: dates, the end inclusive on the page
        last = dt.date.fromisoformat(values[-1])
        return values[0], normalized(last + dt.timedelta(days=1))
    start, end = (dt.datetime.fromisoformat(value) for value in (values[0], values[-1]))
    return normalized(start), normalized(end)


def ics_times(client, event):
    """DTSTART/DTEND of the event's own VEVENT in its .ics file."""
    calendar = icalendar.Calendar.from_ical(client.get(event.get_ical_url()).content)
    vevent = next(c for c in calendar.walk("VEVENT") if str(c["UID"]) == event.ical_uid)
    return normalized(vevent.decoded("DTSTART")), normalized(vevent.decoded("DTEND"))


def _link(client, event, prefix):
    page = client.get(event.get_absolute_url()).content.decode()
    href = re.search(rf'href="({re.escape(prefix)}[^"]+)"', page).group(1)
    return {key: values[0] for key, values in parse_qs(urlsplit(html.unescape(href)).query).items()}


def _from_compact(value):
    if "T" in value:
        return normalized(dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC))
    return normalized(dt.datetime.strptime(value, "%Y%m%d").date())


def google_times(client, event):
    """The ``dates`` of the event page's "Add to Google Calendar" link."""
    start, end = _link(client, event, "https://calendar.google.com/calendar/render?").get("dates").split("/")
    return _from_compact(start), _from_compact(end)


def _outlook(host):
    def outlook_times(client, event):
        params = _link(client, event, f"https://{host}/calendar/deeplink/compose?")
        assert params["allday"] == ("true" if event.all_day else "false")
        return params["startdt"], params["enddt"]

    outlook_times.__name__ = f"outlook_times_{host}"
    return outlook_times


def _iso_range(start, end):
    """Normalized (start, exclusive end) from schema.org-style ISO values (all-day end inclusive)."""
    if len(start) == 10:
        return start, normalized(dt.date.fromisoformat(end) + dt.timedelta(days=1))
    return normalized(dt.datetime.fromisoformat(start)), normalized(dt.datetime.fromisoformat(end))


def json_ld_times(client, event):
    """startDate/endDate of the event page's schema.org JSON-LD."""
    page = client.get(event.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    return _iso_range(data["startDate"], data["endDate"])


def _feed(path):
    def feed_times(client, event):
        root = ElementTree.fromstring(client.get(path).content)
        namespaces = {"ev": "http://purl.org/rss/1.0/modules/event/", "atom": "http://www.w3.org/2005/Atom"}
        for item in [*root.iter("item"), *root.iter("{http://www.w3.org/2005/Atom}entry")]:
            link = item.findtext("link") or item.find("atom:link", namespaces).get("href")
            if link.endswith(event.get_absolute_url()):
                return _iso_range(
                    item.findtext("ev:startdate", namespaces=namespaces),
                    item.findtext("ev:enddate", namespaces=namespaces),
                )
        raise AssertionError(f"{event.slug} is not in {path}")

    feed_times.__name__ = f"feed_times_{path.rsplit('.', 1)[-1]}"
    return feed_times


EXTRACTORS = [
    page_times,
    ics_times,
    google_times,
    _outlook("outlook.live.com"),
    _outlook("outlook.office.com"),
    json_ld_times,
    _feed("/en/events/feed.rss"),
    _feed("/en/events/feed.atom"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.slug for case in CASES])
@pytest.mark.parametrize("extract", EXTRACTORS, ids=[e.__name__ for e in EXTRACTORS])
def test_every_source_shows_the_same_times(client, case, extract):
    event = make_tricky_events()[case.slug]

    assert extract(client, event) == (case.start, case.end)
