"""axe-core finds no WCAG 2.2 A/AA violations on the main pages, wide and phone-sized."""

import pytest

from tests.tools import AXE_SCRIPT, require

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

PAGES = {
    "home": "/en/",
    "calendar": "/en/events/calendar/2021/06/",
    "calendar day": "/en/events/calendar/2021/06/14/",
    "calendar week": "/en/events/calendar/2021/week/24/",
    "list": "/en/events/past/",
    "filtered list": "/en/events/past/?category=nope&mode=online",
    "event": "/en/events/21st-conference-alliance-against-trafficking-in-persons/",
    "article": "/en/news/congressional-hearing-role-of-technology-in-countering-trafficking/",
    "search": "/en/search/?q=trafficking",
    "venue": "/en/venues/hofburg-vienna/",
    "venues": "/en/venues/",
    "subscribe": "/en/events/subscribe/",
}


def axe_violations(page):
    # Evaluated by the browser's devtools protocol, as the tester's own script: an added <script>
    # tag would be an inline script, which the site's Content-Security-Policy rightly refuses.
    page.evaluate(AXE_SCRIPT.read_text() + "\n;0")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_wcag_violations(browser, live_server, seed, name, width):
    require(AXE_SCRIPT, "axe-core (npm package axe-core)")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}{PAGES[name]}")

    assert axe_violations(page) == []
    context.close()


def test_event_page_in_local_time_has_no_wcag_violations(browser, live_server, seed):
    require(AXE_SCRIPT, "axe-core (npm package axe-core)")
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.goto(f"{live_server.url}/events/congressional-hearing-role-of-technology-in-countering-trafficking/")
    page.get_by_role("button", name="Show times in my timezone (Asia/Tokyo)").click()

    assert axe_violations(page) == []
    context.close()
