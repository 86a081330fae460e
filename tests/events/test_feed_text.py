"""Feeds copy each event's stored VEVENT text (events.calendar_files.stored), with the site's address put in
as they are served: the same file as building it (folded around the address), kept current by
every edit an editor can make, never stale, whatever the site's address."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import transaction

from events import services
from events.calendar_files import builder, stored
from events.models import Event, EventFeedText, OccurrenceChange
from tests.factories import (
    AllDayEventFactory,
    CategoryFactory,
    EventFactory,
    OrganizerFactory,
    SessionFactory,
    VenueFactory,
)

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
SITE = "https://events.example.org"
pytestmark = pytest.mark.django_db


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE
    return SITE


def feed(client):
    response = client.get("/en/events/calendar.ics")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def vevents(data):
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def content_lines(data):
    """A file's logical lines (RFC 5545 §3.1: folding is how lines travel, not what they say), after
    checking that every physical line holds at most 75 octets."""
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    return data.replace(b"\r\n ", b"").split(b"\r\n")


def stored_text(event):
    return EventFeedText.objects.get(event=event).text


def a_calendar(committed):
    """A one-off event with a venue, organizer, category and two sessions; a weekly series with a
    skipped and a changed date; an all-day event."""
    with committed():
        venue = VenueFactory(name="Hofburg", city="Vienna")
        organizer = OrganizerFactory(name="OSCE, Vienna", email="info@example.org")
        conference = EventFactory(title="Conference; day one", venue=venue, organizer=organizer)
        conference.categories.add(CategoryFactory(name="Events"))
        SessionFactory(event=conference, title="Opening")
        SessionFactory(event=conference, title="Closing", start=conference.start + dt.timedelta(minutes=30))
        first = dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
        series = EventFactory(title="Weekly hearing", start=first, recurrence_rule="FREQ=WEEKLY;COUNT=4")
        OccurrenceChange.objects.create(
            event=series, kind="skip", original_start=first + dt.timedelta(weeks=1)
        )
        OccurrenceChange.objects.create(
            event=series, kind="change", original_start=first + dt.timedelta(weeks=2), title="Moved hearing"
        )
        AllDayEventFactory(title="Open day", start_date=dt.date(2031, 6, 14))
    return conference, series


def test_saving_events_stores_the_text_a_feed_would_build(site_url, committed, client, frozen_now):
    a_calendar(committed)
    assert EventFeedText.objects.count() == 3

    copied = feed(client)
    EventFeedText.objects.all().delete()
    built = feed(client)

    assert content_lines(copied) == content_lines(built)
    assert [str(v["SUMMARY"]) for v in vevents(copied)] == [
        "Conference; day one",
        "Conference; day one: Opening",
        "Conference; day one: Closing",
        "Weekly hearing",
        "Moved hearing",
        "Open day",
    ]


@pytest.mark.parametrize("which", ["conference", "series"])
def test_an_events_own_file_copies_its_stored_text_as_the_builder_writes_it(
    site_url, committed, client, frozen_now, which, django_assert_num_queries, monkeypatch
):
    event = dict(zip(["conference", "series"], a_calendar(committed), strict=True))[which]
    build = builder.event_components

    monkeypatch.setattr(builder, "event_components", None)  # copied, not built
    with django_assert_num_queries(4):  # the event with its text and revision, three prefetches
        copied = client.get(event.get_ical_url()).content
    monkeypatch.setattr(builder, "event_components", build)
    EventFeedText.objects.all().delete()
    built = client.get(event.get_ical_url()).content

    assert content_lines(copied) == content_lines(built)
    assert b"DTSTAMP:20210601T120000Z" in copied


def test_a_feed_of_stored_texts_takes_two_queries_however_many_events(
    site_url, committed, client, django_assert_num_queries
):
    with committed():
        for day in range(30):
            event = EventFactory(start=dt.datetime(2031, 3, 1, 10, tzinfo=VIENNA) + dt.timedelta(days=day))
            SessionFactory(event=event)

    with django_assert_num_queries(2):  # version and timezones, the stored texts
        assert len(vevents(feed(client))) == 60


def test_the_feed_stamps_every_copied_vevent_with_the_time_of_export(site_url, committed, client, frozen_now):
    conference, _ = a_calendar(committed)
    assert "DTSTAMP:19700101T000000Z" in stored_text(conference)

    stamps = {v["DTSTAMP"].dt for v in vevents(feed(client))}

    assert stamps == {dt.datetime(2021, 6, 1, 12, 0, tzinfo=dt.UTC)}


def test_links_use_the_site_address_whatever_host_the_request_came_to(site_url, committed, client):
    conference, _ = a_calendar(committed)

    urls = {str(v["URL"]) for v in vevents(feed(client))}

    assert f"{SITE}/en/events/{conference.slug}/" in urls
    assert all(url.startswith(SITE) for url in urls)


def test_editing_the_event_writes_its_text_again(site_url, committed):
    conference, _ = a_calendar(committed)

    with committed():
        conference.title = "Renamed"
        conference.status = Event.Status.CANCELLED
        conference.save()

    text = stored_text(conference)
    assert "SUMMARY:Renamed" in text
    assert "SUMMARY:Renamed: Opening" in text
    assert "STATUS:CANCELLED" in text


def test_editing_a_venue_organizer_or_category_rewrites_every_event_showing_it(site_url, committed):
    conference, _ = a_calendar(committed)

    with committed():
        venue = conference.venue
        venue.name = "Redoutensaal"
        venue.save()
        organizer = conference.organizer
        organizer.name = "ODIHR"
        organizer.save()
        category = conference.categories.get()
        category.name = "Conferences"
        category.save()

    text = stored_text(conference)
    assert "LOCATION:Redoutensaal" in text
    assert "CN=ODIHR" in text
    assert "CATEGORIES:Conferences" in text


def test_changing_categories_sessions_and_dates_rewrites_the_text(site_url, committed):
    conference, series = a_calendar(committed)

    with committed():
        conference.categories.clear()
        conference.sessions.get(title="Opening").delete()
        SessionFactory(event=conference, title="Lunch talk")
        series.occurrence_changes.filter(kind="skip").delete()

    text = stored_text(conference)
    assert "CATEGORIES" not in text
    assert "Opening" not in text
    assert "Lunch talk" in text
    assert "EXDATE" not in stored_text(series)


def test_deleting_a_category_rewrites_its_events(site_url, committed):
    conference, _ = a_calendar(committed)

    with committed():
        conference.categories.get().delete()

    assert "CATEGORIES" not in stored_text(conference)


def test_bulk_changes_of_a_series_dates_rewrite_its_text(site_url, committed):
    _, series = a_calendar(committed)
    skip = OccurrenceChange(kind="skip", original_start=series.start + dt.timedelta(weeks=3))

    with committed():
        services.event_occurrence_changes_save(event=series, saved=[skip])

    assert stored_text(series).count("EXDATE") == 2


def test_a_text_goes_stale_at_once_and_is_written_once_when_the_transaction_commits(
    site_url, committed, monkeypatch
):
    conference, _ = a_calendar(committed)
    written = []
    render = stored.render
    monkeypatch.setattr(stored, "render", lambda event, **kw: written.append(event.pk) or render(event, **kw))

    with committed():
        conference.title = "Renamed"
        conference.save()
        # Until the commit no feed may copy the old text: it is gone, and feeds build the event.
        assert not EventFeedText.objects.filter(event=conference).exists()
        SessionFactory(event=conference, title="Another")
        conference.categories.clear()

    assert written == [conference.pk]
    assert "SUMMARY:Renamed" in stored_text(conference)


def test_a_new_event_has_no_text_to_drop_and_gets_one_on_commit(site_url, committed, monkeypatch):
    dropped = []
    drop = stored.drop
    monkeypatch.setattr(stored, "drop", lambda ids, **kw: dropped.append(set(ids)) or drop(ids, **kw))

    with committed():
        event = EventFactory(title="New talk")
        built = EventFactory.build(title="Bulk talk", slug="bulk-talk")
        built.derive_schedule()  # (what save() does: bulk_create does not)
        Event.objects.bulk_create([built])

    assert dropped == []
    assert "SUMMARY:New talk" in stored_text(event)
    assert "SUMMARY:Bulk talk" in stored_text(Event.objects.get(slug="bulk-talk"))
    with committed():
        event.title = "Renamed talk"
        event.save()
    assert dropped == [{event.pk}]
    assert "SUMMARY:Renamed talk" in stored_text(event)


def test_a_rolled_back_edit_keeps_the_text_it_had(site_url, committed):
    conference, _ = a_calendar(committed)
    before = stored_text(conference)

    def edit_then_fail():
        with transaction.atomic():
            conference.title = "Never saved"
            conference.save()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        edit_then_fail()

    assert stored_text(conference) == before


def test_a_text_that_cannot_be_written_is_logged_and_the_feed_builds_the_event(
    site_url, committed, client, monkeypatch, caplog
):
    conference, _ = a_calendar(committed)

    def broken(*args, **kwargs):
        raise ValueError("disk full")

    monkeypatch.setattr(stored, "render", broken)
    with committed():
        conference.title = "Renamed"
        conference.save()

    assert "Could not write the feed text" in caplog.text
    assert not EventFeedText.objects.filter(event=conference).exists()
    assert "Renamed" in [str(v["SUMMARY"]) for v in vevents(feed(client))]


def test_stored_texts_serve_a_changed_site_address_without_being_written_again(
    site_url, committed, client, settings, django_assert_num_queries
):
    a_calendar(committed)
    settings.SITE_URL = "https://calendar.example.com"

    with django_assert_num_queries(2):  # copied, not built
        data = feed(client)

    urls = {str(v["URL"]) for v in vevents(data)}
    assert len(urls) == 5
    assert all(url.startswith("https://calendar.example.com/en/events/") for url in urls)
    assert all(str(v["DESCRIPTION"]).endswith(str(v["URL"])) for v in vevents(data))
    content_lines(data)


@pytest.mark.parametrize("host", ["localhost", "calendar.internal.example.org", "192.0.2.7"])
def test_without_a_site_address_texts_are_stored_and_serve_each_requests_host(
    committed, client, settings, host, django_assert_num_queries, frozen_now
):
    """The fast path is every installation's: no DJANGO_SITE_URL, stored texts all the same, the
    links for the host the request came to (a feed at 100,000 events took 802 queries and 9.2 s
    without the setting, 2 queries and 0.34 s with it)."""
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = [host]
    a_calendar(committed)
    assert EventFeedText.objects.filter(key=stored.current_key()).count() == 3

    with django_assert_num_queries(2):
        response = client.get("/en/events/calendar.ics", HTTP_HOST=host)
        data = b"".join(response.streaming_content)

    assert {str(v["URL"]).split("/en/events/")[0] for v in vevents(data)} == {f"http://{host}"}
    EventFeedText.objects.all().delete()
    built = b"".join(client.get("/en/events/calendar.ics", HTTP_HOST=host).streaming_content)
    assert content_lines(data) == content_lines(built)


def test_an_address_too_long_for_a_folded_line_is_served_by_building(committed, client, settings):
    long_address = "https://" + "a" * 60 + ".example.org"  # 80 octets: more than a line holds
    settings.SITE_URL = long_address
    a_calendar(committed)

    data = feed(client)

    assert {str(v["URL"]).split("/en/events/")[0] for v in vevents(data)} == {long_address}
    content_lines(data)


def test_a_feed_stored_texts_cannot_serve_builds_the_events_that_have_none_too(committed, client, settings):
    settings.SITE_URL = "https://" + "a" * 60 + ".example.org"
    conference, series = a_calendar(committed)
    stored.drop([conference.pk])  # as a large import leaves them until the worker writes them

    urls = {str(v["URL"]) for v in vevents(feed(client))}

    assert f"{settings.SITE_URL}/en/events/{conference.slug}/" in urls
    assert f"{settings.SITE_URL}/en/events/{series.slug}/" in urls


def test_stored_texts_hold_no_address_of_the_site(site_url, committed):
    a_calendar(committed)

    for text in EventFeedText.objects.values_list("text", flat=True):
        assert SITE not in text
        assert f"\r\n {stored.SITE_MARK}\r\n" in text  # on a folded line of its own


def test_refresh_command_writes_every_text_again(site_url, committed, capsys):
    a_calendar(committed)
    EventFeedText.objects.update(key="4 https://events.example.org", text="old")

    call_command("refresh_feed_text")

    out = capsys.readouterr().out
    assert "Wrote the feed text of 3 events (en)." in out
    assert "Removed 3 texts written in an older format." in out
    assert set(EventFeedText.objects.values_list("key", flat=True)) == {stored.current_key()}
    assert "old" not in set(EventFeedText.objects.values_list("text", flat=True))


def test_generated_events_get_their_texts(site_url, committed):
    with committed():
        call_command("generate_events", "20", "--seed", "3", "--articles", "0", verbosity=0)

    assert EventFeedText.objects.count() == Event.objects.count() == 20


@pytest.mark.parametrize(
    "address", ["events.example.org", "https://events.example.org/calendar", "ftp://x.org"]
)
def test_a_site_address_that_is_not_one_is_a_configuration_error(settings, address):
    settings.SITE_URL = address

    with pytest.raises(SystemCheckError, match=r"events\.E001"):
        call_command("check")


def test_deploy_check_warns_when_no_site_address_is_set(settings):
    settings.SITE_URL = ""

    with pytest.raises(SystemCheckError, match=r"events\.W001"):
        call_command("check", "--deploy", "--tag", "events", "--fail-level", "WARNING")
