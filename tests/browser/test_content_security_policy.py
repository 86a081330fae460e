"""The Content-Security-Policy holds on every kind of page, the admin's included: Chromium reports
no violation, and what the pages run under it still works (the rich-text editor's import map, the
timezone list, the venue's map)."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.models import Article
from events.models import Event, Venue
from tests.chromium import pick_timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


@pytest.fixture
def watched(browser):
    """A page whose CSP violations (the DOM's events and Chromium's console) are collected."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.console_refusals = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.console_refusals.append(message.text)
        ),
    )
    yield page
    context.close()


def visit(page, url):
    """Open a page and wait until it has settled; (the CSP header, the violations it caused)."""
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__violations") + page.console_refusals
    page.console_refusals.clear()
    return response.headers.get("content-security-policy", ""), violations


def test_no_page_violates_the_policy_and_the_admin_still_works(watched, live_server):
    call_command("load_seed", verbosity=0)
    User.objects.create_superuser("admin", "admin@example.org", "a long admin password")
    conference = Event.objects.get(title__startswith="21st")
    venue = Venue.objects.get(name="Hofburg")
    Venue.objects.filter(pk=venue.pk).update(latitude=48.2066, longitude=16.3652)  # to show the map
    article = Article.objects.first()
    public = [
        "/en/",
        "/en/events/",
        "/en/events/past/",
        "/en/events/calendar/2021/06/",
        conference.get_absolute_url(),
        "/en/venues/",
        venue.get_absolute_url(),
        "/en/news/",
        article.get_absolute_url(),
        "/en/search/?q=trafficking",
        "/en/events/subscribe/",
        "/no-such-page/",
    ]
    for path in public:
        header, violations = visit(watched, live_server.url + path)
        assert "script-src 'self'" in header, path
        assert "'nonce-" not in header, path  # nothing inline: cached pages can be shared
        assert violations == [], path
    visit(watched, live_server.url + venue.get_absolute_url())
    assert watched.locator("iframe.map-frame").count() == 1  # the map, framed from OpenStreetMap

    visit(watched, live_server.url + "/admin/")
    watched.get_by_label("Username").fill("admin")
    watched.get_by_label("Password").fill("a long admin password")
    watched.get_by_role("button", name="Log in").click()
    admin = [
        "/admin/",
        "/admin/events/event/",
        f"/admin/events/event/{conference.pk}/change/",
        "/admin/events/venue/",
        f"/admin/events/venue/{venue.pk}/change/",
        "/admin/articles/article/add/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/events/event/import/",
        "/admin/events/event/add/",
    ]
    for path in admin:
        header, violations = visit(watched, live_server.url + path)
        assert violations == [], (path, violations)

    # The last page, the event form: its inline import map ran with the response's nonce, so the
    # rich-text editor is there and takes typing; the timezone list opens and picks.
    assert "'nonce-" in header
    editor = watched.locator(".field-description [contenteditable=true]")
    editor.click()
    editor.press_sequentially("Typed under the policy")
    assert "Typed under the policy" in editor.inner_text()
    pick_timezone(watched, "Asia/Tokyo")
    assert watched.evaluate("window.__violations") + watched.console_refusals == []
