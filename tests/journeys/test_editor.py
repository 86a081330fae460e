"""An editor adds an event in the admin: formatted text, a picked timezone, only the fields that
apply, an image, every error at once, "Save and preview", then the change list."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from events.models import Event
from tests.journeys.conftest import pick_timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def signed_in(journey, seed, editor, editors_group):
    editor.set_password("a long editor password")
    editor.save()
    journey.go("/admin/")
    journey.page.get_by_label("Username").fill("editor")
    journey.page.get_by_label("Password").fill("a long editor password")
    journey.page.get_by_role("button", name="Log in").click()
    return journey


def photo(tmp_path):
    path = tmp_path / "hall.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def row(page, field):
    return page.locator(f".form-row.field-{field}")


def test_editor(signed_in, media, tmp_path):
    journey, page = signed_in, signed_in.page
    journey.shot("signed in")
    assert "Alliance against Trafficking: events and news" in page.locator("#site-name").inner_text()

    page.get_by_role("link", name="Events", exact=True).first.click()
    journey.shot("the event list")
    if journey.wide:
        headers = page.locator("#result_list thead th").all_inner_texts()
        assert [h.strip() for h in headers[1:]] == ["TITLE", "DATES", "STATUS", "VENUE"]
        assert journey.fits_the_width()
        # ...and the list itself does not scroll sideways beside the menu and the filters.
        assert page.locator("#changelist .results").evaluate("e => e.scrollWidth <= e.clientWidth")
        venue = page.locator("#result_list td.field-venue").first.bounding_box()
        filters = page.locator("#changelist-filter").bounding_box()
        assert venue["x"] + venue["width"] <= filters["x"]
    page.get_by_role("link", name=re.compile("Add event")).click()

    # Only what applies shows: no expert rule for a one-off event, no online fields in person, no
    # note about the server's clock; the labels are the editors' words.
    journey.shot("a new event")
    assert not row(page, "recurrence_rule").is_visible()
    assert page.get_by_label("Attendance mode").input_value() == "in_person"
    assert not row(page, "online_url").is_visible()
    page.get_by_label("Attendance mode").select_option("mixed")
    assert row(page, "online_url").is_visible()
    assert page.get_by_text("Registration URL:").is_visible()
    assert page.get_by_text(re.compile("behind server time|ahead of server time")).count() == 0 or not (
        page.get_by_text(re.compile("behind server time|ahead of server time")).first.is_visible()
    )
    assert page.get_by_text("SEQUENCE").count() == 0

    page.get_by_role("textbox", name="Title:", exact=True).first.fill("Regional forum on demand")
    page.get_by_label("Summary:").fill("Two days on discouraging demand.")
    # Formatted text the way editors type it: a heading (Markdown-style "## "), then a paragraph.
    editor_box = row(page, "description").locator("[contenteditable=true]")
    editor_box.click()
    page.keyboard.type("## Programme")
    page.keyboard.press("Enter")
    page.keyboard.type("Opening words by the chair.")
    pick_timezone(page, "Europe/Vienna")
    page.locator("#id_start_0").fill("2031-05-12")
    page.locator("#id_start_1").fill("09:00")
    page.locator("#id_end_0").fill("2031-05-12")
    page.locator("#id_end_1").fill("17:00")
    page.get_by_label("Image:").set_input_files(str(photo(tmp_path)))
    page.get_by_label("Registration URL:").fill("https://example.org/register")

    # Several mistakes at once are all reported at once, and nothing typed is lost.
    page.locator("#id_registration_deadline_0").fill("2031-05-13")
    page.locator("#id_registration_deadline_1").fill("12:00")
    page.get_by_label("Free").check()
    page.get_by_label("Cost amount:").fill("20")
    page.get_by_role("button", name="Save", exact=True).first.click()
    journey.shot("every error at once")
    errors = page.locator(".errorlist").all_inner_texts()
    assert any("Registration must close before the event ends" in e for e in errors)
    assert any("A free event has no price" in e for e in errors)
    assert any("Describe the image" in e for e in errors)
    assert (
        page.get_by_role("textbox", name="Title:", exact=True).first.input_value()
        == "Regional forum on demand"
    )

    page.get_by_label("Cost amount:").fill("")
    page.locator("#id_registration_deadline_0").fill("2031-05-05")
    page.get_by_label("Image:").set_input_files(str(photo(tmp_path)))
    page.get_by_label("Image description:").fill("The forum's hall, seen from the stage")
    page.get_by_role("button", name="Save and preview").first.click()

    # The draft as visitors will see it.
    page.wait_for_url(re.compile(r"/en/events/regional-forum-on-demand/$"))
    journey.shot("the preview")
    main = page.locator("main")
    assert "Draft: only staff can see this page." in main.inner_text()
    assert main.get_by_role("heading", name="Programme", exact=True).is_visible()
    image = main.locator("figure.page-image img")
    assert image.get_attribute("alt") == "The forum's hall, seen from the stage"
    assert "800w" in image.get_attribute("srcset")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    event = Event.objects.get(slug="regional-forum-on-demand")
    assert not event.is_published
    assert "<h2>Programme</h2>" in event.description
    assert journey.fits_the_width()


def test_editor_edits_the_conference_and_publishes_news(signed_in):
    journey, page = signed_in, signed_in.page

    # The conference's form with its documents: every column shows, nothing runs off at 1280 px.
    page.locator("#content-main").get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="21st Conference of the Alliance against Trafficking in Persons").click()
    documents = page.locator(".inline-group", has_text="Documents")
    documents.scroll_into_view_if_needed()
    journey.shot("the conference's form")
    headers = [h.strip() for h in documents.locator("thead th").all_inner_texts() if h.strip()]
    assert headers == ["TITLE", "FILE", "EXTERNAL URL", "POSITION", "DELETE?"]
    if journey.wide:
        assert journey.fits_the_width()
        for column in ("title", "file", "url", "position"):
            box = documents.locator(f"td.field-{column}").first.bounding_box()
            assert box["x"] + box["width"] <= 1280

    # A news article published now carries today's date on the site.
    page.get_by_role("link", name="Home").click()
    page.locator("#content-main").get_by_role("link", name="Articles").click()
    page.get_by_role("link", name=re.compile("Add article")).click()
    page.get_by_role("textbox", name="Title:", exact=True).fill("Alliance conference report")
    page.locator(".field-body [contenteditable=true]").click()
    page.keyboard.type("The report of the conference.")
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save", exact=True).first.click()
    journey.shot("article saved")
    journey.go("/en/news/")
    journey.shot("the news with its date")
    card = page.locator("article", has=page.get_by_role("link", name="Alliance conference report"))
    today = timezone.localdate()
    assert f"{today:%B} {today.day}, {today.year}" in card.inner_text()
