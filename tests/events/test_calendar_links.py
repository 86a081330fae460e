"""Google Calendar and Outlook "add to calendar" links: exact times, all-day handling, both Outlooks."""

from urllib.parse import parse_qs, urlsplit

import pytest

from events.calendar_files.links import (
    Appointment,
    google_subscribe_url,
    google_url,
    outlook_subscribe_url,
    outlook_url,
    webcal_url,
)
from events.models import Event

pytestmark = pytest.mark.django_db
BASE = "https://events.example.org"
ALLIANCE = "21st-conference-alliance-against-trafficking-in-persons"
HEARING = "congressional-hearing-role-of-technology-in-countering-trafficking"


def query(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_google_link_of_an_all_day_event_has_dates_with_an_exclusive_end(seed):
    event = Event.objects.get(slug=ALLIANCE)

    address, params = query(google_url(Appointment.for_event(event, base_url=BASE)))

    assert address == "https://calendar.google.com/calendar/render"
    assert params["action"] == "TEMPLATE"
    assert params["text"] == "21st Conference of the Alliance against Trafficking in Persons"
    assert params["dates"] == "20210614/20210617"
    assert params["ctz"] == "Europe/Vienna"
    assert params["location"] == "Hofburg, Vienna, Austria and online via Zoom (upon registration)"
    assert params["details"].endswith(f"{BASE}/en/events/{ALLIANCE}/")


def test_google_link_of_a_timed_event_has_utc_instants(seed):
    event = Event.objects.get(slug=HEARING)

    _, params = query(google_url(Appointment.for_event(event, base_url=BASE)))

    assert params["dates"] == "20200728T140000Z/20200728T150000Z"
    assert params["ctz"] == "America/New_York"


@pytest.mark.parametrize(
    ("account", "host"), [("live", "outlook.live.com"), ("office", "outlook.office.com")]
)
def test_outlook_link_of_an_all_day_event_is_all_day_dates(seed, account, host):
    event = Event.objects.get(slug=ALLIANCE)

    address, params = query(outlook_url(Appointment.for_event(event, base_url=BASE), account=account))

    assert address == f"https://{host}/calendar/deeplink/compose"
    assert params["path"] == "/calendar/action/compose"
    assert params["rru"] == "addevent"
    assert params["subject"] == "21st Conference of the Alliance against Trafficking in Persons"
    assert (params["startdt"], params["enddt"], params["allday"]) == ("2021-06-14", "2021-06-17", "true")


@pytest.mark.parametrize("account", ["live", "office"])
def test_outlook_link_of_a_timed_event_has_utc_instants(seed, account):
    event = Event.objects.get(slug=HEARING)

    _, params = query(outlook_url(Appointment.for_event(event, base_url=BASE), account=account))

    assert (params["startdt"], params["enddt"], params["allday"]) == (
        "2020-07-28T14:00:00Z",
        "2020-07-28T15:00:00Z",
        "false",
    )


def test_registration_deadline_links_are_at_the_deadline(seed):
    event = Event.objects.get(slug=ALLIANCE)
    appointment = Appointment.for_registration_deadline(event, base_url=BASE)

    _, google = query(google_url(appointment))
    _, outlook = query(outlook_url(appointment))

    assert google["dates"] == "20210610T150000Z/20210610T150000Z"
    assert (outlook["startdt"], outlook["allday"]) == ("2021-06-10T15:00:00Z", "false")
    assert (
        google["text"]
        == "Registration closes: 21st Conference of the Alliance against Trafficking in Persons"
    )


@pytest.mark.parametrize(
    ("address", "webcal"),
    [
        (
            "https://events.example.org/en/events/calendar.ics?category=x",
            "webcal://events.example.org/en/events/calendar.ics?category=x",
        ),
        ("http://localhost:8000/en/events/calendar.ics", "webcal://localhost:8000/en/events/calendar.ics"),
    ],
)
def test_webcal_url_swaps_the_scheme(address, webcal):
    assert webcal_url(address) == webcal


def test_subscribe_links_carry_the_feed():
    feed = "https://events.example.org/en/events/calendar.ics"

    _, google = query(google_subscribe_url(feed))
    address, outlook = query(outlook_subscribe_url(feed, name="Events", account="office"))

    assert google == {"cid": "webcal://events.example.org/en/events/calendar.ics"}
    assert address == "https://outlook.office.com/calendar/0/addfromweb"
    assert outlook == {"url": feed, "name": "Events"}


def test_event_page_offers_google_outlook_and_deadline_links(seed, client, frozen_now):
    html = client.get(f"/en/events/{ALLIANCE}/").content.decode()

    assert "Add to Google Calendar" in html
    assert 'href="https://outlook.live.com/calendar/deeplink/compose?' in html
    assert 'href="https://outlook.office.com/calendar/deeplink/compose?' in html
    assert f'href="/en/events/{ALLIANCE}/registration-deadline.ics"' in html
    assert f'href="/en/events/{ALLIANCE}/schedule/"' in html
