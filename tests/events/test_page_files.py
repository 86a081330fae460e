"""Every listing page's "Download .ics" and "Subscribe" links give the events that page shows."""

import datetime as dt
import re
import zoneinfo
from html import unescape

import icalendar
import pytest
import time_machine

from tests.factories import CategoryFactory, EventFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
pytestmark = pytest.mark.django_db


@pytest.fixture
def december_2026():
    with time_machine.travel(dt.datetime(2026, 12, 7, 12, 0, tzinfo=VIENNA), tick=False):
        yield


@pytest.fixture
def events(december_2026):
    def at(day, title, **extra):
        start = dt.datetime.combine(day, dt.time(10), VIENNA)
        return EventFactory(title=title, start=start, end=start + dt.timedelta(hours=2), **extra)

    return {
        "long ago": at(dt.date(2021, 6, 15), "June 2021 hearing"),
        "last year": at(dt.date(2025, 11, 3), "November 2025 meeting"),
        "next week": at(dt.date(2026, 12, 14), "December 2026 webinar"),
        "next year": at(dt.date(2027, 3, 1), "March 2027 forum"),
    }


def download_link(client, path):
    html = client.get(path).content.decode()
    href = re.search(r'<a href="([^"]+)" download>Download \.ics</a>', html).group(1)
    return unescape(href)


def summaries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(b"".join(response.streaming_content))
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


def test_a_past_months_file_holds_that_months_events(client, events):
    url = download_link(client, "/en/events/calendar/2021/06/")
    assert url == "/en/events/calendar.ics?from=2021-06-01&to=2021-06-30"
    assert summaries(client, url) == ["June 2021 hearing"]


def test_a_months_file_keeps_the_visitors_filters(client, events):
    category = CategoryFactory(slug="hearings")
    events["long ago"].categories.add(category)
    url = download_link(client, "/en/events/calendar/2021/06/?category=hearings")
    assert summaries(client, url) == ["June 2021 hearing"]
    assert summaries(client, download_link(client, "/en/events/calendar/2025/11/?category=hearings")) == []


def test_a_visitors_own_dates_narrow_the_months_file(client, events):
    url = download_link(client, "/en/events/calendar/2021/06/?from=2021-06-20")
    assert url == "/en/events/calendar.ics?from=2021-06-20&to=2021-06-30"
    assert summaries(client, url) == []


def test_week_and_day_files_hold_their_days(client, events):
    assert summaries(client, download_link(client, "/en/events/calendar/2026/week/51/")) == [
        "December 2026 webinar"
    ]
    assert summaries(client, download_link(client, "/en/events/calendar/2025/11/03/")) == [
        "November 2025 meeting"
    ]
    assert summaries(client, download_link(client, "/en/events/calendar/2025/11/04/")) == []


def test_the_upcoming_lists_file_starts_today(client, events):
    url = download_link(client, "/en/events/")
    assert url == "/en/events/calendar.ics?from=2026-12-07"
    assert summaries(client, url) == ["December 2026 webinar", "March 2027 forum"]


def test_the_past_lists_file_holds_what_has_happened(client, events):
    url = download_link(client, "/en/events/past/")
    assert summaries(client, url) == ["June 2021 hearing", "November 2025 meeting"]


def test_the_subscribe_link_carries_the_same_days(client, events):
    html = client.get("/en/events/calendar/2021/06/").content.decode()
    assert 'href="/en/events/subscribe/?from=2021-06-01&amp;to=2021-06-30"' in html


def test_the_plain_feed_keeps_its_window(client, events):
    # What ended up to 365 days ago and everything later: both past events have left the window.
    assert summaries(client, "/en/events/calendar.ics") == ["December 2026 webinar", "March 2027 forum"]


def test_subscribing_to_what_is_coming_follows_the_rolling_window(client, events):
    html = client.get("/en/events/?category=x").content.decode()
    assert 'href="/en/events/subscribe/?category=x">Subscribe to these events' in html
    assert 'href="/en/events/calendar.ics?category=x&amp;from=2026-12-07" download' in html
