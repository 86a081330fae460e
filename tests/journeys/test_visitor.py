"""A first-time visitor: the home page, the calendar, an event, the news, places, subscribing."""

import datetime as dt
import json
import re
import zoneinfo
from decimal import Decimal

import icalendar
import pytest
from django.utils import timezone

from tests.factories import EventFactory, VenueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
ALLIANCE = "21st Conference of the Alliance against Trafficking in Persons"
HEARING = "Congressional Hearing: The Role of Technology in Countering Trafficking in Persons"


@pytest.fixture
def coming_up(seed):
    """What the seed (2020 and 2021) cannot show today: a forum whose registration closes in 3 days,
    at a venue with coordinates."""
    now = timezone.now().astimezone(VIENNA)
    start = (now + dt.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    venue = VenueFactory(
        name="Palais Ferstel",
        slug="palais-ferstel",
        city="Vienna",
        country="AT",
        latitude=Decimal("48.211000"),
        longitude=Decimal("16.366000"),
    )
    return EventFactory(
        title="Forum on demand",
        slug="forum-on-demand",
        start=start,
        end=start + dt.timedelta(hours=8),
        venue=venue,
        registration_url="https://example.org/register",
        registration_deadline=now + dt.timedelta(days=3, hours=1),
    )


def calendar_of(data):
    return icalendar.Calendar.from_ical(data)


def summaries(data):
    return sorted(str(event["SUMMARY"]) for event in calendar_of(data).walk("VEVENT"))


def test_visitor(journey, coming_up):
    page = journey.page

    # The home page: what is coming first, with where registration stands; no switch in the way.
    journey.go("/en/")
    journey.shot("home")
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text() == "Events and news"
    card = main.locator("article", has=page.get_by_role("link", name="Forum on demand"))
    assert "Registration closes in 3 days" in card.inner_text()
    first_control = page.locator("main button, main .tz-switch").first
    assert first_control.count() == 0 or first_control.evaluate(
        "e => e.getBoundingClientRect().top > document.querySelector('main h2').getBoundingClientRect().top"
    )

    # The calendar: months by name, a "Go to" form, the filters folded, the conference one bar.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    journey.shot("calendar this month")
    assert not page.locator("details.filters-box").evaluate("box => box.open")
    page.get_by_label("Go to").select_option(label="June")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/en/events/calendar/2021/06/$"))
    journey.shot("june 2021")
    assert page.get_by_role("link", name="May 2021").is_visible()
    assert page.get_by_role("link", name="July 2021").is_visible()
    caption = page.locator("caption").inner_text()
    assert "Europe/Vienna timezone (CEST)" in caption
    assert page.locator("td").filter(has_text="CEST").count() == 0  # the zone is not in every cell
    if journey.wide:
        bar = page.locator("a.cal-item.joins-next:not(.joins-prev)", has_text=ALLIANCE)
        assert bar.count() == 1  # one bar with the title, across 14–16 June
        assert page.locator("a.cal-item.joins-prev").count() == 2

    # Its "Download .ics" gives that month's events, not an empty file.
    data = journey.download(page.get_by_role("link", name="Download .ics"))
    assert summaries(data) == [ALLIANCE, f"{ALLIANCE}: Conference sessions"]

    # The conference: formatted text, "it has ended", no reminder of a deadline long gone.
    page.locator("a.cal-item", has_text=ALLIANCE).first.click()
    journey.shot("the conference")
    article = page.locator("article.event-detail")
    assert "This event has ended." in article.inner_text()
    assert article.get_by_role("heading", name="The Alliance", exact=True).is_visible()
    assert article.get_by_role("heading", name="The Format", exact=True).is_visible()
    assert "<p>" not in article.inner_text()
    assert "Registration closed" in article.inner_text()
    assert page.get_by_text("Registration deadline as a reminder").count() == 0
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["offers"]["validThrough"] == "2021-06-10T17:00:00+02:00"
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"
    assert data["organizer"]["url"].endswith("/en/organizers/osce-cthb/")

    # The hearing in the visitor's own timezone (Tokyo): one line, labelled, remembered.
    journey.go("/en/events/past/")
    page.get_by_role("link", name=HEARING).click()
    when = page.locator(".facts dd").first
    assert "July 28, 2020 @ 10:00 am – 11:00 am EDT" in when.inner_text()
    page.get_by_role("button", name="Show times in my timezone (Asia/Tokyo)").click()
    journey.shot("the hearing in my time")
    assert (
        when.inner_text().strip() == "July 28, 2020 @ 11:00 pm – July 29, 2020 @ 12:00 am GMT+9 (your time)"
    )
    assert "(site time)" not in when.inner_text()
    # The event and the news about it link each other.
    page.get_by_role("link", name=HEARING).last.click()
    journey.shot("the hearing's article")
    assert "This is only the opening of the article" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="The event this article is about").is_visible()
    page.locator("main").get_by_role("link", name=HEARING).click()
    back = page.get_by_role("button", name="Show times in each event's own timezone")
    back.wait_for()  # the switch is the script's, which runs once the page has loaded
    assert "(your time)" in page.locator(".facts dd").first.inner_text()  # still in my timezone
    back.click()

    # Places: the venues page, and a venue with coordinates shows a small map.
    page.get_by_role("contentinfo").get_by_role("link", name="Venues").click()
    journey.shot("venues")
    assert "Palais Ferstel, Vienna · 1 upcoming event" in page.locator("main").inner_text()
    page.get_by_role("link", name="Palais Ferstel").click()
    journey.shot("a venue")
    assert page.locator("iframe.map-frame").count() == 1
    assert page.get_by_role("link", name="Show Palais Ferstel on OpenStreetMap").is_visible()
    page.get_by_role("contentinfo").get_by_role("link", name="Organizers").click()
    assert page.get_by_role("link", name=re.compile("OSCE Office")).is_visible()

    # Subscribing, in a visitor's words; only the categories and tags that have events.
    page.get_by_role("contentinfo").get_by_role("link", name="Subscribe to the calendar").click()
    journey.shot("subscribe")
    text = page.locator("main").inner_text()
    assert "Subscribing puts these events into your own calendar app" in text
    assert "A subscription holds the events of the past year and everything still to come" in text
    assert "Videos" not in text  # a category with no event in the subscription's window

    # A page number past anything real is a friendly 404.
    response = page.goto(journey.base_url + "/en/events/?page=99999999999999999999")
    journey.shot("a page that does not exist")
    assert response.status == 404
    assert "Page not found" in page.locator("main").inner_text()
    assert journey.fits_the_width()
