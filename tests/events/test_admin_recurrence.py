"""Recurring events in the editors' admin: the "Repeats" fields, the expert rule, dates handled
apart from the rule, and the next dates, all driven through the admin's own forms."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from events.models import Event, OccurrenceChange
from tests.events.admin_post_data import change_form_data, event_form_data, occurrence_change_row
from tests.factories import AllDayEventFactory, EventFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
ADD_URL = reverse("admin:events_event_add")
pytestmark = pytest.mark.django_db


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def form_errors(response):
    return response.context["adminform"].form.errors


def change_rows_errors(response):
    formsets = response.context["inline_admin_formsets"]
    formset = next(f.formset for f in formsets if f.formset.model is OccurrenceChange)
    return formset.errors


def html_of(response):
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def weekly_series(**overrides):
    """A 10:00–11:00 Vienna meeting every Tuesday from 4 March 2031."""
    fields = {
        "title": "Coordination call",
        "recurrence_rule": "FREQ=WEEKLY;BYDAY=TU",
        "start": dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        **overrides,
    }
    return EventFactory(**fields)


def local_starts(event, first_day, last_day):
    window = (
        dt.datetime.combine(first_day, dt.time(), VIENNA),
        dt.datetime.combine(last_day, dt.time(), VIENNA),
    )
    return [o.start.astimezone(VIENNA).isoformat() for o in event.occurrences_between(*window)]


# The pattern fields compose the stored rule ---------------------------------------------------------


def test_weekly_pattern_on_tuesdays_and_thursdays_stores_the_rule(editor_client):
    data = event_form_data(repeats="weekly", weekdays=["TU", "TH"])

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert Event.objects.get().recurrence_rule == "FREQ=WEEKLY;BYDAY=TU,TH"


def test_second_tuesday_pattern_stores_a_monthly_rule_by_weekday(editor_client):
    data = event_form_data(
        start_0="2031-03-11", end_0="2031-03-11", repeats="monthly_weekday", week_of_month="2", weekday="TU"
    )

    editor_client.post(ADD_URL, data)

    event = Event.objects.get()
    assert event.recurrence_rule == "FREQ=MONTHLY;BYDAY=2TU"
    assert local_starts(event, dt.date(2031, 3, 1), dt.date(2031, 6, 1)) == [
        "2031-03-11T14:00:00+01:00",
        "2031-04-08T14:00:00+02:00",
        "2031-05-13T14:00:00+02:00",
    ]


def test_last_friday_pattern_stores_minus_one(editor_client):
    data = event_form_data(
        start_0="2031-03-28", end_0="2031-03-28", repeats="monthly_weekday", week_of_month="-1", weekday="FR"
    )

    editor_client.post(ADD_URL, data)

    assert Event.objects.get().recurrence_rule == "FREQ=MONTHLY;BYDAY=-1FR"


def test_monthly_weekday_pattern_left_blank_takes_the_starts_weekday(editor_client):
    data = event_form_data(start_0="2031-03-11", end_0="2031-03-11", repeats="monthly_weekday")

    editor_client.post(ADD_URL, data)

    assert Event.objects.get().recurrence_rule == "FREQ=MONTHLY;BYDAY=2TU"


def test_every_other_day_ten_times_stores_interval_and_count(editor_client):
    data = event_form_data(repeats="daily", interval="2", ends="after_count", count="10")

    editor_client.post(ADD_URL, data)

    event = Event.objects.get()
    assert event.recurrence_rule == "FREQ=DAILY;INTERVAL=2;COUNT=10"
    # The tenth date is 18 days after the first; the series ends with it.
    assert event.last_end.astimezone(VIENNA).isoformat() == "2031-03-22T16:00:00+01:00"


def test_series_ending_on_a_date_stores_until_as_that_date(editor_client):
    data = event_form_data(repeats="yearly", ends="on_date", until="2035-12-31")

    editor_client.post(ADD_URL, data)

    event = Event.objects.get()
    assert event.recurrence_rule == "FREQ=YEARLY;UNTIL=20351231"
    assert event.last_end.astimezone(VIENNA).isoformat() == "2035-03-04T16:00:00+01:00"


def test_does_not_repeat_stores_no_rule(editor_client):
    editor_client.post(ADD_URL, event_form_data(repeats=""))

    assert Event.objects.get().recurrence_rule == ""


def test_end_on_a_date_without_the_date_is_refused_on_the_last_date(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(repeats="daily", ends="on_date"))

    assert form_errors(response)["until"] == ["Give the last date, or choose another end."]
    assert not Event.objects.exists()


def test_end_after_a_count_without_the_count_is_refused_on_the_count(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(repeats="daily", ends="after_count"))

    assert form_errors(response)["count"] == ["Give the number of dates, or choose another end."]
    assert not Event.objects.exists()


def test_last_date_before_the_start_is_refused_on_the_last_date(editor_client):
    response = editor_client.post(
        ADD_URL, event_form_data(repeats="daily", ends="on_date", until="2031-03-01")
    )

    assert form_errors(response)["until"] == [
        "The last date must not be before the first (Tuesday 4 March 2031)."
    ]
    assert 'name="until" value="2031-03-01"' in response.content.decode()
    assert not Event.objects.exists()


def test_start_that_is_not_a_date_of_the_rule_is_refused_on_repeats(editor_client):
    # 4 March 2031 is a Tuesday; the rule names Wednesdays only.
    response = editor_client.post(ADD_URL, event_form_data(repeats="weekly", weekdays=["WE"]))

    assert form_errors(response)["repeats"] == [
        "The event starts on Tuesday 4 March 2031, 14:00 CET, which is not a date of this rule: its first "
        "date would be Wednesday 5 March 2031, 14:00 CET. Start the event on a date of the rule, or change "
        "the rule."
    ]
    assert not Event.objects.exists()


# The expert field -------------------------------------------------------------------------------------


def test_invalid_expert_rule_shows_the_message_and_creates_nothing(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(repeats="custom", recurrence_rule="FREQ=HOURLY"))

    assert form_errors(response)["recurrence_rule"] == [
        "“HOURLY” is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY."
    ]
    assert "“HOURLY” is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY." in html_of(response)
    assert 'value="FREQ=HOURLY"' in response.content.decode()
    assert not Event.objects.exists()


def test_expert_rule_with_count_and_until_is_refused_with_the_rfc_message(editor_client):
    data = event_form_data(repeats="custom", recurrence_rule="FREQ=DAILY;COUNT=3;UNTIL=20310401")

    response = editor_client.post(ADD_URL, data)

    assert form_errors(response)["recurrence_rule"] == ["Give COUNT or UNTIL, not both (RFC 5545)."]
    assert not Event.objects.exists()


def test_expert_rule_the_pattern_cannot_say_is_stored_and_shown_as_custom(editor_client):
    # 3 March 2031 is the first Monday of the month.
    data = event_form_data(
        start_0="2031-03-03",
        end_0="2031-03-03",
        repeats="custom",
        recurrence_rule="rrule:freq=monthly;byday=1mo,3mo",
    )

    editor_client.post(ADD_URL, data)

    event = Event.objects.get()
    assert event.recurrence_rule == "FREQ=MONTHLY;BYDAY=1MO,3MO"
    form = editor_client.get(change_url(event)).context["adminform"].form
    assert (form["repeats"].value(), form["recurrence_rule"].value()) == (
        "custom",
        "FREQ=MONTHLY;BYDAY=1MO,3MO",
    )


def test_custom_without_a_rule_is_refused_on_the_expert_field(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(repeats="custom"))

    assert form_errors(response)["recurrence_rule"] == [
        "Give the rule here, or choose a pattern under “Repeats”."
    ]
    assert not Event.objects.exists()


def test_expert_rule_typed_beside_a_pattern_is_not_dropped_silently(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(repeats="daily", recurrence_rule="FREQ=MONTHLY"))

    assert form_errors(response)["recurrence_rule"] == [
        "To use this rule, choose “Custom rule” under “Repeats”."
    ]
    assert not Event.objects.exists()


# The change form shows the stored rule as a pattern -----------------------------------------------------


def test_change_form_shows_a_stored_rule_as_its_pattern(editor_client):
    event = weekly_series(recurrence_rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6")

    form = editor_client.get(change_url(event)).context["adminform"].form

    assert [form[name].value() for name in ("repeats", "interval", "weekdays", "ends", "count")] == [
        "weekly",
        2,
        ["TU", "TH"],
        "after_count",
        6,
    ]


def test_saving_the_change_form_unchanged_keeps_the_rule_and_its_dates(editor_client):
    event = weekly_series(recurrence_rule="FREQ=MONTHLY;BYDAY=1TU;UNTIL=20311231")

    response = editor_client.post(change_url(event), change_form_data(event))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.recurrence_rule, event.sequence) == ("FREQ=MONTHLY;BYDAY=1TU;UNTIL=20311231", 1)


def test_change_form_lists_the_next_five_dates_in_the_events_timezone(editor_client, frozen_now):
    event = weekly_series()
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA),
        status="cancelled",
    )

    html = editor_client.get(change_url(event)).content.decode()

    assert (
        "<ol><li>March 4, 2031 @ 10:00 am – 11:00 am CET</li>"
        "<li>March 11, 2031 @ 10:00 am – 11:00 am CET</li>"
        "<li>March 18, 2031 @ 10:00 am – 11:00 am CET (cancelled)</li>"
        "<li>March 25, 2031 @ 10:00 am – 11:00 am CET</li>"
        "<li>April 1, 2031 @ 10:00 am – 11:00 am CEST</li></ol>"
    ) in html


# Daylight saving time ----------------------------------------------------------------------------------


def test_vienna_series_edited_in_the_admin_stays_at_ten_across_dst(editor_client):
    data = event_form_data(
        title="Coordination call",
        start_0="2031-03-18",
        start_1="10:00",
        end_0="2031-03-18",
        end_1="11:00",
        repeats="weekly",
    )
    editor_client.post(ADD_URL, data)
    event = Event.objects.get()

    editor_client.post(change_url(event), change_form_data(event, title="Weekly coordination call"))

    event.refresh_from_db()
    assert (event.title, event.recurrence_rule) == ("Weekly coordination call", "FREQ=WEEKLY")
    # Clocks go forward on 30 March 2031 and back on 26 October 2031.
    assert local_starts(event, dt.date(2031, 3, 24), dt.date(2031, 4, 2)) == [
        "2031-03-25T10:00:00+01:00",
        "2031-04-01T10:00:00+02:00",
    ]
    assert local_starts(event, dt.date(2031, 10, 20), dt.date(2031, 10, 29)) == [
        "2031-10-21T10:00:00+02:00",
        "2031-10-28T10:00:00+01:00",
    ]


# Dates handled apart from the rule ------------------------------------------------------------------------


def post_rows(client, event, *rows, **overrides):
    data = change_form_data(event, **overrides)
    initial = int(data["occurrence_changes-INITIAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"occurrence_changes-{initial + offset}-{name}"] = value
    data["occurrence_changes-TOTAL_FORMS"] = str(initial + len(rows))
    return client.post(change_url(event), data)


def test_skipping_a_date_by_its_day_leaves_it_out_of_the_series(editor_client):
    event = weekly_series()

    response = post_rows(
        editor_client, event, occurrence_change_row(kind="skip", original_start_0="2031-03-11")
    )

    assert response.status_code == 302
    skip = OccurrenceChange.objects.get()
    assert (skip.kind, skip.original_start) == ("skip", dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA))
    event.refresh_from_db()
    assert local_starts(event, dt.date(2031, 3, 1), dt.date(2031, 3, 20)) == [
        "2031-03-04T10:00:00+01:00",
        "2031-03-18T10:00:00+01:00",
    ]
    assert event.sequence == 1  # one save, one step, with or without rows


def test_cancelling_one_date_keeps_it_listed_as_cancelled(editor_client):
    event = weekly_series()

    post_rows(editor_client, event, occurrence_change_row(kind="change", status="cancelled"))

    event.refresh_from_db()
    cancelled = event.occurrences_between(
        dt.datetime(2031, 3, 11, tzinfo=VIENNA), dt.datetime(2031, 3, 12, tzinfo=VIENNA)
    )
    assert [(o.start.astimezone(VIENNA).isoformat(), o.status) for o in cancelled] == [
        ("2031-03-11T10:00:00+01:00", "cancelled")
    ]


def test_changing_one_dates_time_and_title_reads_the_time_in_the_events_timezone(editor_client):
    event = weekly_series()
    row = occurrence_change_row(kind="change", start_0="2031-04-01", start_1="12:00", title="Special call")
    row["original_start_0"] = "2031-04-01"

    post_rows(editor_client, event, row)

    change = OccurrenceChange.objects.get()
    assert change.original_start.astimezone(VIENNA).isoformat() == "2031-04-01T10:00:00+02:00"
    assert change.start.astimezone(VIENNA).isoformat() == "2031-04-01T12:00:00+02:00"
    assert (change.end, change.title) == (None, "Special call")
    moved = event.occurrences_between(
        dt.datetime(2031, 4, 1, tzinfo=VIENNA), dt.datetime(2031, 4, 2, tzinfo=VIENNA)
    )
    assert [(o.local_start.time(), o.local_end.time(), o.title) for o in moved] == [
        (dt.time(12, 0), dt.time(13, 0), "Special call")
    ]


def test_moving_one_date_to_another_day_keeps_its_usual_time(editor_client):
    event = weekly_series()

    post_rows(editor_client, event, occurrence_change_row(kind="change", start_0="2031-03-12"))

    assert OccurrenceChange.objects.get().start.astimezone(VIENNA).isoformat() == "2031-03-12T10:00:00+01:00"


def test_adding_a_date_without_a_time_uses_the_series_time(editor_client):
    event = weekly_series()

    post_rows(editor_client, event, occurrence_change_row(kind="add", original_start_0="2031-03-13"))

    event.refresh_from_db()
    assert "2031-03-13T10:00:00+01:00" in local_starts(event, dt.date(2031, 3, 1), dt.date(2031, 3, 20))


def test_skipping_a_date_that_is_not_in_the_series_is_refused_on_the_date(editor_client):
    event = weekly_series()

    response = post_rows(
        editor_client, event, occurrence_change_row(kind="skip", original_start_0="2031-03-12")
    )

    assert change_rows_errors(response)[0]["original_start"] == [
        "Wednesday 12 March 2031 is not a date of this series (the nearest: Tuesday 11 March 2031, 10:00 CET "
        "or Tuesday 18 March 2031, 10:00 CET)."
    ]
    assert 'name="occurrence_changes-0-original_start_0" value="2031-03-12"' in response.content.decode()
    assert not OccurrenceChange.objects.exists()
    event.refresh_from_db()
    assert event.sequence == 0


def test_skipping_a_date_at_another_time_than_the_series_is_refused(editor_client):
    event = weekly_series()
    row = occurrence_change_row(kind="skip", original_start_1="11:00")

    response = post_rows(editor_client, event, row)

    assert change_rows_errors(response)[0]["original_start"] == [
        "Tuesday 11 March 2031, 11:00 CET is not a date of this series (the nearest: Tuesday 11 March 2031, "
        "10:00 CET or Tuesday 18 March 2031, 10:00 CET)."
    ]
    assert not OccurrenceChange.objects.exists()


def test_adding_a_date_the_rule_already_gives_is_refused(editor_client):
    event = weekly_series()

    response = post_rows(editor_client, event, occurrence_change_row(kind="add"))

    assert change_rows_errors(response)[0]["original_start"] == [
        "Tuesday 11 March 2031, 10:00 CET is already a date of the series: there is nothing to add."
    ]


def test_change_that_changes_nothing_is_refused(editor_client):
    event = weekly_series()

    response = post_rows(editor_client, event, occurrence_change_row(kind="change", title=event.title))

    assert change_rows_errors(response)[0]["__all__"] == [
        "Nothing changes on this date: give a new start or end, its own title, or a status (“Cancelled” "
        "cancels it); or choose “Skip this date”."
    ]
    assert not OccurrenceChange.objects.exists()


def test_changed_date_ending_before_it_starts_is_refused_on_the_end(editor_client):
    event = weekly_series()
    row = occurrence_change_row(
        kind="change", start_0="2031-03-11", start_1="12:00", end_0="2031-03-11", end_1="11:00"
    )

    response = post_rows(editor_client, event, row)

    assert change_rows_errors(response)[0]["end"] == ["The end must not be before the start."]
    assert 'name="occurrence_changes-0-end_1" value="11:00"' in response.content.decode()
    assert not OccurrenceChange.objects.exists()


def test_skipped_date_with_a_title_is_refused_on_the_title(editor_client):
    event = weekly_series()

    response = post_rows(editor_client, event, occurrence_change_row(kind="skip", title="Holiday"))

    assert change_rows_errors(response)[0]["title"] == [
        "Only a changed date has its own times, title or status: clear this, or choose “Change”."
    ]


def test_rows_on_an_event_that_does_not_repeat_are_refused(editor_client):
    event = EventFactory()

    response = post_rows(
        editor_client, event, occurrence_change_row(kind="skip", original_start_0="2031-03-04")
    )

    assert change_rows_errors(response)[0] == {
        "kind": ["The event does not repeat: choose a pattern under “Repeats”, or delete this row."]
    }
    assert not OccurrenceChange.objects.exists()


def test_rows_wait_quietly_while_the_event_form_has_errors(editor_client):
    event = weekly_series()

    response = post_rows(editor_client, event, occurrence_change_row(kind="skip"), start_0="", start_1="")

    assert form_errors(response)["start"] == ["This field is required."]
    assert change_rows_errors(response) == [{}]
    assert 'name="occurrence_changes-0-original_start_0" value="2031-03-11"' in response.content.decode()
    assert not OccurrenceChange.objects.exists()


def test_skipped_date_follows_when_the_series_time_is_edited(editor_client):
    event = weekly_series()
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )
    event.refresh_from_db()

    response = editor_client.post(change_url(event), change_form_data(event, start_1="11:00", end_1="12:00"))

    assert response.status_code == 302
    assert (
        OccurrenceChange.objects.get().original_start.astimezone(VIENNA).isoformat()
        == "2031-03-11T11:00:00+01:00"
    )


def test_deleting_a_row_brings_the_date_back(editor_client):
    event = weekly_series()
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )
    event.refresh_from_db()
    data = change_form_data(event)
    data["occurrence_changes-0-DELETE"] = "on"

    editor_client.post(change_url(event), data)

    event.refresh_from_db()
    assert not OccurrenceChange.objects.exists()
    assert "2031-03-11T10:00:00+01:00" in local_starts(event, dt.date(2031, 3, 1), dt.date(2031, 3, 20))


def test_all_day_series_skips_a_date_by_its_day(editor_client):
    event = AllDayEventFactory(recurrence_rule="FREQ=WEEKLY", start_date=dt.date(2031, 6, 14))

    response = post_rows(
        editor_client, event, occurrence_change_row(kind="skip", original_start_0="2031-06-21")
    )

    assert response.status_code == 302
    assert (
        OccurrenceChange.objects.get().original_start.astimezone(VIENNA).isoformat()
        == "2031-06-21T00:00:00+02:00"
    )


def test_last_end_counts_a_date_moved_after_the_last_one(editor_client):
    event = weekly_series(recurrence_rule="FREQ=WEEKLY;COUNT=2")
    row = occurrence_change_row(kind="change", start_0="2031-03-20", start_1="10:00")

    post_rows(editor_client, event, row)

    event.refresh_from_db()
    assert event.last_end.astimezone(VIENNA).isoformat() == "2031-03-20T11:00:00+01:00"


# Two editors, and rows saved in the same form ---------------------------------------------------------------


def test_saving_again_after_saving_rows_is_not_taken_for_another_editors_save(editor_client):
    event = weekly_series()
    post_rows(
        editor_client,
        event,
        occurrence_change_row(kind="skip"),
        occurrence_change_row(kind="change", original_start_0="2031-03-18", status="cancelled"),
    )
    event.refresh_from_db()

    response = editor_client.post(change_url(event), change_form_data(event, title="Renamed"))

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.sequence, OccurrenceChange.objects.count()) == ("Renamed", 2, 2)


def test_stale_form_is_refused_after_another_editor_changed_only_rows(editor_client):
    event = weekly_series()
    stale = change_form_data(event, title="Renamed")
    post_rows(editor_client, event, occurrence_change_row(kind="skip"))

    response = editor_client.post(change_url(event), stale)

    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.non_field_errors()[0]
        .startswith(
            "Another editor saved this event while you were editing it, so your changes were not saved."
        )
    )
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Coordination call", 1)


def test_stale_form_with_new_rows_saves_none_of_them(editor_client):
    event = weekly_series()
    stale = change_form_data(event)
    editor_client.post(change_url(event), change_form_data(event, title="Renamed"))
    stale.update(
        {f"occurrence_changes-0-{name}": value for name, value in occurrence_change_row(kind="skip").items()}
    )
    stale["occurrence_changes-TOTAL_FORMS"] = "1"

    response = editor_client.post(change_url(event), stale)

    assert response.status_code == 200
    assert not OccurrenceChange.objects.exists()
    assert 'name="occurrence_changes-0-original_start_0" value="2031-03-11"' in response.content.decode()


# Query counts ----------------------------------------------------------------------------------------------


def add_skips(event, count):
    first = dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    OccurrenceChange.objects.bulk_create(
        OccurrenceChange(event=event, kind="skip", original_start=first + dt.timedelta(weeks=week))
        for week in range(count)
    )


def test_change_form_query_count_does_not_grow_with_the_rows(editor_client, django_assert_num_queries):
    event = weekly_series()
    add_skips(event, 1)
    editor_client.get(change_url(event))  # fills Django's caches
    with django_assert_num_queries(11):
        editor_client.get(change_url(event))
    OccurrenceChange.objects.filter(event=event).delete()
    add_skips(event, 12)

    with django_assert_num_queries(11):
        editor_client.get(change_url(event))


def test_saving_the_change_form_query_count_does_not_grow_with_the_rows(
    editor_client, django_assert_num_queries
):
    event = weekly_series()
    add_skips(event, 1)
    editor_client.post(change_url(event), change_form_data(event, title="Warm"))  # fills Django's caches
    event.refresh_from_db()
    # 36: the form's edit (a savepoint and its release), the content revision stepped once, and
    # each row's check constraints asked in one query (events.models.constraints)
    with django_assert_num_queries(36):
        editor_client.post(change_url(event), change_form_data(event, title="One"))
    OccurrenceChange.objects.all().delete()
    add_skips(event, 12)
    event.refresh_from_db()

    with django_assert_num_queries(36):
        editor_client.post(change_url(event), change_form_data(event, title="Twelve"))


# Duplicating a series, and warnings ----------------------------------------------------------------------


def run_action(client, action, *events):
    return client.post(
        reverse("admin:events_event_changelist"),
        {"action": action, "_selected_action": [str(e.pk) for e in events]},
        follow=True,
    )


def test_duplicate_copies_the_rule_and_the_dates_handled_apart(editor_client):
    event = weekly_series(slug="call", recurrence_rule="FREQ=WEEKLY;BYDAY=TU;COUNT=10")
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA),
        title="Special",
    )

    run_action(editor_client, "duplicate", event)

    copy = Event.objects.get(slug="call-copy")
    assert (copy.recurrence_rule, copy.last_end, copy.sequence) == (
        "FREQ=WEEKLY;BYDAY=TU;COUNT=10",
        Event.objects.get(pk=event.pk).last_end,
        0,
    )
    assert [(c.kind, c.original_start, c.title) for c in copy.occurrence_changes.all()] == [
        ("change", dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA), "Special")
    ]
    assert event.occurrence_changes.count() == 1


def test_duplicate_next_year_shifts_the_series_end_and_its_dates(editor_client):
    event = weekly_series(slug="call-2031", recurrence_rule="FREQ=MONTHLY;UNTIL=20311231")
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 4, 4, 10, 0, tzinfo=VIENNA),
        status="cancelled",
    )

    response = run_action(editor_client, "duplicate_next_year", event)

    copy = Event.objects.get(slug="call-2032")
    assert (copy.local_start.isoformat(), copy.recurrence_rule) == (
        "2032-03-04T10:00:00+01:00",
        "FREQ=MONTHLY;UNTIL=20321231",
    )
    change = copy.occurrence_changes.get()
    assert (change.original_start.astimezone(VIENNA).isoformat(), change.status) == (
        "2032-04-04T10:00:00+02:00",
        "cancelled",
    )
    assert copy.last_end.astimezone(VIENNA).isoformat() == "2032-12-04T11:00:00+01:00"
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_duplicate_next_year_of_a_weekday_series_warns_that_the_start_left_the_rule(editor_client):
    event = weekly_series(slug="call-2031")
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )

    response = run_action(editor_client, "duplicate_next_year", event)

    # 4 March 2032 is a Thursday; the rule names Tuesdays.
    assert [str(m) for m in response.context["messages"] if m.level_tag == "warning"] == [
        "“Coordination call” starts on Thursday 4 March 2032, 10:00 CET, which is not a date of its rule "
        "(FREQ=WEEKLY;BYDAY=TU): calendar apps disagree about such a series. Move the start to the rule's "
        "first date, or change the rule.",
        "Dates handled apart from the rule of “Coordination call” that are not dates of the series, so they "
        "have no effect: Thursday 11 March 2032, 10:00 CET. Delete them or give a date of the series.",
    ]


def test_monthly_series_on_the_31st_is_saved_with_a_warning(editor_client):
    data = event_form_data(start_0="2031-03-31", end_0="2031-03-31", repeats="monthly_date")

    response = editor_client.post(ADD_URL, data, follow=True)

    assert [str(m) for m in response.context["messages"] if m.level_tag == "warning"] == [
        "“Annual Alliance Conference” repeats monthly on day 31: months without that day are skipped."
    ]


def test_new_series_with_a_skipped_date_is_created_in_one_post(editor_client):
    data = event_form_data(
        start_1="10:00",
        end_1="11:00",
        repeats="weekly",
        occurrence_changes=[occurrence_change_row(kind="skip")],
    )

    response = editor_client.post(ADD_URL, data, follow=True)

    event = Event.objects.get()
    assert [(c.kind, c.original_start) for c in event.occurrence_changes.all()] == [
        ("skip", dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA))
    ]
    assert event.sequence == 0
    assert [str(m) for m in response.context["messages"] if m.level_tag == "warning"] == []


def test_all_day_series_changes_one_date_to_two_days(editor_client):
    event = AllDayEventFactory(recurrence_rule="FREQ=WEEKLY", start_date=dt.date(2031, 6, 14))
    row = occurrence_change_row(
        kind="change", original_start_0="2031-06-21", start_0="2031-06-21", end_0="2031-06-22"
    )

    post_rows(editor_client, event, row)

    change = OccurrenceChange.objects.get()
    assert (change.start.astimezone(VIENNA).isoformat(), change.end.astimezone(VIENNA).isoformat()) == (
        "2031-06-21T00:00:00+02:00",
        "2031-06-23T00:00:00+02:00",
    )
    event.refresh_from_db()
    response = editor_client.post(change_url(event), change_form_data(event))  # shown and saved unchanged
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.end.astimezone(VIENNA).isoformat() == "2031-06-23T00:00:00+02:00"


def test_two_rows_for_one_date_are_refused_on_the_second(editor_client):
    event = weekly_series()
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )
    event.refresh_from_db()

    response = post_rows(editor_client, event, occurrence_change_row(kind="change", status="cancelled"))

    assert change_rows_errors(response) == [
        {},
        {
            "original_start": [
                "Tuesday 11 March 2031, 10:00 CET is handled in another row already: give each date one row."
            ]
        },
    ]
    assert OccurrenceChange.objects.get().kind == "skip"


def test_a_row_deleted_in_the_same_save_frees_its_date(editor_client):
    event = weekly_series()
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )
    event.refresh_from_db()
    data = change_form_data(event)
    data["occurrence_changes-0-DELETE"] = "on"
    data.update(
        {
            f"occurrence_changes-1-{name}": value
            for name, value in occurrence_change_row(kind="change", status="cancelled").items()
        }
    )
    data["occurrence_changes-TOTAL_FORMS"] = "2"

    response = editor_client.post(change_url(event), data)

    assert response.status_code == 302
    assert [(c.kind, c.status) for c in OccurrenceChange.objects.all()] == [("change", "cancelled")]


def test_series_stored_out_of_step_with_its_rule_is_saved_with_a_warning_when_editing_else(editor_client):
    # As an import may bring it: a Tuesday start with a rule of Wednesdays.
    event = weekly_series(recurrence_rule="FREQ=WEEKLY;BYDAY=WE", is_published=False)

    response = editor_client.post(change_url(event), change_form_data(event, title="Renamed"), follow=True)

    event.refresh_from_db()
    assert event.title == "Renamed"
    assert [str(m) for m in response.context["messages"] if m.level_tag == "warning"] == [
        "“Renamed” starts on Tuesday 4 March 2031, 10:00 CET, which is not a date of its rule "
        "(FREQ=WEEKLY;BYDAY=WE): calendar apps disagree about such a series. Move the start to the rule's "
        "first date, or change the rule."
    ]


def test_moving_the_start_of_a_series_off_its_rule_is_refused(editor_client):
    event = weekly_series()

    response = editor_client.post(
        change_url(event), change_form_data(event, start_0="2031-03-05", end_0="2031-03-05")
    )

    assert form_errors(response)["repeats"] == [
        "The event starts on Wednesday 5 March 2031, 10:00 CET, which is not a date of this rule: its "
        "first date would be Tuesday 11 March 2031, 10:00 CET. Start the event on a date of the rule, or "
        "change the rule."
    ]


def test_rows_are_named_in_the_events_timezone_in_the_admin_history(editor_client):
    event = weekly_series()

    post_rows(editor_client, event, occurrence_change_row(kind="skip"))

    history = editor_client.get(reverse("admin:events_event_history", args=[event.pk])).content.decode()
    assert "<td>Added occurrence change “Skip this date: 2031-03-11 10:00 CET”.</td>" in history
