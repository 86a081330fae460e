"""An editor in a real browser sets up a monthly "second Tuesday" call with the "Repeats" fields,
cancels one date, and sees the next dates; the inputs that do not apply are hidden as they choose."""

import pytest
from django.core.management import call_command

from events.models import Event
from tests.chromium import pick_timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-password"


def test_editor_sets_up_a_second_tuesday_series_and_cancels_one_date(
    page, live_server, monkeypatch, editors_group
):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "maria", email="maria@example.org", interactive=False)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/events/event/add/")
    page.fill("#id_title", "Coordination call")
    page.fill("#id_slug", "coordination-call")
    pick_timezone(page, "Europe/Vienna")
    page.fill("#id_start_0", "2031-03-11")
    page.fill("#id_start_1", "10:00")
    page.fill("#id_end_0", "2031-03-11")
    page.fill("#id_end_1", "11:00")
    # Only what a pattern needs shows: nothing for "does not repeat", the week for "on a weekday".
    assert page.locator(".form-row.field-interval").is_hidden()
    page.select_option("#id_repeats", "monthly_weekday")
    assert page.locator(".form-row.field-week_of_month").is_visible()
    assert page.locator(".form-row.field-weekdays").is_hidden()
    page.select_option("#id_week_of_month", "2")
    page.select_option("#id_weekday", "TU")
    page.select_option("#id_ends", "after_count")
    assert page.locator(".fieldBox.field-until").is_hidden()
    page.fill("#id_count", "6")

    # Cancel the May call: a "change" row shows its own time, title and status inputs.
    page.get_by_role("button", name="Add another date handled apart from the rule").click()
    row = "#id_occurrence_changes-0"
    page.select_option(f"{row}-kind", "skip")
    assert page.locator(".inline-related .form-row.field-title").last.is_hidden()
    page.select_option(f"{row}-kind", "change")
    page.fill(f"{row}-original_start_0", "2031-05-13")
    page.select_option(f"{row}-status", "cancelled")
    page.click("input[name=_continue]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    event = Event.objects.get()
    assert (event.recurrence_rule, event.occurrence_changes.get().status) == (
        "FREQ=MONTHLY;BYDAY=2TU;COUNT=6",
        "cancelled",
    )
    next_dates = page.locator(".field-next_dates li").all_inner_texts()
    assert next_dates == [
        "March 11, 2031 @ 10:00 am – 11:00 am CET",
        "April 8, 2031 @ 10:00 am – 11:00 am CEST",
        "May 13, 2031 @ 10:00 am – 11:00 am CEST (cancelled)",
        "June 10, 2031 @ 10:00 am – 11:00 am CEST",
        "July 8, 2031 @ 10:00 am – 11:00 am CEST",
    ]

    # Typing a rule in the expert field chooses "Custom rule".
    page.fill("#id_recurrence_rule", "FREQ=MONTHLY;BYDAY=2TU;COUNT=8")
    assert page.input_value("#id_repeats") == "custom"
