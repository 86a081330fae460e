"""A visitor browsing the calendar in headless Chromium: month grid, filters, local time, phone layout."""

import re

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEARING = "/en/events/congressional-hearing-role-of-technology-in-countering-trafficking/"
ALLIANCE = "/en/events/21st-conference-alliance-against-trafficking-in-persons/"


def test_visitor_walks_the_month_grid_forward_and_back(page, live_server, seed):
    page.goto(f"{live_server.url}/events/calendar/2021/06/")
    conference = page.locator("td", has=page.locator('time[datetime="2021-06-15"]'))
    assert "21st Conference of the Alliance" in conference.inner_text()

    page.get_by_role("link", name="July 2021").click()
    assert page.url.endswith("/en/events/calendar/2021/07/")
    assert page.locator("h1").inner_text() == "Calendar: July 2021"

    page.get_by_role("link", name="June 2021").click()
    page.get_by_role("link", name="May 2021").click()
    assert page.url.endswith("/en/events/calendar/2021/05/")
    assert page.locator("caption").inner_text().startswith("Events in May 2021")

    page.get_by_role("link", name="This month").click()
    today = timezone.localdate()
    assert page.url.endswith(f"/en/events/calendar/{today:%Y}/{today:%m}/")
    assert page.locator('td[aria-current="date"] time').get_attribute("datetime") == today.isoformat()


def test_visitor_opens_a_day_from_the_grid(page, live_server, seed):
    page.goto(f"{live_server.url}/events/calendar/2020/07/")
    page.locator("a.day-link", has=page.locator('time[datetime="2020-07-28"]')).click()

    assert page.url.endswith("/en/events/calendar/2020/07/28/")
    assert page.locator("h1").inner_text() == "Events on Tuesday, July 28, 2020"
    assert "July 28, 2020 @ 10:00 am – 11:00 am EDT" in page.locator(".agenda").inner_text()


def test_visitor_applies_and_clears_a_filter(page, live_server, seed):
    page.goto(f"{live_server.url}/events/past/")
    page.get_by_text("Filter events").click()  # the box is folded while no filter is active
    page.get_by_label("Attendance").select_option("online")
    page.get_by_role("button", name="Apply filters").click()

    assert "mode=online" in page.url
    results = page.locator("main").inner_text()
    assert "Congressional Hearing" in results
    assert "21st Conference" not in results
    assert page.locator(".active-filters li").first.inner_text().startswith("Attendance: online Clear")
    page.wait_for_url(re.compile(r"/en/events/past/\?mode=online$"))

    page.get_by_role("link", name="Clear filter Attendance: online").click()

    assert "mode=" not in page.url
    results = page.locator("main").inner_text()
    assert "Congressional Hearing" in results
    assert "21st Conference" in results
    assert page.locator(".active-filters").count() == 0


def test_visitor_switches_times_to_their_own_timezone_and_back(browser, live_server, seed):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(f"{live_server.url}{HEARING}")
    when = page.locator(".facts dd").first
    assert when.inner_text().startswith("July 28, 2020 @ 10:00 am – 11:00 am EDT")
    assert "July 28, 2020 @ 4:00 pm – 5:00 pm CEST (site time)" in when.inner_text()

    page.get_by_role("button", name="Show times in my timezone (Asia/Tokyo)").click()

    # One line, in the site's format, labelled as the visitor's: the site-time line would repeat it.
    assert when.inner_text() == "July 28, 2020 @ 11:00 pm – July 29, 2020 @ 12:00 am GMT+9 (your time)"
    button = page.get_by_role("button", name="Show times in each event's own timezone")
    assert button.get_attribute("aria-pressed") == "true"

    # The choice is remembered on the next page.
    page.goto(f"{live_server.url}/events/past/")
    assert (
        "July 28, 2020 @ 11:00 pm – July 29, 2020 @ 12:00 am GMT+9 (your time)"
        in page.locator("main").inner_text()
    )

    page.get_by_role("button", name="Show times in each event's own timezone").click()
    page.goto(f"{live_server.url}{HEARING}")

    assert when.inner_text().startswith("July 28, 2020 @ 10:00 am – 11:00 am EDT")
    context.close()


def test_the_switch_is_not_the_first_thing_on_a_page(browser, live_server, seed):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(f"{live_server.url}{HEARING}")
    # On an event page: right under its facts (when, where), not above the title.
    assert page.locator(".facts + .tz-switch").count() == 1
    page.goto(f"{live_server.url}/events/past/")
    # On a list: after the list.
    order = page.evaluate(
        "() => [...document.querySelectorAll('main h1, main .tz-switch, main .day-group, main article')]"
        ".map(e => e.className || e.tagName)"
    )
    assert order[0] == "H1"
    assert order[-1] == "tz-switch"
    context.close()


def test_all_day_dates_do_not_shift_in_local_time(browser, live_server, seed):
    context = browser.new_context(timezone_id="Pacific/Honolulu")
    page = context.new_page()
    page.goto(f"{live_server.url}{ALLIANCE}")

    page.get_by_role("button", name=re.compile("Show times in my timezone")).click()

    assert page.locator(".facts dd").first.inner_text() == "June 14, 2021 – June 16, 2021 all-day"
    # The registration deadline is an instant, so it does move: 17:00 CEST is 05:00 in Honolulu.
    assert "Thursday 10 June 2021, 05:00 HST (your time)" in page.locator(".registration").inner_text()
    context.close()


def test_without_javascript_the_page_shows_event_times_and_no_switch(browser, live_server, seed):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{HEARING}")

    assert page.locator(".facts dd").first.inner_text().startswith("July 28, 2020 @ 10:00 am – 11:00 am EDT")
    assert page.get_by_role("button", name=re.compile("timezone")).count() == 0
    context.close()


@pytest.mark.parametrize(
    "path",
    ["/en/", "/en/events/calendar/2021/06/", "/en/events/past/", ALLIANCE, "/en/search/?q=trafficking"],
)
def test_phone_layout_390px_has_no_sideways_scrolling(browser, live_server, seed, path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("h1").bounding_box()["width"] <= 390 - 2 * 16
    context.close()


def test_phone_month_grid_lists_only_days_with_events_by_full_date(browser, live_server, seed):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/events/calendar/2021/06/")

    visible_days = [text.strip() for text in page.locator("td:visible .day-link").all_inner_texts()]

    assert visible_days == ["Monday, June 14, 2021", "Tuesday, June 15, 2021", "Wednesday, June 16, 2021"]
    context.close()


def test_printed_event_page_keeps_the_facts_and_drops_navigation(page, live_server, seed):
    page.goto(f"{live_server.url}{ALLIANCE}")
    page.emulate_media(media="print")

    assert page.locator("h1").is_visible()
    assert page.locator(".facts").first.is_visible()
    assert not page.locator('nav[aria-label="Main"]').is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.get_by_role("link", name="Download .ics").is_visible()
    assert not page.get_by_role("button", name=re.compile("timezone")).is_visible()


def test_phone_filters_are_folded_until_asked_for(browser, live_server, seed):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/events/past/")
    assert not page.get_by_label("Attendance").is_visible()

    page.get_by_text("Filter events", exact=True).click()

    assert page.get_by_label("Attendance").is_visible()
    context.close()


def test_phone_filters_stay_open_while_a_filter_is_active(browser, live_server, seed):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/events/past/?mode=online")

    assert page.get_by_text("Filter events (1 active)").is_visible()
    assert page.get_by_label("Attendance").input_value() == "online"
    context.close()
