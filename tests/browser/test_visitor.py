"""A visitor in a real browser, JavaScript on, following the site from the home page."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_the_conference_from_the_news_and_downloads_its_calendar(page, live_server, seed):
    page.goto(f"{live_server.url}/events/past/")
    page.get_by_role("link", name="21st Conference of the Alliance against Trafficking in Persons").click()

    facts = page.locator(".facts").first
    # A browser in New York sees the same all-day dates: they never shift.
    assert "June 14, 2021 – June 16, 2021 all-day" in facts.inner_text()
    assert page.locator("h1").inner_text() == "21st Conference of the Alliance against Trafficking in Persons"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    download = download_info.value
    assert download.suggested_filename == "21st-conference-alliance-against-trafficking-in-persons.ics"
    assert "DTSTART;VALUE=DATE:20210614" in Path(download.path()).read_text(encoding="utf-8")


def test_unknown_page_shows_the_friendly_404(page, live_server, db):
    response = page.goto(f"{live_server.url}/events/no-such-event/")

    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
