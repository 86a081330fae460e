"""A subscriber and importer: downloads the conference's file, imports it back through the admin
(nothing changes), downloads a month, and tries to import from an address the site must not reach."""

import re

import icalendar
import pytest

from events.models import Event, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ALLIANCE = "/en/events/21st-conference-alliance-against-trafficking-in-persons/"


def vevents(data):
    """{UID: {property: value as written}} of a file's VEVENTs, DTSTAMP aside."""
    calendar = icalendar.Calendar.from_ical(data)
    return {
        str(event["UID"]): {
            name: value.to_ical()
            for name, value in event.property_items(recursive=False)
            if name not in {"BEGIN", "END", "DTSTAMP"}
        }
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def signed_in_importer(journey, seed, editor, editors_group):
    editor.set_password("a long editor password")
    editor.save()
    return editor


def test_subscriber(journey, signed_in_importer, tmp_path):
    page = journey.page

    # The attendee downloads the conference for their calendar.
    journey.go(ALLIANCE)
    journey.shot("the conference")
    first = journey.download(page.locator("main").get_by_role("link", name="Download .ics").first)
    exported = vevents(first)
    assert len(exported) == 2  # the conference and its sessions
    calendar = icalendar.Calendar.from_ical(first)
    for zone in calendar.walk("VTIMEZONE"):
        assert "COMMENT" not in zone  # RFC 5545: only STANDARD and DAYLIGHT may carry one
    rows_before = (
        list(Event.objects.order_by("pk").values()),
        list(Session.objects.order_by("pk").values()),
    )

    # An editor imports that very file back: nothing changes.
    journey.go("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long editor password")
    page.get_by_role("button", name="Log in").click()
    journey.go("/admin/events/event/import/")
    assert journey.fits_the_width()
    path = tmp_path / "conference.ics"
    path.write_bytes(first)
    page.get_by_label("Calendar file (.ics)").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    journey.shot("imported our own export")
    assert (
        "Created 0, updated 0, skipped 2."
        in page.locator("#content-start, .messagelist, body").first.inner_text()
    )
    assert (
        list(Event.objects.order_by("pk").values()),
        list(Session.objects.order_by("pk").values()),
    ) == rows_before

    journey.go(ALLIANCE)
    again = journey.download(page.locator("main").get_by_role("link", name="Download .ics").first)
    assert vevents(again) == exported  # every field the export writes, unchanged

    # An address the server must not fetch for anyone is refused, saying why.
    journey.go("/admin/events/event/import/")
    page.get_by_label("Or its address").fill("http://169.254.169.254/latest/meta-data/")
    page.get_by_role("button", name="Import").click()
    journey.shot("a private address refused")
    assert "is a local or private address" in page.locator(".errorlist").inner_text()

    # A past month's file holds that month's events.
    page.get_by_role("link", name="View site").click()
    journey.go("/en/events/calendar/2020/07/")
    month = journey.download(page.get_by_role("link", name="Download .ics"))
    titles = [str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(month).walk("VEVENT")]
    assert titles == ["Congressional Hearing: The Role of Technology in Countering Trafficking in Persons"]
    page.get_by_role("link", name="Subscribe to these events").click()
    journey.shot("subscribing to july 2020")
    assert re.search(r"from=2020-07-01&to=2020-07-31", page.url)
    assert journey.fits_the_width()
