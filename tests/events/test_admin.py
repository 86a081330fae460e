"""The editors' event admin, driven through its own forms as an editor's browser would post them."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.db import models
from django.urls import reverse

from events import services
from events.models import Event
from tests.events.admin_post_data import change_form_data, event_form_data, session_row
from tests.factories import (
    AllDayEventFactory,
    CategoryFactory,
    DocumentFactory,
    EventFactory,
    SessionFactory,
    VenueFactory,
)

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ADD_URL = reverse("admin:events_event_add")
LIST_URL = reverse("admin:events_event_changelist")
pytestmark = pytest.mark.django_db


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def form_errors(response):
    return response.context["adminform"].form.errors


def inline_errors(response, index):
    return response.context["inline_admin_formsets"][index].formset.errors


# Times are entered in the event's own timezone -------------------------------------------------


def test_event_add_reads_times_in_vienna_for_a_vienna_event(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(timezone="Europe/Vienna"))

    assert response.status_code == 302
    event = Event.objects.get()
    # 14:00 in Vienna in March (CET, UTC+1) is 13:00 UTC.
    assert event.start == dt.datetime(2031, 3, 4, 13, 0, tzinfo=dt.UTC)
    assert event.end == dt.datetime(2031, 3, 4, 15, 0, tzinfo=dt.UTC)


def test_event_add_reads_times_in_new_york_for_a_new_york_event(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(timezone="America/New_York"))

    assert response.status_code == 302
    event = Event.objects.get()
    # 14:00 in New York on 4 March (EST, UTC-5) is 19:00 UTC, whatever the server's timezone.
    assert event.start == dt.datetime(2031, 3, 4, 19, 0, tzinfo=dt.UTC)
    assert event.local_start.isoformat() == "2031-03-04T14:00:00-05:00"


def test_session_times_are_read_in_their_events_timezone(editor_client):
    data = event_form_data(
        timezone="America/New_York", sessions=[session_row(start_1="14:30", end_1="15:30")]
    )

    editor_client.post(ADD_URL, data)

    session = Event.objects.get().sessions.get()
    assert session.start == dt.datetime(2031, 3, 4, 19, 30, tzinfo=dt.UTC)
    assert session.end == dt.datetime(2031, 3, 4, 20, 30, tzinfo=dt.UTC)


def test_registration_deadline_is_read_in_the_events_timezone(editor_client):
    data = event_form_data(
        timezone="America/New_York", registration_deadline_0="2031-03-01", registration_deadline_1="17:00"
    )

    editor_client.post(ADD_URL, data)

    assert Event.objects.get().registration_deadline == dt.datetime(2031, 3, 1, 22, 0, tzinfo=dt.UTC)


def test_event_change_form_shows_times_in_the_events_timezone(editor_client):
    event = EventFactory(
        timezone="America/New_York",
        start=dt.datetime(2031, 7, 1, 14, 0, tzinfo=NEW_YORK),
        end=dt.datetime(2031, 7, 1, 16, 0, tzinfo=NEW_YORK),
    )
    SessionFactory(
        event=event,
        start=dt.datetime(2031, 7, 1, 15, 0, tzinfo=NEW_YORK),
        end=dt.datetime(2031, 7, 1, 15, 30, tzinfo=NEW_YORK),
    )

    response = editor_client.get(change_url(event))

    form = response.context["adminform"].form
    assert form["start"].value() == dt.datetime(2031, 7, 1, 14, 0)
    assert '<input type="time" name="start_1" value="14:00"' in response.content.decode()
    assert '<input type="time" name="sessions-0-start_1" value="15:00"' in response.content.decode()


def test_changing_the_timezone_keeps_the_typed_wall_clock_times(editor_client):
    event = EventFactory(timezone="Europe/Vienna")
    data = change_form_data(event, timezone="America/New_York", start_1="10:00:00", end_1="11:00:00")

    editor_client.post(change_url(event), data)

    event.refresh_from_db()
    assert event.local_start.isoformat() == "2031-03-04T10:00:00-05:00"


def test_time_skipped_by_the_clock_change_is_refused(editor_client):
    data = event_form_data(start_0="2031-03-30", start_1="02:30", end_0="2031-03-30", end_1="04:00")

    response = editor_client.post(ADD_URL, data)

    assert form_errors(response)["start"] == [
        "2031-03-30 02:30 does not exist in Europe/Vienna: the clocks change then. Give another time."
    ]
    assert not Event.objects.exists()


# The all-day switch: dates for all-day events, times for timed ones, never half of each -------------


def test_all_day_event_uses_its_dates_and_ignores_typed_times(editor_client):
    data = event_form_data(all_day="on", start_date="2031-06-14", end_date="2031-06-16", start_1="09:00")

    editor_client.post(ADD_URL, data)

    event = Event.objects.get()
    assert (event.start_date, event.end_date) == (dt.date(2031, 6, 14), dt.date(2031, 6, 16))
    assert event.local_start.isoformat() == "2031-06-14T00:00:00+02:00"
    assert event.local_end.isoformat() == "2031-06-17T00:00:00+02:00"


def test_all_day_event_ignores_a_typed_time_that_would_not_exist(editor_client):
    data = event_form_data(
        all_day="on", start_date="2031-03-30", end_date="2031-03-30", start_0="2031-03-30", start_1="02:30"
    )

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert Event.objects.get().start_date == dt.date(2031, 3, 30)


def test_timed_event_uses_its_times_and_ignores_typed_dates(editor_client):
    data = event_form_data(start_date="2031-01-01", end_date="2031-12-31")

    editor_client.post(ADD_URL, data)

    event = Event.objects.get()
    assert (event.start_date, event.end_date) == (dt.date(2031, 3, 4), dt.date(2031, 3, 4))


def test_all_day_event_without_dates_is_refused_on_the_date_fields(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(all_day="on"))

    assert form_errors(response)["start_date"] == ["This field is required."]
    assert form_errors(response)["end_date"] == ["This field is required."]
    assert not Event.objects.exists()


# Errors on the field concerned; nothing created; the input kept ----------------------------------


def assert_refused_with(response, field, message):
    assert response.status_code == 200
    assert form_errors(response)[field] == [message]
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert not Event.objects.exists()


def test_event_ending_before_it_starts_is_refused_on_the_end(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(end_1="13:00"))

    assert_refused_with(response, "end", "The end must not be before the start.")
    assert response.context["adminform"].form["title"].value() == "Annual Alliance Conference"
    assert 'name="end_1" value="13:00"' in response.content.decode()


def test_all_day_event_ending_before_it_starts_is_refused_on_the_end_date(editor_client):
    data = event_form_data(all_day="on", start_date="2031-06-14", end_date="2031-06-13")

    response = editor_client.post(ADD_URL, data)

    assert_refused_with(response, "end_date", "The end must not be before the start.")


def test_session_outside_the_events_dates_is_refused_on_the_session(editor_client):
    data = event_form_data(sessions=[session_row(start_1="15:30", end_1="17:00")])

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert inline_errors(response, 0)[0]["end"] == [
        "The session must lie within the event's dates (March 4, 2031 @ 2:00 pm – 4:00 pm CET)."
    ]
    assert not Event.objects.exists()
    assert 'name="sessions-0-end_1" value="17:00"' in response.content.decode()


def test_session_starting_before_an_all_day_event_is_refused_on_its_start_date(editor_client):
    data = event_form_data(
        all_day="on",
        start_date="2031-06-14",
        end_date="2031-06-16",
        sessions=[session_row(all_day="on", start_date="2031-06-13", end_date="2031-06-14")],
    )

    response = editor_client.post(ADD_URL, data)

    assert inline_errors(response, 0)[0]["start_date"] == [
        "The session must lie within the event's dates (June 14, 2031 – June 16, 2031 all-day)."
    ]
    assert not Event.objects.exists()


def test_registration_deadline_after_the_end_is_refused_on_the_deadline(editor_client):
    data = event_form_data(registration_deadline_0="2031-03-04", registration_deadline_1="18:00")

    response = editor_client.post(ADD_URL, data)

    assert_refused_with(
        response,
        "registration_deadline",
        "Registration must close before the event ends (Tuesday 4 March 2031, 16:00 CET).",
    )


def test_unknown_timezone_is_refused_on_the_timezone(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(timezone="Europe/Atlantis"))

    assert form_errors(response)["timezone"] == [
        "“Europe/Atlantis” is not a known timezone. Use an IANA name such as Europe/Vienna."
    ]
    assert not Event.objects.exists()
    assert 'value="Europe/Atlantis"' in response.content.decode()


def test_bad_url_is_refused_on_its_field(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(registration_url="not a link"))

    assert_refused_with(response, "registration_url", "Enter a valid URL.")


def test_bad_email_is_refused_on_its_field(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(contact_email="info-at-example.org"))

    assert_refused_with(response, "contact_email", "Enter a valid email address.")


def test_duplicate_slug_is_refused_on_the_slug(editor_client):
    EventFactory(slug="annual-alliance-conference")

    response = editor_client.post(ADD_URL, event_form_data())

    assert form_errors(response)["slug"] == ["Event with this Slug already exists."]
    assert Event.objects.count() == 1


def test_the_timezone_is_picked_from_every_iana_zone_the_sites_first(editor_client):
    html = editor_client.get(ADD_URL).content.decode()

    assert '<select name="timezone"' in html
    suggested = html.split('<optgroup label="Suggested">')[1].split("</optgroup>")[0]
    assert '<option value="Europe/Vienna" selected>Europe/Vienna</option>' in suggested
    everything = html.split('<optgroup label="All timezones">')[1].split("</optgroup>")[0]
    assert '<option value="America/New_York">America/New_York</option>' in everything
    assert "select2" in html  # searchable with the admin's own select2


def test_the_venues_timezones_are_suggested_first(editor_client):
    event = EventFactory(venue=VenueFactory(country="US"), timezone="Europe/Vienna")

    html = editor_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()

    suggested = html.split('<optgroup label="Suggested">')[1].split("</optgroup>")[0]
    names = re.findall(r'<option value="([^"]+)"', suggested)
    assert names[:2] == ["America/New_York", "America/Detroit"]  # the tz database's order for US
    assert "America/Los_Angeles" in names
    assert names[-1] == "Europe/Vienna"  # the event's own (and the site's)


# Warnings that do not block ------------------------------------------------------------------------


def warnings_after_saving(client, data):
    response = client.post(ADD_URL, data, follow=True)
    assert Event.objects.count() == 1
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_event_ending_at_midnight_is_saved_with_a_warning(editor_client):
    data = event_form_data(start_1="20:00", end_0="2031-03-05", end_1="00:00")

    assert warnings_after_saving(editor_client, data) == [
        "“Annual Alliance Conference” ends exactly at midnight (Wednesday 5 March 2031, 00:00 CET). "
        "If it runs for whole days, tick “all-day” and give its dates instead."
    ]


def test_timed_event_longer_than_two_weeks_is_saved_with_a_warning(editor_client):
    data = event_form_data(end_0="2031-03-20", end_1="16:00")

    assert warnings_after_saving(editor_client, data) == [
        "“Annual Alliance Conference” is a timed event lasting 16 days. "
        "Check the end, or make it all-day if it spans whole days."
    ]


def test_venue_in_another_country_than_the_timezone_is_saved_with_a_warning(editor_client):
    venue = VenueFactory(name="Hofburg", city="Vienna", country="AT")
    data = event_form_data(timezone="America/New_York", venue=str(venue.pk))

    assert warnings_after_saving(editor_client, data) == [
        "The venue “Hofburg, Vienna” is in Austria, but the event's times are in America/New_York. "
        "Check the timezone."
    ]


def test_published_event_without_venue_or_online_link_is_saved_with_a_warning(editor_client):
    assert warnings_after_saving(editor_client, event_form_data(is_published="on")) == [
        "“Annual Alliance Conference” is published without a venue or an online link: "
        "visitors cannot tell where it is."
    ]


def test_registration_deadline_already_past_is_saved_with_a_warning(editor_client, frozen_now):
    data = event_form_data(registration_deadline_0="2021-05-31", registration_deadline_1="17:00")

    assert warnings_after_saving(editor_client, data) == [
        "The registration deadline (Monday 31 May 2021, 17:00 CEST) has already passed: "
        "visitors see registration as closed."
    ]


def test_event_without_anything_odd_is_saved_without_warnings(editor_client):
    venue = VenueFactory(country="AT")

    assert warnings_after_saving(editor_client, event_form_data(is_published="on", venue=str(venue.pk))) == []


# Concurrent edits ------------------------------------------------------------------------------------


def test_second_of_two_concurrent_saves_is_refused_and_keeps_the_input(editor_client, editor):
    event = EventFactory(title="Alliance Conference")
    opened_by_first = change_form_data(event, title="Alliance Conference 2031")
    opened_by_second = change_form_data(event, title="The Alliance Conference")

    editor_client.post(change_url(event), opened_by_first)
    response = editor_client.post(change_url(event), opened_by_second)

    assert response.status_code == 200
    history = reverse("admin:events_event_history", args=[event.pk])
    assert response.context["adminform"].form.non_field_errors() == [
        "Another editor saved this event while you were editing it, so your changes were not saved. "
        "They are still in the form below. See what changed in the "
        f'<a href="{history}" target="_blank" rel="noopener">history</a> or open the '
        f'<a href="{change_url(event)}" target="_blank" rel="noopener">current version</a> in a new tab; '
        "then save again to replace it with yours. "
        "Stored now, different from your form: Title “Alliance Conference 2031”."
    ]
    html = response.content.decode()
    assert f'href="{reverse("admin:events_event_history", args=[event.pk])}"' in html
    assert 'value="The Alliance Conference"' in html
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Alliance Conference 2031", 1)


def test_refused_concurrent_save_names_the_other_editors_start_in_the_events_timezone(editor_client):
    event = EventFactory(timezone="America/New_York", start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=NEW_YORK))
    stale = change_form_data(event)
    editor_client.post(change_url(event), change_form_data(event, start_1="09:00:00"))

    response = editor_client.post(change_url(event), stale)

    assert (
        response.context["adminform"]
        .form.non_field_errors()[0]
        .endswith(" Stored now, different from your form: Start “Tuesday 4 March 2031, 09:00 EST”.")
    )
    assert '<input type="time" name="start_1" value="10:00:00"' in response.content.decode()


def test_deleting_only_a_session_bumps_the_event_sequence_once(editor_client):
    event = EventFactory()
    SessionFactory(event=event)
    data = change_form_data(event)
    data["sessions-0-DELETE"] = "on"

    editor_client.post(change_url(event), data)

    event.refresh_from_db()
    assert (event.sequence, event.sessions.count()) == (1, 0)


def test_saving_again_after_a_refused_concurrent_save_keeps_the_second_version(editor_client):
    event = EventFactory(title="Alliance Conference")
    stale = change_form_data(event, title="The Alliance Conference")
    services.event_save(event=Event.objects.get(pk=event.pk), user=None)

    refused = editor_client.post(change_url(event), stale)
    resubmitted = {**stale, "version": refused.context["adminform"].form["version"].value()}
    response = editor_client.post(change_url(event), resubmitted)

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("The Alliance Conference", 2)


def test_saving_only_a_session_bumps_the_event_sequence_once(editor_client):
    event = EventFactory()
    SessionFactory(event=event, title="Opening")
    data = change_form_data(event)
    data["sessions-0-title"] = "Welcome"

    response = editor_client.post(change_url(event), data)

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.sequence == 1
    assert event.sessions.get().title == "Welcome"


def test_adding_only_a_document_bumps_the_event_sequence_once(editor_client):
    event = EventFactory()
    data = change_form_data(event)
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "Agenda",
            "documents-0-url": "https://example.org/agenda.pdf",
            "documents-0-position": "0",
        }
    )

    editor_client.post(change_url(event), data)

    event.refresh_from_db()
    assert event.sequence == 1
    assert event.documents.get().title == "Agenda"


def test_event_save_records_who_created_and_changed_it(editor_client, editor, admin_user):
    editor_client.post(ADD_URL, event_form_data())
    event = Event.objects.get()
    editor_client.force_login(admin_user)

    editor_client.post(change_url(event), change_form_data(event, summary="Changed."))

    event.refresh_from_db()
    assert (event.created_by, event.updated_by) == (editor, admin_user)


def test_event_change_is_kept_in_the_admin_history(editor_client):
    event = EventFactory()

    editor_client.post(change_url(event), change_form_data(event, title="Renamed"))

    response = editor_client.get(reverse("admin:events_event_history", args=[event.pk]))
    assert "<td>Changed Title.</td>" in response.content.decode()


# Change list -------------------------------------------------------------------------------------------


def test_change_list_shows_dates_in_each_events_timezone(editor_client):
    EventFactory(
        title="Hearing",
        timezone="America/New_York",
        start=dt.datetime(2031, 7, 28, 10, 0, tzinfo=NEW_YORK),
        end=dt.datetime(2031, 7, 28, 11, 0, tzinfo=NEW_YORK),
    )
    AllDayEventFactory(title="Conference", start_date=dt.date(2031, 6, 14), end_date=dt.date(2031, 6, 16))

    response = editor_client.get(LIST_URL)

    html = response.content.decode()
    assert '<td class="field-dates">July 28, 2031 @ 10:00 am – 11:00 am EDT</td>' in html
    assert '<td class="field-dates">June 14, 2031 – June 16, 2031 all-day</td>' in html


def test_change_list_filters_upcoming_and_past(editor_client, frozen_now):
    EventFactory(title="Past", start=dt.datetime(2021, 5, 1, 10, 0, tzinfo=VIENNA))
    EventFactory(title="Coming", start=dt.datetime(2021, 7, 1, 10, 0, tzinfo=VIENNA))

    upcoming = editor_client.get(LIST_URL, {"when": "upcoming"})
    past = editor_client.get(LIST_URL, {"when": "past"})

    assert [e.title for e in upcoming.context["cl"].result_list] == ["Coming"]
    assert [e.title for e in past.context["cl"].result_list] == ["Past"]


def test_change_list_filters_by_category_and_searches_titles(editor_client):
    category = CategoryFactory(name="Webinars")
    EventFactory(title="Data webinar").categories.add(category)
    EventFactory(title="Data conference")

    filtered = editor_client.get(LIST_URL, {"categories__id__exact": category.pk})
    searched = editor_client.get(LIST_URL, {"q": "conference"})

    assert [e.title for e in filtered.context["cl"].result_list] == ["Data webinar"]
    assert [e.title for e in searched.context["cl"].result_list] == ["Data conference"]


def test_change_list_query_count_does_not_grow_with_rows(editor_client, django_assert_max_num_queries):
    for _ in range(3):
        EventFactory(venue=VenueFactory())
    with django_assert_max_num_queries(12) as few:
        editor_client.get(LIST_URL)
    for _ in range(10):
        EventFactory(venue=VenueFactory())

    with django_assert_max_num_queries(len(few.captured_queries)):
        editor_client.get(LIST_URL)


# Actions -------------------------------------------------------------------------------------------------


def run_action(client, action, *events):
    return client.post(
        LIST_URL, {"action": action, "_selected_action": [str(e.pk) for e in events]}, follow=True
    )


def test_publish_action_publishes_and_bumps_the_sequence(editor_client):
    event = EventFactory(is_published=False)

    response = run_action(editor_client, "publish", event)

    event.refresh_from_db()
    assert (event.is_published, event.sequence) == (True, 1)
    assert [str(m) for m in response.context["messages"]] == ["1 event published."]


def test_actions_are_kept_in_the_admin_history(editor_client):
    event = EventFactory(is_published=False)

    run_action(editor_client, "publish", event)
    run_action(editor_client, "cancel", event)

    history = editor_client.get(reverse("admin:events_event_history", args=[event.pk])).content.decode()
    assert "<td>Published (list action).</td>" in history
    assert "<td>Marked cancelled (list action).</td>" in history


def test_publish_action_leaves_an_invalid_event_unchanged_and_says_why(editor_client):
    event = EventFactory(title="Old", is_published=False)
    # Stored before the rule existed (written plainly, as a database holds it): the deadline is after the end.
    models.QuerySet(Event).filter(pk=event.pk).update(registration_deadline=event.end + dt.timedelta(days=1))

    response = run_action(editor_client, "publish", event)

    event.refresh_from_db()
    assert (event.is_published, event.sequence) == (False, 0)
    assert [str(m) for m in response.context["messages"]] == [
        f'“<a href="{change_url(event)}">Old</a>” was left unchanged: '
        "Registration must close before the event ends (Tuesday 4 March 2031, 11:00 CET)."
    ]


def test_duplicate_action_links_to_the_new_draft(editor_client):
    event = EventFactory(title="Alliance", slug="alliance")

    response = run_action(editor_client, "duplicate", event)

    copy = Event.objects.get(slug="alliance-copy")
    assert [str(m) for m in response.context["messages"]] == [
        f"Created the draft “Alliance” (March 4, 2031 @ 10:00 am – 11:00 am CET): "
        f'<a href="{change_url(copy)}">edit it</a>.'
    ]


def test_unpublish_action_makes_drafts(editor_client):
    event = EventFactory(is_published=True)

    run_action(editor_client, "unpublish", event)

    event.refresh_from_db()
    assert event.is_published is False


def test_cancel_action_keeps_the_event_marked_cancelled(editor_client):
    event = EventFactory()

    run_action(editor_client, "cancel", event)

    event.refresh_from_db()
    assert (event.status, event.is_published) == (Event.Status.CANCELLED, True)


def test_duplicate_action_copies_sessions_and_documents_as_a_draft(editor_client, editor):
    event = EventFactory(title="Alliance", slug="alliance")
    event.categories.add(CategoryFactory())
    SessionFactory(event=event, title="Opening")
    DocumentFactory(event=event, title="Agenda")

    run_action(editor_client, "duplicate", event)

    copy = Event.objects.exclude(pk=event.pk).get()
    assert (copy.slug, copy.title, copy.is_published, copy.sequence) == (
        "alliance-copy",
        "Alliance",
        False,
        0,
    )
    assert (copy.start, copy.end) == (event.start, event.end)
    assert copy.ical_uid != event.ical_uid
    assert [s.title for s in copy.sessions.all()] == ["Opening"]
    assert [d.title for d in copy.documents.all()] == ["Agenda"]
    assert list(copy.categories.all()) == list(event.categories.all())
    assert copy.created_by == editor
    assert event.sessions.count() == 1


def test_duplicate_next_year_shifts_every_date_by_a_year(editor_client):
    event = AllDayEventFactory(
        title="21st Alliance 2021",
        slug="alliance-2021",
        timezone="Europe/Vienna",
        start_date=dt.date(2021, 6, 14),
        end_date=dt.date(2021, 6, 16),
        registration_deadline=dt.datetime(2021, 6, 10, 17, 0, tzinfo=VIENNA),
    )
    SessionFactory(
        event=event,
        start=dt.datetime(2021, 6, 14, 14, 0, tzinfo=VIENNA),
        end=dt.datetime(2021, 6, 16, 16, 30, tzinfo=VIENNA),
    )

    run_action(editor_client, "duplicate_next_year", event)

    copy = Event.objects.exclude(pk=event.pk).get()
    assert (copy.slug, copy.title) == ("alliance-2022", "21st Alliance 2022")
    assert (copy.start_date, copy.end_date) == (dt.date(2022, 6, 14), dt.date(2022, 6, 16))
    assert copy.registration_deadline.astimezone(VIENNA).isoformat() == "2022-06-10T17:00:00+02:00"
    session = copy.sessions.get()
    assert session.local_start.isoformat() == "2022-06-14T14:00:00+02:00"
    assert session.local_end.isoformat() == "2022-06-16T16:30:00+02:00"


def test_view_on_site_links_to_the_event_page(editor_client):
    event = EventFactory(slug="alliance", is_published=False)

    response = editor_client.get(change_url(event))

    assert 'href="/admin/r/' in response.content.decode()
    assert editor_client.get(response.context["original"].get_absolute_url()).status_code == 200


def test_venue_autocomplete_finds_venues_for_the_event_form(editor_client):
    VenueFactory(name="Hofburg", city="Vienna")
    VenueFactory(name="Capitol", city="Washington")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "events", "model_name": "event", "field_name": "venue", "term": "hof"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Hofburg, Vienna"]
