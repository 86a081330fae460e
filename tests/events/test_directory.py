"""/en/venues/ and /organizers/: every place and organizer, with what is coming there; a venue with
coordinates shows a small map (a plain link without JavaScript)."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from tests.factories import EventFactory, OrganizerFactory, VenueFactory
from tests.pages import text_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
pytestmark = pytest.mark.django_db


def test_the_venues_page_lists_every_venue_by_name_with_its_upcoming_events(client):
    hofburg = VenueFactory(name="Hofburg", slug="hofburg", city="Vienna")
    VenueFactory(name="Aula", slug="aula", city="Geneva")
    EventFactory(venue=hofburg, start=dt.datetime(2099, 1, 1, 10, tzinfo=VIENNA))
    EventFactory(venue=hofburg, start=dt.datetime(2099, 2, 1, 10, tzinfo=VIENNA))
    EventFactory(venue=hofburg, start=dt.datetime(2001, 2, 1, 10, tzinfo=VIENNA))  # over
    EventFactory(venue=hofburg, start=dt.datetime(2099, 3, 1, 10, tzinfo=VIENNA), is_published=False)

    response = client.get("/en/venues/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Aula, Geneva · no upcoming events" in text
    assert "Hofburg, Vienna · 2 upcoming events" in text
    assert text.index("Aula") < text.index("Hofburg")
    assert 'href="/en/venues/hofburg/"' in response.content.decode()


def test_the_organizers_page_lists_every_organizer(client):
    osce = OrganizerFactory(name="OSCE", slug="osce")
    EventFactory(organizer=osce, start=dt.datetime(2099, 1, 1, 10, tzinfo=VIENNA))

    text = text_of(client.get("/en/organizers/"))

    assert "OSCE · 1 upcoming event" in text


def test_the_directory_pages_are_linked_from_every_page(client):
    html = client.get("/en/").content.decode()
    assert 'href="/en/venues/"' in html
    assert 'href="/en/organizers/"' in html


def test_a_venue_with_coordinates_offers_a_map_and_a_link(client):
    VenueFactory(
        name="Hofburg", slug="hofburg", latitude=Decimal("48.206500"), longitude=Decimal("16.365500")
    )

    html = client.get("/en/venues/hofburg/").content.decode()

    assert "js/venue-map" in html
    assert 'href="https://www.openstreetmap.org/?mlat=48.206500&amp;mlon=16.365500' in html
    assert (
        'data-map-embed="https://www.openstreetmap.org/export/embed.html?bbox=16.361500%2C48.202500' in html
    )


def test_a_venue_without_coordinates_loads_no_map(client):
    VenueFactory(name="Somewhere", slug="somewhere", address="Main Street 1")
    html = client.get("/en/venues/somewhere/").content.decode()
    assert "venue-map.js" not in html
    assert "data-map-embed" not in html
