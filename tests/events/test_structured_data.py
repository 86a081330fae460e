"""schema.org JSON-LD and Open Graph tags on event and article pages."""

import datetime as dt
import json
import re
import zoneinfo

import pytest

from tests.factories import ArticleFactory, EventFactory, OrganizerFactory, VenueFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
ALLIANCE = "/en/events/21st-conference-alliance-against-trafficking-in-persons/"
HEARING = "/en/events/congressional-hearing-role-of-technology-in-countering-trafficking/"
pytestmark = pytest.mark.django_db


def json_ld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_all_day_conference_gives_plain_dates_place_and_virtual_location_and_free_offer(
    seed, client, frozen_now
):
    data = json_ld(client.get(ALLIANCE))

    assert data == {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "21st Conference of the Alliance against Trafficking in Persons",
        "url": f"http://testserver{ALLIANCE}",
        "startDate": "2021-06-14",
        "endDate": "2021-06-16",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode",
        "description": (
            "The 21st Conference of the Alliance against Trafficking in Persons will put a spotlight on "
            "addressing demand as a means of prevention – and specifically on discouraging the demand that "
            "fosters trafficking for the purposes of labour and sexual exploitation as a core, long-term "
            "strategy towards ending THB."
        ),
        "location": [
            {
                "@type": "Place",
                "name": "Hofburg",
                "address": {"@type": "PostalAddress", "addressLocality": "Vienna", "addressCountry": "AT"},
            },
            {"@type": "VirtualLocation", "url": f"http://testserver{ALLIANCE}", "name": "Zoom"},
        ],
        "organizer": {
            "@type": "Organization",
            "name": (
                "OSCE Office of the Special Representative and Co-ordinator for Combating Trafficking in "
                "Human Beings"
            ),
            "url": "http://testserver/en/organizers/osce-cthb/",  # no website of its own: its page here
        },
        "offers": {
            "@type": "Offer",
            "price": 0,
            "priceCurrency": "EUR",  # settings.DEFAULT_CURRENCY: the page says "Free", in no currency
            "url": "https://events.osce.org/2021-21st-alliance-against-trafficking/registration",
            "availability": "https://schema.org/InStock",  # 1 June 2021: registration is open
            # No validFrom: the seed's rows were entered after the conference took place.
            "validThrough": "2021-06-10T17:00:00+02:00",  # the registration deadline
        },
    }


def test_timed_online_hearing_gives_instants_with_the_new_york_offset(seed, client):
    data = json_ld(client.get(HEARING))

    assert data["startDate"] == "2020-07-28T10:00:00-04:00"
    assert data["endDate"] == "2020-07-28T11:00:00-04:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {
        "@type": "VirtualLocation",
        "url": f"http://testserver{HEARING}",
        "name": "videoconferencing",
    }
    assert "offers" not in data
    assert "organizer" not in data


def test_paid_cancelled_event_with_coordinates(client):
    event = EventFactory(
        title="Gala",
        slug="gala",
        status="cancelled",
        cost_amount="50",
        cost_currency="EUR",
        venue=VenueFactory(name="Rathaus", address="Platz 1", latitude="48.210000", longitude="16.357000"),
        organizer=OrganizerFactory(name="City", url="https://city.example/"),
        start=dt.datetime(2031, 3, 4, 19, tzinfo=VIENNA),
    )

    data = json_ld(client.get(event.get_absolute_url()))

    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["startDate"] == "2031-03-04T19:00:00+01:00"
    assert data["offers"] == {
        "@type": "Offer",
        "price": "50.00",
        "priceCurrency": "EUR",
        "url": "http://testserver/en/events/gala/",
        "availability": "https://schema.org/SoldOut",  # cancelled: nobody can register
        "validFrom": event.created_at.astimezone(VIENNA).isoformat(),
        "validThrough": "2031-03-04T20:00:00+01:00",  # no deadline: until the event ends
    }
    assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 48.21, "longitude": 16.357}
    assert data["location"]["address"]["streetAddress"] == "Platz 1"
    assert data["organizer"] == {"@type": "Organization", "name": "City", "url": "https://city.example/"}


def test_json_ld_cannot_be_broken_out_of_by_a_title(client):
    event = EventFactory(title="</script><script>alert(1)</script> & more", slug="nasty")

    html = client.get(event.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in html
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E \\u0026 more" in html
    assert (
        json_ld(client.get(event.get_absolute_url()))["name"] == "</script><script>alert(1)</script> & more"
    )


def test_article_page_gives_a_news_article(client):
    article = ArticleFactory(title="Report out", slug="report-out", excerpt="A new report.")

    data = json_ld(client.get(article.get_absolute_url()))

    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Report out",
        "url": "http://testserver/en/news/report-out/",
        "mainEntityOfPage": "http://testserver/en/news/report-out/",
        "dateModified": article.updated_at.isoformat(),
        "datePublished": "2020-01-01T09:00:00+00:00",
        "description": "A new report.",
    }


def test_event_page_has_open_graph_tags(seed, client):
    html = client.get(HEARING).content.decode()

    assert (
        '<meta property="og:title" content="Congressional Hearing: The Role of Technology in Countering '
        'Trafficking in Persons">' in html
    )
    assert f'<meta property="og:url" content="http://testserver{HEARING}">' in html
    assert '<meta property="og:type" content="website">' in html


def test_article_page_has_open_graph_article_tags(client):
    article = ArticleFactory(title="Report out", slug="report-out", excerpt="A new report.")

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="A new report.">' in html
    assert '<meta property="article:published_time" content="2020-01-01T10:00:00+01:00">' in html


# Google's Event rich results: required and recommended properties
# (https://developers.google.com/search/docs/appearance/structured-data/event).
GOOGLE_REQUIRED = {"name", "startDate", "location"}
GOOGLE_RECOMMENDED = {"description", "endDate", "eventStatus", "eventAttendanceMode", "offers", "organizer"}
GOOGLE_OFFER = {"price", "priceCurrency", "availability", "validFrom", "validThrough", "url"}


def test_a_fully_described_event_carries_what_google_lists(client):
    event = EventFactory(
        title="Forum",
        slug="forum",
        summary="A forum.",
        cost_amount="10",
        cost_currency="EUR",
        registration_url="https://example.org/register",
        registration_deadline=dt.datetime(2031, 3, 1, 12, tzinfo=VIENNA),
        venue=VenueFactory(name="Hall", address="Ring 1", city="Vienna", country="AT"),
        organizer=OrganizerFactory(name="Network", url="https://network.example/"),
        start=dt.datetime(2031, 3, 4, 19, tzinfo=VIENNA),
    )

    data = json_ld(client.get(event.get_absolute_url()))

    assert data.keys() >= GOOGLE_REQUIRED
    assert data.keys() >= GOOGLE_RECOMMENDED
    assert data["offers"].keys() >= GOOGLE_OFFER
    assert data["offers"]["validThrough"] == "2031-03-01T12:00:00+01:00"
    assert data["organizer"]["url"] == "https://network.example/"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Ring 1",
        "addressLocality": "Vienna",
        "addressCountry": "AT",
    }
