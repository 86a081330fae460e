"""Site-wide pages: search over events and articles, sitemap.xml, robots.txt."""

import datetime as dt
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client

from events.models import Event
from events.sitemaps import EventSitemap
from tests.factories import ArticleFactory, CategoryFactory, EventFactory, OrganizerFactory, VenueFactory
from tests.pages import text_of, xml_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
pytestmark = pytest.mark.django_db


def test_search_finds_events_and_articles(client):
    EventFactory(title="Supply chain forum", start=dt.datetime(2021, 6, 2, 10, tzinfo=VIENNA))
    EventFactory(title="Unrelated meeting")
    ArticleFactory(title="Still in chains", body="<p>Modern slavery in supply chains.</p>")
    ArticleFactory(title="Other news")

    text = text_of(client.get("/en/search/?q=supply+chain"))

    assert "Events (1) Supply chain forum When:" in text
    assert "News (1) Still in chains" in text
    assert "Unrelated meeting" not in text
    assert "Other news" not in text


@pytest.mark.parametrize("matching", [20, 21])
def test_search_shows_the_best_twenty_of_each_and_links_to_the_lists_for_more(client, matching):
    for day in range(matching):
        EventFactory(
            title=f"Forum {day}", start=dt.datetime(2031, 3, 1, 10, tzinfo=VIENNA) + dt.timedelta(days=day)
        )
        ArticleFactory(title=f"Forum news {day}")

    text = text_of(client.get("/en/search/?q=forum"))

    if matching == 20:
        assert "Events (20) Forum 19 When:" in text
        assert "News (20)" in text
        assert "All matching events" not in text
    else:
        assert "Events (the best 20 of more) Forum 20 When:" in text
        assert "Forum 0 When" not in text
        assert "All matching events, a page at a time: upcoming · past" in text
        assert "News (the best 20 of more)" in text
        assert "More news matches these words" in text


def test_search_puts_events_with_every_word_in_the_title_first_then_the_latest(client):
    def on(day, title, **fields):
        EventFactory(title=title, start=dt.datetime(2031, 3, day, 10, tzinfo=VIENNA), **fields)

    on(1, "Labour inspection workshop")
    on(2, "Annual forum", summary="On labour inspection in supply chains.")
    on(3, "Inspection of the labour market")
    on(4, "Webinar", description="<p>Labour inspectors and inspection reports.</p>")
    on(5, "Labour rights day")  # one word only: no match

    text = text_of(client.get("/en/search/?q=labour+inspection"))

    titles = ["Inspection of the labour market", "Labour inspection workshop", "Webinar", "Annual forum"]
    positions = [text.index(f"{title} When:") for title in titles]
    assert positions == sorted(positions)
    assert "Labour rights day" not in text


def test_search_puts_articles_with_every_word_in_the_title_first_then_the_latest(client):
    ArticleFactory(
        title="Seasonal work",
        excerpt="Labour inspection.",
        published_at=dt.datetime(2021, 3, 3, tzinfo=VIENNA),
    )
    ArticleFactory(title="Labour inspection in 2030", published_at=dt.datetime(2021, 3, 1, tzinfo=VIENNA))
    ArticleFactory(title="Inspection and labour", published_at=dt.datetime(2021, 3, 2, tzinfo=VIENNA))

    text = text_of(client.get("/en/search/?q=labour+inspection"))

    titles = ["Inspection and labour", "Labour inspection in 2030", "Seasonal work"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)


@pytest.mark.parametrize("probed", [3, 100], ids=["many matches: walked to", "few matches: sorted"])
def test_the_best_matches_are_the_same_however_they_are_found(probed, monkeypatch):
    # best_matches probes how many events match and then either sorts the few or walks the start
    # index to the latest of the many; both ways give the ranking of every match scored at once.
    monkeypatch.setattr(Event.objects.none().__class__, "MATCHES_PROBED", probed)
    for day in range(1, 13):
        title = "Forum on data" if day % 3 == 0 else "Workshop"
        EventFactory(
            title=title,
            slug=f"event-{day}",
            summary="" if day % 3 == 0 else "A data forum.",
            start=dt.datetime(2031, 3, day, 10, tzinfo=VIENNA),
        )

    found = Event.objects.published().best_matches("forum data", 7)

    everything = sorted(
        Event.objects.published().search("forum data"),
        key=lambda event: (
            "forum" in event.title.lower() and "data" in event.title.lower(),
            event.start,
            event.pk,
        ),
        reverse=True,
    )
    assert [event.pk for event in found] == [event.pk for event in everything[:7]]
    assert [event.title for event in found][:4] == ["Forum on data"] * 4


def test_search_with_an_invalid_filter_still_searches_the_words(client):
    EventFactory(title="Supply chain forum", start=dt.datetime(2031, 3, 2, 10, tzinfo=VIENNA))
    EventFactory(title="Unrelated meeting", start=dt.datetime(2031, 3, 3, 10, tzinfo=VIENNA))

    text = text_of(client.get("/en/search/?q=forum&from=not-a-date"))

    assert "Supply chain forum When:" in text
    assert "Unrelated meeting" not in text
    assert "This filter was ignored." in text


def test_search_links_to_the_event_lists_with_its_words(client):
    for day in range(21):
        EventFactory(
            title=f"Forum {day}", start=dt.datetime(2031, 3, 1, 10, tzinfo=VIENNA) + dt.timedelta(days=day)
        )

    html = client.get("/en/search/?q=forum").content.decode()

    assert '<a href="/en/events/?q=forum">upcoming</a>' in html
    assert '<a href="/en/events/past/?q=forum">past</a>' in html


def test_search_never_shows_drafts(client):
    EventFactory(title="Hidden forum", is_published=False)
    ArticleFactory(title="Hidden forum notes", is_published=False)

    text = text_of(client.get("/en/search/?q=hidden"))

    assert "Events (0) No events match. News (0) No news matches." in text


def test_search_page_without_a_query_shows_only_the_form(client):
    text = text_of(client.get("/en/search/"))

    assert "Search Search events and news Search" in text
    assert "Events (" not in text


def test_seed_search_finds_the_hearing_event_and_its_article(seed, client):
    text = text_of(client.get("/en/search/?q=congressional+hearing"))

    assert "Events (1) Congressional Hearing: The Role of Technology" in text
    assert "News (1) Congressional Hearing: The Role of Technology" in text


@pytest.mark.parametrize("count", [1, 15])
def test_search_query_count_does_not_grow_with_results(client, django_assert_num_queries, count):
    category = CategoryFactory()
    for index in range(count):
        EventFactory(title=f"Forum {index}").categories.add(category)
        ArticleFactory(title=f"Forum news {index}").categories.add(category)

    # venues matching the words; events matching, the best of them with venue and organizer,
    # categories, tags; articles, categories, tags, related events
    with django_assert_num_queries(9):
        response = client.get("/en/search/?q=forum")

    assert text_of(response).count("Read more") == count
    assert text_of(response).count("When:") == count


def sitemap_locations(client):
    """Every address of the sitemap: its index, then each page the index names."""
    index = xml_of(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations = []
    for page in index.iter(f"{SITEMAP}loc"):
        response = client.get(page.text.removeprefix("http://testserver"))
        assert response.status_code == 200
        locations += [loc.text for loc in xml_of(response).iter(f"{SITEMAP}loc")]
    return locations


def test_sitemap_lists_published_pages_and_never_drafts(client):
    hall, osce = VenueFactory(slug="hall"), OrganizerFactory(slug="osce")
    EventFactory(slug="open-day", venue=hall, organizer=osce)
    EventFactory(slug="secret-day", is_published=False, venue=VenueFactory(slug="secret-hall"))
    ArticleFactory(slug="report")
    ArticleFactory(slug="draft-report", is_published=False)

    locations = sitemap_locations(client)

    english = [
        "http://testserver/en/events/",
        "http://testserver/en/events/past/",
        "http://testserver/en/events/open-day/",
        "http://testserver/en/venues/hall/",
        "http://testserver/en/organizers/osce/",
        "http://testserver/en/news/report/",
    ]
    assert [location for location in locations if "/en/" in location] == english
    # Each in every language, one after the other (tests/test_languages.py: their alternates).
    assert locations == [
        location.replace("/en/", f"/{code}/") for location in english for code, _ in settings.LANGUAGES
    ]


def test_sitemap_holds_every_event_however_many_in_pages_the_index_names(client, monkeypatch):
    monkeypatch.setattr(EventSitemap, "limit", 2 * len(settings.LANGUAGES))  # two events a page
    events = [EventFactory(slug=f"day-{number}") for number in range(5)]

    index = [loc.text for loc in xml_of(client.get("/sitemap.xml")).iter(f"{SITEMAP}loc")]
    locations = sitemap_locations(client)

    assert [page for page in index if "sitemap-events" in page] == [
        "http://testserver/sitemap-events.xml",
        "http://testserver/sitemap-events.xml?p=2",
        "http://testserver/sitemap-events.xml?p=3",
    ]
    assert sorted(location for location in locations if "/en/events/day-" in location) == sorted(
        f"http://testserver{event.get_absolute_url()}" for event in events
    )
    assert client.get("/sitemap-events.xml?p=4").status_code == 404


def test_robots_txt_allows_the_site_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert (
        response.content.decode()
        == "User-agent: *\nDisallow: /admin/\n\nSitemap: http://testserver/sitemap.xml\n"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/events/",
        "/en/events/past/",
        "/en/events/calendar/2021/06/",
        "/en/events/calendar/2021/06/14/",
        "/en/events/calendar/2021/week/24/",
        "/en/events/21st-conference-alliance-against-trafficking-in-persons/",
        "/en/news/",
        "/en/news/still-in-chains/",
        "/en/search/?q=trafficking",
        "/en/venues/hofburg-vienna/",
        "/en/organizers/osce-cthb/",
        "/en/categories/events/",
    ],
)
def test_page_has_one_h1_a_skip_link_and_landmarks(seed, client, url):
    html = client.get(url).content.decode()

    assert html.count("<h1") == 1
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<header class="site-header">' in html
    assert '<nav aria-label="Main">' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<footer class="site-footer">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert "<script>" not in html
    assert " style=" not in html
    assert " onclick=" not in html


def make_events_and_articles(count):
    category = CategoryFactory()
    for index in range(count):
        event = EventFactory(
            venue=VenueFactory(),
            organizer=OrganizerFactory(),
            start=dt.datetime(2031, 3, 4 + index, tzinfo=VIENNA),
        )
        event.categories.add(category)
        ArticleFactory().categories.add(category)


@pytest.mark.parametrize("count", [1, 12])
@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # the longest event, upcoming events, their categories and tags; series (none here);
        # articles, categories, tags, related events
        ("/en/", 9),
        # count, articles, categories, tags, related events
        ("/en/news/", 5),
        # the index: a count per section (events, venues, organizers, articles); the dates of
        # repeating events: the series (none here)
        ("/sitemap.xml", 5),
        # a page of the events: the count, the rows
        ("/sitemap-events.xml", 2),
        ("/robots.txt", 0),
    ],
)
def test_site_page_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, url, queries, count
):
    make_events_and_articles(count)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("related", [1, 10])
def test_article_page_query_count_does_not_grow_with_related_events(
    client, django_assert_num_queries, related
):
    article = ArticleFactory(slug="report")
    for index in range(related):
        article.related_events.add(EventFactory(start=dt.datetime(2031, 3, 4 + index, tzinfo=VIENNA)))

    # article, categories, tags, related events
    with django_assert_num_queries(4):
        response = client.get("/en/news/report/")

    assert text_of(response).count(f"The event{'s' if related > 1 else ''} this article is about") == 1


@pytest.mark.parametrize("path", ["/en/", "/en/events/", "/no-such-page/"])
def test_request_for_a_host_the_site_does_not_serve_gets_the_bad_request_page(path):
    visitor = Client(raise_request_exception=False)

    response = visitor.get(path, headers={"host": "attacker.example"})

    assert response.status_code == 400
    assert "Bad request" in text_of(response)
