"""Repeating events on the public site: grid, lists, date pages, files, feeds and sitemap."""

import datetime as dt
import re
import zoneinfo
from xml.etree import ElementTree

import icalendar
import pytest
import time_machine
from django.utils.html import escape

from events.models import Event, OccurrenceChange
from tests.factories import EventFactory
from tests.pages import text_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
pytestmark = pytest.mark.django_db


@pytest.fixture
def before_the_series():
    """1 March 2031, 09:00 in Vienna."""
    with time_machine.travel(dt.datetime(2031, 3, 1, 9, 0, tzinfo=VIENNA), tick=False):
        yield


@pytest.fixture
def tuesday_call():
    """A call every Tuesday at 10:00 Vienna time from 4 March 2031 (the clocks change on 30 March)."""
    event = EventFactory(
        title="Tuesday call",
        slug="tuesday-call",
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=WEEKLY;BYDAY=TU",
    )
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA),
        status=Event.Status.CANCELLED,
    )
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 25, 10, 0, tzinfo=VIENNA),
        start=dt.datetime(2031, 3, 25, 15, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 3, 25, 16, 0, tzinfo=VIENNA),
        title="Tuesday call (afternoon)",
    )
    return Event.objects.get(pk=event.pk)


def cell_items(response, day):
    """The items of one day's cell in the month grid, as text."""
    html = response.content.decode()
    cell = next(td for td in html.split("<td")[1:] if f'datetime="{day}"' in td.split("</a>")[0])
    items = re.findall(r'<a class="cal-item[^"]*"[^>]*>(.*?)</a>', cell, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def test_month_grid_shows_every_tuesday_at_ten_across_the_clock_change(client, tuesday_call):
    response = client.get("/en/events/calendar/2031/04/")

    for day in ("2031-04-01", "2031-04-08", "2031-04-15"):
        assert cell_items(response, day) == ["10:00 am Tuesday call"]
    assert cell_items(response, "2031-04-02") == []


def test_month_grid_shows_changed_and_cancelled_dates(client, tuesday_call):
    response = client.get("/en/events/calendar/2031/03/")

    assert cell_items(response, "2031-03-11") == ["10:00 am Tuesday call"]
    assert cell_items(response, "2031-03-18") == ["10:00 am Tuesday call (cancelled)"]
    assert cell_items(response, "2031-03-25") == ["3:00 pm Tuesday call (afternoon)"]


def test_home_page_shows_the_next_dates_of_a_series_among_one_off_events(client, tuesday_call):
    EventFactory(title="Workshop", slug="workshop", start=dt.datetime(2031, 4, 9, 9, 0, tzinfo=VIENNA))

    with time_machine.travel(dt.datetime(2031, 4, 2, 9, 0, tzinfo=VIENNA), tick=False):
        html = client.get("/en/").content.decode()

    titles = re.findall(r'class="card-title"><a href="([^"]+)" lang="en">', html)
    assert titles == [
        "/en/events/tuesday-call/20310408T1000/",
        "/en/events/workshop/",
        "/en/events/tuesday-call/20310415T1000/",
        "/en/events/tuesday-call/20310422T1000/",
        "/en/events/tuesday-call/20310429T1000/",
    ]


def test_upcoming_list_shows_each_date_in_order_with_one_off_events(client, tuesday_call, before_the_series):
    EventFactory(title="Workshop", start=dt.datetime(2031, 3, 12, 9, 0, tzinfo=VIENNA))

    titles = re.findall(
        r'class="card-title"><a href="([^"]+)" lang="en">', client.get("/en/events/").content.decode()
    )

    assert titles[:4] == [
        "/en/events/tuesday-call/20310304T1000/",
        "/en/events/tuesday-call/20310311T1000/",
        "/en/events/workshop/",
        "/en/events/tuesday-call/20310318T1000/",
    ]


def test_upcoming_list_pages_through_a_never_ending_series(client, tuesday_call, before_the_series):
    second_page = client.get("/en/events/?page=2")

    # 20 a page: the 21st Tuesday from 4 March 2031 is 22 July.
    assert 'href="/en/events/tuesday-call/20310722T1000/"' in second_page.content.decode()
    assert "Page 2" in text_of(second_page)
    assert 'rel="next"' in second_page.content.decode()  # the coming year holds 52 Tuesdays


def test_past_list_shows_the_dates_that_are_over(client, tuesday_call):
    with time_machine.travel(dt.datetime(2031, 3, 13, 9, 0, tzinfo=VIENNA), tick=False):
        html = client.get("/en/events/past/").content.decode()

    assert re.findall(r'class="card-title"><a href="([^"]+)" lang="en">', html) == [
        "/en/events/tuesday-call/20310311T1000/",
        "/en/events/tuesday-call/20310304T1000/",
    ]


def test_series_page_lists_its_next_dates_and_the_rule_in_words(client, tuesday_call, before_the_series):
    response = client.get("/en/events/tuesday-call/")
    text = text_of(response)

    assert "Repeats: Every week on Tuesday" in text
    assert (
        "Next dates Download .ics (every date) March 4, 2031 @ 10:00 am – 11:00 am CET "
        "March 11, 2031 @ 10:00 am – 11:00 am CET March 18, 2031 @ 10:00 am – 11:00 am CET · Cancelled "
        "March 25, 2031 @ 3:00 pm – 4:00 pm CET · Tuesday call (afternoon) "
        "April 1, 2031 @ 10:00 am – 11:00 am CEST" in text
    )
    assert 'href="/en/events/tuesday-call.ics"' in response.content.decode()


def test_series_page_reads_its_date_changes_in_one_query_and_a_one_off_page_none(
    client, tuesday_call, before_the_series, django_assert_num_queries
):
    one_off = EventFactory(
        title="Workshop", slug="workshop", start=dt.datetime(2031, 4, 9, 9, 0, tzinfo=VIENNA)
    )

    # event with venue and organizer; categories, tags, sessions, documents; news about it
    with django_assert_num_queries(6):
        assert client.get(one_off.get_absolute_url()).status_code == 200
    # the same, and the series' per-date changes
    with django_assert_num_queries(7):
        response = client.get("/en/events/tuesday-call/")

    assert "March 25, 2031 @ 3:00 pm – 4:00 pm CET · Tuesday call (afternoon)" in text_of(response)


def test_date_page_has_its_own_time_title_and_add_to_calendar(client, tuesday_call):
    response = client.get("/en/events/tuesday-call/20310325T1000/")
    html, text = response.content.decode(), text_of(response)

    assert '<h1 lang="en">Tuesday call (afternoon)</h1>' in html
    assert "When: March 25, 2031 @ 3:00 pm – 4:00 pm CET Repeats: Every week on Tuesday · All dates" in text
    assert escape("dates=20310325T140000Z%2F20310325T150000Z") in html
    assert 'href="/en/events/tuesday-call/20310325T1000.ics"' in html


def test_cancelled_date_page_says_so(client, tuesday_call):
    response = client.get("/en/events/tuesday-call/20310318T1000/")

    assert '<p class="status">Cancelled</p>' in response.content.decode()
    assert '"eventStatus": "https://schema.org/EventCancelled"' in response.content.decode()


@pytest.mark.parametrize("key", ["20310305T1000", "20310304T1100", "20310304", "20301231T1000"])
def test_a_date_that_is_not_in_the_series_is_404(client, tuesday_call, key):
    response = client.get(f"/en/events/tuesday-call/{key}/")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_a_one_off_event_has_no_date_pages(client):
    EventFactory(slug="once", start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA))

    assert client.get("/en/events/once/20310304T1000/").status_code == 404
    assert client.get("/en/events/once/20310304T1000.ics").status_code == 404


def test_date_file_is_that_one_date_with_its_own_uid(client, tuesday_call):
    response = client.get("/en/events/tuesday-call/20310401T1000.ics")
    (vevent,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")

    assert vevent.decoded("DTSTART") == dt.datetime(2031, 4, 1, 10, 0, tzinfo=VIENNA)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Vienna"
    assert "RRULE" not in vevent
    assert str(vevent["UID"]) == f"20310401T1000-{tuesday_call.ical_uid}"
    assert str(vevent["URL"]).endswith("/en/events/tuesday-call/20310401T1000/")


def test_draft_series_dates_are_hidden(client):
    EventFactory(slug="draft-series", is_published=False, recurrence_rule="FREQ=DAILY")

    assert client.get("/en/events/draft-series/20310304T1000/").status_code == 404
    assert "draft-series" not in client.get("/en/events/calendar/2031/03/").content.decode()


def test_feed_has_an_item_per_date_with_its_times(client, tuesday_call, before_the_series):
    root = ElementTree.fromstring(client.get("/en/events/feed.rss").content)
    namespace = {"ev": "http://purl.org/rss/1.0/modules/event/"}
    items = [
        (i.findtext("link"), i.findtext("ev:startdate", namespaces=namespace)) for i in root.iter("item")
    ]

    assert items[:2] == [
        ("http://testserver/en/events/tuesday-call/20310304T1000/", "2031-03-04T10:00:00+01:00"),
        ("http://testserver/en/events/tuesday-call/20310311T1000/", "2031-03-11T10:00:00+01:00"),
    ]
    assert len({guid.text for guid in root.iter("guid")}) == len(items) == 50


def test_sitemap_lists_the_dates_of_the_coming_year(client, tuesday_call, before_the_series):
    xml = client.get("/sitemap-dates.xml").content.decode()

    assert "http://testserver/en/events/tuesday-call/20310304T1000/" in xml
    assert "http://testserver/en/events/tuesday-call/20320224T1000/" in xml
    assert "http://testserver/en/events/tuesday-call/20320309T1000/" not in xml


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY", "FREQ=DAILY"])
def test_month_grid_query_count_does_not_grow_with_dates(client, django_assert_num_queries, rule):
    for hour in (8, 12, 16):
        EventFactory(start=dt.datetime(2031, 3, 3, hour, 0, tzinfo=VIENNA), recurrence_rule=rule)

    # the longest event, one-off events of the grid, its series, their date changes; filter menus:
    # categories, tags, venues, organizers
    with django_assert_num_queries(8):
        response = client.get("/en/events/calendar/2031/03/")

    # The grid runs Monday 24 February to Sunday 6 April: from 3 March, 5 Mondays and 35 days.
    assert response.content.decode().count('class="cal-title"') == 3 * (5 if rule == "FREQ=WEEKLY" else 35)


@pytest.mark.parametrize("rule", ["FREQ=WEEKLY", "FREQ=DAILY"])
def test_upcoming_list_query_count_does_not_grow_with_dates(
    client, django_assert_num_queries, rule, before_the_series
):
    EventFactory(start=dt.datetime(2031, 3, 20, 9, 0, tzinfo=VIENNA))
    for hour in (8, 12):
        EventFactory(start=dt.datetime(2031, 3, 3, hour, 0, tzinfo=VIENNA), recurrence_rule=rule)

    # one-off events: the longest event, rows, categories, tags; series: rows, categories, tags,
    # date changes; filter menus: categories, tags, venues, organizers
    with django_assert_num_queries(12):
        response = client.get("/en/events/")

    assert response.content.decode().count('class="card-title"') == 20
