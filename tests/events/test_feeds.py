"""RSS and Atom feeds of upcoming events (with the list's filters) and of news."""

import datetime as dt
import zoneinfo

import pytest

from tests.factories import ArticleFactory, CategoryFactory, EventFactory
from tests.pages import xml_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
ATOM = "{http://www.w3.org/2005/Atom}"
pytestmark = pytest.mark.django_db


def rss_titles(response):
    return [item.findtext("title") for item in xml_of(response).iter("item")]


def atom_titles(response):
    return [entry.findtext(f"{ATOM}title") for entry in xml_of(response).iter(f"{ATOM}entry")]


def test_events_rss_lists_upcoming_published_events_soonest_first(client, frozen_now):
    EventFactory(title="Later", start=dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))
    EventFactory(title="Sooner", start=dt.datetime(2021, 6, 2, 10, tzinfo=VIENNA))
    EventFactory(title="Over", start=dt.datetime(2021, 5, 1, 10, tzinfo=VIENNA))
    EventFactory(title="Draft", is_published=False, start=dt.datetime(2021, 6, 3, 10, tzinfo=VIENNA))

    response = client.get("/en/events/feed.rss")

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert rss_titles(response) == ["Sooner", "Later"]


def test_events_feed_item_says_when_and_where(client, frozen_now):
    EventFactory(title="Talk", slug="talk", start=dt.datetime(2021, 6, 2, 10, tzinfo=VIENNA))

    item = next(xml_of(client.get("/en/events/feed.rss")).iter("item"))

    assert item.findtext("link") == "http://testserver/en/events/talk/"
    assert item.findtext("description") == "June 2, 2021 @ 10:00 am – 11:00 am CEST"


def test_events_atom_honours_the_list_filters(client, frozen_now):
    workshops = CategoryFactory(slug="workshops")
    EventFactory(title="Workshop", start=dt.datetime(2021, 6, 2, 10, tzinfo=VIENNA)).categories.add(workshops)
    EventFactory(title="Other", start=dt.datetime(2021, 6, 2, 11, tzinfo=VIENNA))

    response = client.get("/en/events/feed.atom?category=workshops")
    feed = xml_of(response)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert atom_titles(response) == ["Workshop"]
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']").get("href")
        == "http://testserver/en/events/?category=workshops"
    )


def test_events_feed_keeps_a_series_dates_within_the_visitors_dates(client, frozen_now):
    EventFactory(
        title="Weekly call",
        start=dt.datetime(2021, 6, 1, 16, tzinfo=VIENNA),
        recurrence_rule="FREQ=WEEKLY;COUNT=8",
    )

    response = client.get("/en/events/feed.rss?from=2021-06-14&to=2021-06-20")

    dates = [
        item.findtext("{http://purl.org/rss/1.0/modules/event/}startdate")
        for item in xml_of(response).iter("item")
    ]
    assert [date[:10] for date in dates] == ["2021-06-15"]


def test_events_feed_with_an_unknown_filter_value_is_empty(client, frozen_now):
    EventFactory(start=dt.datetime(2021, 6, 2, 10, tzinfo=VIENNA))

    assert rss_titles(client.get("/en/events/feed.rss?category=nope")) == []


@pytest.mark.parametrize("count", [1, 15])
def test_events_feed_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    category = CategoryFactory()
    for index in range(count):
        EventFactory(start=dt.datetime(2021, 6, 2 + index, 10, tzinfo=VIENNA)).categories.add(category)

    # the longest event (how far back an unfinished one may have started); one-off events with
    # venue and organizer, categories, tags; repeating events (none here)
    with django_assert_num_queries(5):
        response = client.get("/en/events/feed.rss")

    assert len(rss_titles(response)) == count


def test_news_feeds_list_published_articles_newest_first_never_drafts(client, frozen_now):
    ArticleFactory(title="Old", published_at=dt.datetime(2021, 1, 1, tzinfo=dt.UTC))
    ArticleFactory(title="New", published_at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC))
    ArticleFactory(title="Draft", is_published=False)
    ArticleFactory(title="Scheduled", published_at=dt.datetime(2021, 7, 1, tzinfo=dt.UTC))

    assert rss_titles(client.get("/en/news/feed.rss")) == ["New", "Old"]
    assert atom_titles(client.get("/en/news/feed.atom")) == ["New", "Old"]


@pytest.mark.parametrize("count", [1, 15])
def test_news_feed_query_count_does_not_grow_with_articles(client, django_assert_num_queries, count):
    category = CategoryFactory()
    for _ in range(count):
        ArticleFactory().categories.add(category)

    # articles, categories, tags, related events
    with django_assert_num_queries(4):
        response = client.get("/en/news/feed.atom")

    assert len(atom_titles(response)) == count


def test_every_page_advertises_the_feeds(client):
    html = client.get("/en/").content.decode()

    assert (
        '<link rel="alternate" type="application/rss+xml" title="Upcoming events (RSS)" '
        'href="/en/events/feed.rss">' in html
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Upcoming events (Atom)" '
        'href="/en/events/feed.atom">' in html
    )
    assert (
        '<link rel="alternate" type="application/rss+xml" title="News (RSS)" href="/en/news/feed.rss">'
        in html
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="News (Atom)" href="/en/news/feed.atom">'
        in html
    )
