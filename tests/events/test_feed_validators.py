"""A calendar file's ETag and Last-Modified change whenever any byte of its body would change.

Each change below is made the way an editor or a command makes it; each file is fetched before,
then asked again with the validators it gave. Whatever changed in its body (beyond DTSTAMP, the
instant of export), the answer must be the new file, never ``304 Not Modified``. Runs on SQLite and,
in CI, on PostgreSQL.
"""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from events import services
from events.models import Category, Event, OccurrenceChange, Session, Venue
from tests.factories import (
    VIENNA,
    CategoryFactory,
    DocumentFactory,
    EventFactory,
    OrganizerFactory,
    SessionFactory,
    TagFactory,
    VenueFactory,
)

NOW = dt.datetime(2031, 1, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def conference(db):
    with time_machine.travel(NOW, tick=False):
        category = CategoryFactory(name="Conferences", slug="conferences")
        event = EventFactory(
            title="Alliance Conference",
            venue=VenueFactory(name="Hofburg"),
            organizer=OrganizerFactory(name="OSCE", email="info@example.org"),
            registration_url="https://example.org/register",
        )
        event.categories.add(category)
        event.tags.add(TagFactory(name="Europe"))
        SessionFactory(event=event, title="Opening")
        DocumentFactory(event=event, title="Agenda")
    return event


def files(event):
    """The four kinds of calendar file: whole calendar, a filtered feed, one event, a schedule."""
    session = event.sessions.get()
    return {
        "whole calendar": "/en/events/calendar.ics",
        "filtered feed": "/en/events/calendar.ics?category=conferences",
        "one event": event.get_ical_url(),
        "personal schedule": reverse("events:schedule_ics", kwargs={"slug": event.slug})
        + f"?session={session.pk}",
    }


def content(response):
    """The body without DTSTAMP lines (the instant of export, new in every answer)."""
    body = response.content if not response.streaming else b"".join(response.streaming_content)
    return re.sub(rb"DTSTAMP:[0-9TZ]+\r\n", b"", body)


def rename(model, attribute, value):
    def change(event):
        row = getattr(event, attribute) if attribute else event
        row.name = value
        row.save()

    return change


def edit_session(event):
    session = event.sessions.get()
    session.title = "Opening plenary"
    services.row_save(row=session)


def add_session(event):
    Session.objects.create(
        event=event, title="Closing", start=event.start, end=event.start + dt.timedelta(minutes=30)
    )


def delete_session(event):
    event.sessions.get().delete()


def edit_document(event):
    document = event.documents.get()
    document.title = "Final agenda"
    document.save()


def rename_event(event):
    event.title = "Alliance Conference 2031"
    services.event_save(event=event)


def unpublish(event):
    services.event_unpublish(event=event)


def delete_event(event):
    event.delete()


def move_to_new_venue(event):
    event.venue = VenueFactory(name="Messe Wien")
    event.save()


def remove_venue(event):
    event.venue = None
    event.attendance_mode = Event.AttendanceMode.ONLINE
    event.save()


def change_organizer(event):
    event.organizer = OrganizerFactory(name="ODIHR", email="odihr@example.org")
    event.save()


def remove_organizer(event):
    event.organizer = None
    event.save()


def add_tag(event):
    event.tags.add(TagFactory(name="Labour"))


def remove_tag(event):
    event.tags.clear()


def add_document(event):
    DocumentFactory(event=event, title="Concept note")


def delete_document(event):
    event.documents.get().delete()


def add_category(event):
    event.categories.add(CategoryFactory(name="Hearings"))


def remove_category(event):
    event.categories.remove(Category.objects.get(slug="conferences"))


def delete_category(event):
    Category.objects.get(slug="conferences").delete()


def rename_category_in_bulk(event):
    Category.objects.filter(slug="conferences").update(name="Annual conferences")


def rename_venue_in_bulk(event):
    Venue.objects.update(name="Hofburg Palace")


def cancel_in_bulk(event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)


def add_event(event):
    EventFactory(title="Side event", start=event.start)


def skip_a_date(event):
    event.recurrence_rule = "FREQ=WEEKLY;COUNT=4"
    event.save()
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=event.start + dt.timedelta(weeks=1)
    )


CHANGES = {
    "venue renamed": rename(Venue, "venue", "Hofburg Palace"),
    "organizer renamed": rename(None, "organizer", "OSCE Secretariat"),
    "category renamed": lambda event: rename(None, None, "Annual conferences")(
        Category.objects.get(slug="conferences")
    ),
    "tag renamed": lambda event: rename(None, None, "Europe and Central Asia")(event.tags.get()),
    "event moved to a new venue": move_to_new_venue,
    "venue removed": remove_venue,
    "organizer changed": change_organizer,
    "organizer removed": remove_organizer,
    "tag added": add_tag,
    "tag removed": remove_tag,
    "document added": add_document,
    "document deleted": delete_document,
    "category added": add_category,
    "category removed": remove_category,
    "category deleted": delete_category,
    "session edited": edit_session,
    "session added": add_session,
    "session deleted": delete_session,
    "document edited": edit_document,
    "event renamed": rename_event,
    "event unpublished": unpublish,
    "event deleted": delete_event,
    "another event added": add_event,
    "a date of the series skipped": skip_a_date,
    "category renamed in bulk": rename_category_in_bulk,
    "venue renamed in bulk": rename_venue_in_bulk,
    "event cancelled in bulk": cancel_in_bulk,
}


@pytest.mark.parametrize("file", ["whole calendar", "filtered feed", "one event", "personal schedule"])
@pytest.mark.parametrize("change", CHANGES)
def test_a_changed_file_is_never_answered_not_modified(client, conference, file, change):
    address = files(conference)[file]
    with time_machine.travel(NOW, tick=False):
        before = client.get(address)
    assert before.status_code == 200
    old_body = content(before)

    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        CHANGES[change](Event.objects.get(pk=conference.pk))
        by_etag = client.get(address, HTTP_IF_NONE_MATCH=before["ETag"])
        by_date = client.get(address, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
        fresh = client.get(address)

    new_body = content(fresh)
    if fresh.status_code != 200 or new_body != old_body:
        assert by_etag.status_code != 304, f"{change}: stale 304 for If-None-Match"
        assert by_date.status_code != 304, f"{change}: stale 304 for If-Modified-Since"
    if by_etag.status_code == 200:
        assert content(by_etag) == new_body


@pytest.mark.parametrize("file", ["whole calendar", "filtered feed", "one event", "personal schedule"])
def test_an_unchanged_file_is_answered_not_modified(client, conference, file):
    address = files(conference)[file]
    before = client.get(address)

    again = client.get(address, HTTP_IF_NONE_MATCH=before["ETag"])

    assert (again.status_code, again["ETag"]) == (304, before["ETag"])


def test_renaming_the_venue_changes_the_feed_body_and_its_etag(client, conference):
    """The bug as a subscriber met it: the venue's old name kept forever behind a 304."""
    before = client.get("/en/events/calendar.ics")
    venue = conference.venue
    venue.name = "Hofburg Palace"
    venue.save()

    again = client.get("/en/events/calendar.ics", HTTP_IF_NONE_MATCH=before["ETag"])

    assert again.status_code == 200
    assert b"LOCATION:Hofburg Palace\\, Vienna\\, Austria" in content(again)


@pytest.mark.parametrize("query", ["", "?category=conferences"])
def test_an_event_leaving_the_feed_window_changes_both_validators(db, client, settings, query):
    settings.ICS_FEED_PAST_DAYS = 30
    category = CategoryFactory(name="Conferences", slug="conferences")
    leaving = EventFactory(title="Leaving", start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA))
    staying = EventFactory(title="Staying", start=dt.datetime(2031, 6, 4, 10, 0, tzinfo=VIENNA))
    for event in (leaving, staying):
        event.categories.add(category)
    with time_machine.travel(dt.datetime(2031, 4, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        before = client.get(f"/en/events/calendar.ics{query}")
    # Nothing is edited: a month later the first event has ended more than 30 days ago.
    with time_machine.travel(dt.datetime(2031, 5, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        by_etag = client.get(f"/en/events/calendar.ics{query}", HTTP_IF_NONE_MATCH=before["ETag"])
        by_date = client.get(
            f"/en/events/calendar.ics{query}", HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]
        )

    assert b"SUMMARY:Leaving" in content(before)
    assert (by_etag.status_code, by_date.status_code) == (200, 200)
    body = content(by_etag)
    assert (b"SUMMARY:Leaving" in body, b"SUMMARY:Staying" in body) == (False, True)


def test_a_new_site_address_changes_the_etag(client, conference, settings):
    before = client.get("/en/events/calendar.ics")
    settings.SITE_URL = "https://events.example.org"

    again = client.get("/en/events/calendar.ics", HTTP_IF_NONE_MATCH=before["ETag"])

    assert again.status_code == 200
    assert b"URL:https://events.example.org/en/events/" in content(again)
