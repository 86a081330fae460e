"""Every page takes a fixed number of SQL queries, however many events the calendar holds (issue 7).

The calendar is the benchmark's synthetic one (``generate_events``), at two sizes ten times apart,
with sessions, documents, several venues, organizers, categories, tags and articles.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from bench.pages import busiest_month
from events.models import Category, Event, Tag

pytestmark = pytest.mark.django_db

CONFERENCE_ICS = "/en/events/21st-conference-alliance-against-trafficking-in-persons.ics"


@pytest.fixture(params=[100, 800], ids=lambda size: f"{size}-events")
def calendar(request, seed, settings, committed):
    settings.PAGE_CACHE_SECONDS = 0  # measure the views, not the page cache
    settings.SITE_URL = "http://testserver"  # as in production: feeds copy stored texts
    call_command("refresh_feed_text", verbosity=0)  # the seed's, loaded before SITE_URL was set
    with committed():  # the new events' feed texts are written on commit
        call_command("generate_events", request.param, seed=5, articles=40, verbosity=0)
    return request.param


def busiest(model):
    """The term with most events among those with articles too (an empty section takes no query)."""
    return (
        model.objects.filter(articles__isnull=False)
        .annotate(events_count=Count("events", distinct=True))
        .order_by("-events_count", "pk")
        .first()
    )


def event_with_programme():
    return Event.objects.published().filter(sessions__isnull=False, documents__isnull=False).first()


LIST_QUERIES = (
    "events with venue and organizer, categories, tags; repeating events; "
    "filter menus: categories, tags, venues, organizers"
)

# (page, URL builder, queries, what they are)
PAGES = [
    (
        "home",
        lambda: "/en/",
        9,
        "the longest event; upcoming events, categories, tags; series (none); articles, categories, "
        "tags, events",
    ),
    (
        "event list",
        lambda: "/en/events/",
        9,
        "the longest event (how far back an unfinished one may have started); " + LIST_QUERIES,
    ),
    (
        "past events",
        lambda: "/en/events/past/",
        8,
        LIST_QUERIES,
    ),
    ("page 2 of the list", lambda: "/en/events/?page=2", 9, "as page 1"),
    (
        "event page",
        lambda: event_with_programme().get_absolute_url(),
        6,
        "event with venue and organizer, categories, tags, sessions, documents, news about it (a "
        "series' page also reads its per-date changes)",
    ),
    (
        "event .ics",
        lambda: event_with_programme().get_ical_url(),
        4,
        "event with venue and organizer, categories, date changes, sessions",
    ),
    ("conference .ics", lambda: CONFERENCE_ICS, 4, "as an event's .ics"),
    (
        "category page",
        lambda: busiest(Category).get_absolute_url(),
        11,
        "category; upcoming and past events with categories and tags; articles with their links",
    ),
    ("tag page", lambda: busiest(Tag).get_absolute_url(), 11, "as a category page"),
    ("news", lambda: "/en/news/", 5, "count, articles, categories, tags, events"),
    (
        "busy month",
        lambda: "/en/events/calendar/{}/{:02d}/".format(*busiest_month()),
        8,
        "the longest event; one-off events of the grid, the events its cells show, its series (the "
        "generated calendar has none, so no date changes to read); the four filter menus",
    ),
    (
        "search",
        lambda: "/en/search/?q=labour",
        range(9, 14),
        "venues matching the words; events: a probe of the matches (when they are many: a probe of "
        "those with every word in the title and a walk to their latest, then the same for the "
        "others if they fall short), the best with venue and organizer, categories, tags; articles, "
        "categories, tags, events. On PostgreSQL, each walk adds 4 statements: a transaction and "
        "the planner setting (events.postgres.walking_an_index_in_order)",
    ),
    (
        "whole calendar .ics",
        lambda: "/en/events/calendar.ics",
        2,
        "count, last change and timezones; every event's stored text (one cursor; without SITE_URL "
        "the events are built instead: tests/events/test_ical_views.py)",
    ),
]


@pytest.mark.parametrize(("page", "url", "queries", "what"), PAGES, ids=[page[0] for page in PAGES])
def test_page_query_count_does_not_depend_on_the_number_of_events(client, calendar, page, url, queries, what):
    address = url()

    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
        content = b"".join(response.streaming_content) if response.streaming else response.content

    statements = [query["sql"] for query in captured.captured_queries]
    if isinstance(queries, range):  # bounded, whatever the number of events
        walks = sum(sql.startswith("SET LOCAL enable_bitmapscan = off") for sql in statements)
        assert len(statements) - 4 * walks in queries, statements
    else:
        assert len(statements) == queries, statements

    assert response.status_code == 200
    assert len(content) > 1000


def test_cached_pages_take_no_queries(served, calendar, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 60
    # A streamed feed is not kept by the page cache (it would hold the whole file in memory): a
    # repeat subscriber gets a 304 from its one query instead (tests/events/test_ical_views.py).
    addresses = [url() for page, url, _, _ in PAGES if page != "whole calendar .ics"]
    for address in addresses:
        served.get(address)

    with django_assert_num_queries(0):
        responses = [served.get(address) for address in addresses]

    assert [response.status_code for response in responses] == [200] * len(addresses)
