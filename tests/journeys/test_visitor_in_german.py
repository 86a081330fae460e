"""A visitor whose browser speaks German: the site answers in German from the first page, keeps
German through the calendar, an event, its calendar file and the search, and switches to Russian
and back to English on the same page, without JavaScript as with it."""

import icalendar
import pytest

from tests.journeys.test_visitor import coming_up  # noqa: F401 - the same forum ten days ahead

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_locale("de-DE"),
]
ALLIANCE = "21st Conference of the Alliance against Trafficking in Persons"
HEARING = "Congressional Hearing: The Role of Technology in Countering Trafficking in Persons"


def test_visitor_in_german(journey, coming_up):  # noqa: F811
    page = journey.page

    # The first visit, at the bare address: the browser's German.
    journey.go("/")
    assert page.url == f"{journey.base_url}/de/"
    journey.shot("home in german")
    assert page.locator("html").get_attribute("lang") == "de"
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text() == "Veranstaltungen und Neuigkeiten"
    card = main.locator("article", has=page.get_by_role("link", name="Forum on demand"))
    assert "Anmeldeschluss in 3 Tagen" in card.inner_text()
    assert "Wann:" in card.inner_text()
    assert journey.fits_the_width()

    # The calendar: German month names, the "Gehe zu" form, weeks from Monday.
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Kalender").click()
    page.get_by_label("Gehe zu").select_option(label="Juni")
    page.get_by_label("Jahr").fill("2021")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_url(f"{journey.base_url}/de/events/calendar/2021/06/")
    journey.shot("june 2021 in german")
    assert page.get_by_role("heading", level=1).inner_text() == "Kalender: Juni 2021"
    headings = page.locator("thead th abbr")
    assert headings.first.get_attribute("title") == "Montag"
    assert "Zeitzone Europe/Vienna (CEST)" in page.locator("caption").inner_text()
    assert journey.fits_the_width()

    # The month's file: the conference, its words in German, its links to the German pages.
    data = journey.download(page.get_by_role("link", name=".ics herunterladen"))
    vevents = icalendar.Calendar.from_ical(data).walk("VEVENT")
    conference = next(event for event in vevents if str(event["SUMMARY"]) == ALLIANCE)
    assert "Anmeldung (bis Donnerstag, 10. Juni 2021, 17:00 CEST)" in str(conference["DESCRIPTION"])
    assert "/de/events/21st-conference-alliance-against-trafficking-in-persons/" in str(conference["URL"])

    # The conference's page: dates in German, its sessions on a 24-hour clock.
    page.locator("a.cal-item", has_text=ALLIANCE).first.click()
    journey.shot("the conference in german")
    article = page.locator("article.event-detail")
    assert "Diese Veranstaltung ist vorbei." in article.inner_text()
    assert "14. Juni 2021 – 16. Juni 2021 ganztägig" in article.inner_text()
    assert "14. Juni 2021, 14:00 – 16. Juni 2021, 16:30 CEST" in article.inner_text()
    assert "Anmeldung geschlossen (Donnerstag, 10. Juni 2021, 17:00 CEST)." in article.inner_text()

    # Switching to Russian keeps the page; so does switching back to English.
    page.locator("details.language-switcher summary").click()
    page.get_by_role("button", name="Русский").click()
    page.wait_for_url(
        f"{journey.base_url}/ru/events/21st-conference-alliance-against-trafficking-in-persons/"
    )
    journey.shot("the conference in russian")
    assert "14 июня 2021 г." in page.locator("article.event-detail").inner_text()
    # The choice is remembered: the bare address now leads to Russian, whatever the browser asks.
    journey.go("/events/")
    assert page.url == f"{journey.base_url}/ru/events/"
    page.locator("details.language-switcher summary").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{journey.base_url}/en/events/")
    assert page.get_by_role("heading", level=1).inner_text() == "Upcoming events"


def test_the_switcher_works_without_javascript(browser, live_server, seed):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/events/past/?q=hearing")
        assert page.url == f"{live_server.url}/de/events/past/?q=hearing"
        page.locator("details.language-switcher summary").click()
        page.get_by_role("button", name="Français").click()
        assert page.url == f"{live_server.url}/fr/events/past/?q=hearing"
        assert page.get_by_role("heading", level=1).inner_text() == "Événements passés"
        assert page.get_by_role("link", name=HEARING).is_visible()
    finally:
        context.close()
