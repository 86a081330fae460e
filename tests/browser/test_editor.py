"""An editor in a real browser: creates a conference in the admin, publishes it, edits it, and the
public calendar and its .ics follow."""

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from django.core.management import call_command

from events.models import Event
from tests.chromium import pick_timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-password"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def download_ics(page, event_url):
    """{SUMMARY: SEQUENCE} of every VEVENT in the event page's .ics download."""
    page.goto(event_url)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    calendar = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    return {str(vevent["SUMMARY"]): int(vevent["SEQUENCE"]) for vevent in calendar.walk("VEVENT")}


def test_editor_creates_publishes_and_edits_a_conference(
    browser, page, live_server, monkeypatch, settings, tmp_path, editors_group
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "maria", email="maria@example.org", interactive=False)
    year = dt.date.today().year + 1

    # Log in as the editor.
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    assert page.locator("#site-name").is_visible()

    # A three-day all-day conference in Vienna: the time inputs are hidden once "all-day" is ticked.
    page.goto(f"{live_server.url}/admin/events/event/add/")
    page.locator("#id_title").press_sequentially(f"Alliance Conference {year}")
    assert page.input_value("#id_slug") == f"alliance-conference-{year}"  # prepopulated while typing
    pick_timezone(page, "Europe/Vienna")
    assert page.locator(".field-start_date").first.is_hidden()
    page.check("#id_all_day")
    assert page.locator("fieldset .field-start").first.is_hidden()
    page.fill("#id_start_date", f"{year}-06-14")
    page.fill("#id_end_date", f"{year}-06-16")
    page.select_option("#id_attendance_mode", "online")
    page.fill("#id_online_url", "https://zoom.example.org/alliance")

    # Two timed sessions, in Vienna time, and an agenda as PDF.
    for index, (title, day, start, end) in enumerate(
        [("Opening", 14, "14:00", "15:30"), ("Closing", 16, "15:00", "16:30")]
    ):
        page.get_by_role("button", name="Add another session").click()
        prefix = f"#id_sessions-{index}"
        page.fill(f"{prefix}-title", title)
        page.fill(f"{prefix}-start_0", f"{year}-06-{day}")
        page.fill(f"{prefix}-start_1", start)
        page.fill(f"{prefix}-end_0", f"{year}-06-{day}")
        page.fill(f"{prefix}-end_1", end)
    page.get_by_role("button", name="Add another document").click()
    page.fill("#id_documents-0-title", "Agenda")
    page.set_input_files(
        "#id_documents-0-file", files=[{"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("input[name=_save]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    event = Event.objects.get()
    assert (event.is_published, event.sessions.count(), event.documents.count()) == (False, 2, 1)
    opening = event.sessions.get(title="Opening")
    assert opening.local_start.isoformat() == f"{year}-06-14T14:00:00+02:00"

    # Publish it from the change list.
    page.locator(f"input.action-select[value='{event.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    assert "1 event published." in page.locator(".messagelist").inner_text()

    # A visitor (not logged in) finds it on the public calendar, on each of its three days, and
    # among the upcoming events, and downloads its calendar.
    visitor = browser.new_context(timezone_id="America/New_York").new_page()
    visitor.goto(f"{live_server.url}/events/calendar/{year}/06/")
    for day in (14, 15, 16):
        cell = visitor.locator(f'td:has(time[datetime="{year}-06-{day}"])')
        assert f"Alliance Conference {year}" in cell.inner_text()
    visitor.goto(f"{live_server.url}/events/")
    visitor.get_by_role("link", name=f"Alliance Conference {year}").click()
    assert visitor.locator("h1").inner_text() == f"Alliance Conference {year}"
    assert visitor.get_by_role("link", name="Agenda").is_visible()
    first = download_ics(visitor, visitor.url)
    title = f"Alliance Conference {year}"
    assert first == {title: 1, f"{title}: Opening": 1, f"{title}: Closing": 1}  # the publish action saved it

    # The editor renames the closing session; the new download shows it with a higher SEQUENCE.
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    closing = page.locator("input[name$='-title'][value='Closing']")
    closing.fill("Closing plenary")
    page.click("input[name=_save]")
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    second = download_ics(visitor, f"{live_server.url}/events/alliance-conference-{year}/")
    assert second == {title: 2, f"{title}: Opening": 2, f"{title}: Closing plenary": 2}
    visitor.context.close()
