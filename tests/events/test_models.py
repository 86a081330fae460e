"""The event model's rules: schedules, the end-before-start invariant, derived display values."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from events.models import CalendarEntry, Event, Session, Venue
from tests.factories import AllDayEventFactory, DocumentFactory, EventFactory, SessionFactory, VenueFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def test_all_day_event_instants_are_local_midnights_with_exclusive_end():
    event = AllDayEventFactory(start_date=dt.date(2021, 6, 14), end_date=dt.date(2021, 6, 16))

    assert event.start.isoformat() == "2021-06-14T00:00:00+02:00"
    assert event.end.isoformat() == "2021-06-17T00:00:00+02:00"


def test_all_day_event_dates_do_not_depend_on_the_event_timezone():
    event = AllDayEventFactory(
        timezone="America/New_York", start_date=dt.date(2021, 6, 14), end_date=dt.date(2021, 6, 16)
    )

    event.refresh_from_db()
    assert (event.start_date, event.end_date) == (dt.date(2021, 6, 14), dt.date(2021, 6, 16))
    assert event.start.astimezone(NEW_YORK).isoformat() == "2021-06-14T00:00:00-04:00"


def test_timed_event_dates_are_read_in_its_own_timezone():
    # 22:30 in New York on 28 July is already 29 July in Vienna.
    event = EventFactory(
        timezone="America/New_York",
        start=dt.datetime(2020, 7, 28, 22, 30, tzinfo=NEW_YORK),
        end=dt.datetime(2020, 7, 28, 23, 30, tzinfo=NEW_YORK),
    )

    assert (event.start_date, event.end_date) == (dt.date(2020, 7, 28), dt.date(2020, 7, 28))


def test_timed_event_ending_at_midnight_does_not_cover_the_next_day():
    event = EventFactory(
        start=dt.datetime(2031, 3, 4, 22, 0, tzinfo=VIENNA), end=dt.datetime(2031, 3, 5, 0, 0, tzinfo=VIENNA)
    )

    assert event.end_date == dt.date(2031, 3, 4)


def test_timed_event_crossing_midnight_covers_both_days():
    event = EventFactory(
        start=dt.datetime(2031, 3, 4, 22, 0, tzinfo=VIENNA), end=dt.datetime(2031, 3, 5, 1, 0, tzinfo=VIENNA)
    )

    assert (event.start_date, event.end_date) == (dt.date(2031, 3, 4), dt.date(2031, 3, 5))


def test_database_refuses_an_event_that_ends_before_it_starts():
    event = EventFactory()
    with pytest.raises(IntegrityError, match="events_event_end_not_before_start"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(end=event.start - dt.timedelta(minutes=1))


def test_database_refuses_an_all_day_range_that_ends_before_it_starts():
    event = AllDayEventFactory()
    with (
        pytest.raises(IntegrityError, match="events_event_end_date_not_before_start_date"),
        transaction.atomic(),
    ):
        Event.objects.filter(pk=event.pk).update(end_date=event.start_date - dt.timedelta(days=1))


def test_database_refuses_a_session_that_ends_before_it_starts():
    session = SessionFactory()
    with pytest.raises(IntegrityError, match="events_session_end_not_before_start"), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(end=session.start - dt.timedelta(hours=1))


def test_clean_reports_a_timed_end_before_start_on_the_end_field():
    event = EventFactory.build(
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA), end=dt.datetime(2031, 3, 4, 9, 0, tzinfo=VIENNA)
    )

    with pytest.raises(ValidationError) as caught:
        event.full_clean()

    assert caught.value.message_dict["end"] == ["The end must not be before the start."]


def test_clean_reports_an_all_day_end_before_start_on_the_end_date_field():
    event = AllDayEventFactory.build(start_date=dt.date(2031, 6, 14), end_date=dt.date(2031, 6, 13))

    with pytest.raises(ValidationError) as caught:
        event.full_clean()

    assert caught.value.message_dict["end_date"] == ["The end must not be before the start."]


def test_clean_requires_dates_for_an_all_day_event_and_times_for_a_timed_one():
    all_day = Event(title="A", slug="a", all_day=True)
    timed = Event(title="T", slug="t", all_day=False)

    with pytest.raises(ValidationError) as all_day_error:
        all_day.full_clean()
    with pytest.raises(ValidationError) as timed_error:
        timed.full_clean()

    assert {"start_date", "end_date"} <= set(all_day_error.value.message_dict)
    assert {"start", "end"} <= set(timed_error.value.message_dict)


def test_clean_rejects_an_unknown_timezone_with_a_message():
    event = EventFactory.build(timezone="Europe/Atlantis")

    with pytest.raises(ValidationError) as caught:
        event.full_clean()

    assert caught.value.message_dict["timezone"] == [
        "“Europe/Atlantis” is not a known timezone. Use an IANA name such as Europe/Vienna."
    ]


def test_clean_rejects_a_price_on_a_free_event():
    event = EventFactory.build(is_free=True, cost_amount=10, cost_currency="EUR")

    with pytest.raises(ValidationError) as caught:
        event.full_clean()

    assert "cost_amount" in caught.value.message_dict


def test_new_event_defaults_to_the_site_timezone(settings):
    assert Event().timezone == settings.TIME_ZONE == "Europe/Vienna"


def test_ical_uid_is_unique_stable_and_names_the_site_domain(settings):
    settings.SITE_DOMAIN = "calendar.example.org"
    first, second = EventFactory(), EventFactory()
    uid = first.ical_uid

    first.title = "Renamed"
    first.save()
    first.refresh_from_db()

    assert first.ical_uid == uid
    assert uid.endswith("@calendar.example.org")
    assert first.ical_uid != second.ical_uid


def test_sequence_grows_with_every_saved_change():
    event = EventFactory()
    assert event.sequence == 0

    event.title = "Changed"
    event.save()
    event.save()

    event.refresh_from_db()
    assert event.sequence == 2


def test_registration_is_open_until_the_deadline():
    event = EventFactory(registration_deadline=dt.datetime(2021, 6, 10, 17, 0, tzinfo=VIENNA))

    assert event.registration_is_open(now=dt.datetime(2021, 6, 10, 16, 59, tzinfo=VIENNA))
    assert not event.registration_is_open(now=dt.datetime(2021, 6, 10, 17, 0, tzinfo=VIENNA))


def test_registration_without_deadline_closes_when_the_event_ends_or_is_cancelled():
    event = EventFactory(registration_url="https://example.org/register")

    assert event.registration_is_open(now=event.end - dt.timedelta(seconds=1))
    assert not event.registration_is_open(now=event.end)
    event.status = Event.Status.CANCELLED
    assert not event.registration_is_open(now=event.start - dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"is_free": True}, "Free"),
        ({"cost_text": "€50, students €20"}, "€50, students €20"),
        ({"cost_amount": 25, "cost_currency": "EUR"}, "25 EUR"),
        ({}, ""),
    ],
)
def test_cost_display(fields, expected):
    assert Event(**fields).cost_display == expected


def test_location_of_a_mixed_event_names_the_venue_and_the_online_platform():
    venue = VenueFactory(name="Hofburg", city="Vienna", country="AT")
    event = EventFactory(
        venue=venue, attendance_mode="mixed", online_platform="Zoom", online_access="upon registration"
    )

    assert event.location_display == "Hofburg, Vienna, Austria and online via Zoom (upon registration)"


def test_location_of_an_online_event_ignores_a_leftover_venue():
    event = EventFactory(venue=VenueFactory(), attendance_mode="online")

    assert event.location_display == "Online"


def test_schema_org_values():
    event = Event(status="moved_online", attendance_mode="mixed")

    assert event.schema_org_status == "https://schema.org/EventMovedOnline"
    assert event.schema_org_attendance_mode == "https://schema.org/MixedEventAttendanceMode"


def test_upcoming_includes_running_events_and_past_holds_the_rest():
    now = dt.datetime(2031, 3, 4, 10, 30, tzinfo=VIENNA)
    running = EventFactory(start=now - dt.timedelta(minutes=30))
    later = EventFactory(start=now + dt.timedelta(days=1))
    over = EventFactory(start=now - dt.timedelta(days=1))

    assert list(Event.objects.upcoming(now=now)) == [running, later]
    assert list(Event.objects.past(now=now)) == [over]


def test_published_hides_drafts():
    published = EventFactory()
    EventFactory(is_published=False)

    assert list(Event.objects.published()) == [published]


def test_sessions_are_ordered_by_start():
    event = EventFactory()
    late = SessionFactory(event=event, start=event.start + dt.timedelta(minutes=30))
    early = SessionFactory(event=event, start=event.start)

    assert list(event.sessions.all()) == [early, late]


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (dt.datetime(2031, 3, 4, 10, 0), dt.datetime(2031, 3, 4, 12, 0), 1),
        (dt.datetime(2031, 3, 4, 10, 0), dt.datetime(2031, 3, 4, 10, 0), 0),
        (dt.datetime(2031, 3, 4, 22, 0), dt.datetime(2031, 3, 6, 0, 0), 2),  # 26 hours, two dates
        (dt.datetime(2031, 3, 4, 23, 0), dt.datetime(2031, 3, 5, 1, 0), 1),  # 2 hours, two dates
    ],
)
def test_duration_days_of_a_timed_event_covers_its_hours_and_its_dates(start, end, days):
    event = EventFactory(start=start.replace(tzinfo=VIENNA), end=end.replace(tzinfo=VIENNA))

    assert event.duration_days == days


def test_duration_days_of_an_all_day_event_counts_its_dates():
    event = AllDayEventFactory(start_date=dt.date(2031, 6, 14), end_date=dt.date(2031, 6, 16))

    assert event.duration_days == 3


def test_overlapping_dates_finds_long_events_that_started_long_before_the_window():
    # The query bounds how early an overlapping event may start with the longest event: these
    # are the longest, and must still be found; a short one that ended before the window is not.
    season = AllDayEventFactory(start_date=dt.date(2031, 1, 1), end_date=dt.date(2031, 3, 1))
    retreat = EventFactory(
        start=dt.datetime(2031, 2, 20, 10, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 3, 1, 0, 30, tzinfo=VIENNA),
    )
    EventFactory(
        start=dt.datetime(2031, 2, 28, 22, 0, tzinfo=VIENNA), end=dt.datetime(2031, 3, 1, 0, 0, tzinfo=VIENNA)
    )
    AllDayEventFactory(start_date=dt.date(2031, 2, 27), end_date=dt.date(2031, 2, 28))
    at_midnight = EventFactory(
        start=dt.datetime(2031, 3, 1, 0, 0, tzinfo=VIENNA), end=dt.datetime(2031, 3, 1, 0, 0, tzinfo=VIENNA)
    )

    found = Event.objects.overlapping_dates(dt.date(2031, 3, 1), dt.date(2031, 3, 31), VIENNA)

    assert set(found) == {season, retreat, at_midnight}


def test_venue_ids_containing_each_word_in_name_or_city():
    hofburg = VenueFactory(name="Hofburg", city="Vienna")
    town_hall = VenueFactory(name="Town Hall", city="Bad Hofgastein")
    VenueFactory(name="Library", city="Graz")

    ids = Venue.objects.ids_containing_each(["HOF", "vienna", "nowhere"])

    assert ids == [[hofburg.pk, town_hall.pk], [hofburg.pk], []]


def test_calendar_entries_are_the_one_off_events_of_overlapping_dates_as_light_rows():
    # The same edges as overlapping_dates(): a long all-day season and a long retreat found, an
    # evening ending at midnight and a day before the window not; a series is not an entry.
    season = AllDayEventFactory(title="Season", start_date=dt.date(2031, 1, 1), end_date=dt.date(2031, 3, 1))
    retreat = EventFactory(
        title="Retreat",
        start=dt.datetime(2031, 2, 20, 10, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 3, 1, 0, 30, tzinfo=VIENNA),
    )
    EventFactory(
        start=dt.datetime(2031, 2, 28, 22, 0, tzinfo=VIENNA), end=dt.datetime(2031, 3, 1, 0, 0, tzinfo=VIENNA)
    )
    AllDayEventFactory(start_date=dt.date(2031, 2, 27), end_date=dt.date(2031, 2, 28))
    EventFactory(start=dt.datetime(2031, 3, 3, 9, 0, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY")
    EventFactory(title="Draft", is_published=False, start=dt.datetime(2031, 3, 2, 9, 0, tzinfo=VIENNA))

    entries = Event.objects.published().calendar_entries(dt.date(2031, 3, 1), dt.date(2031, 3, 31), VIENNA)

    assert sorted(entries) == [
        CalendarEntry(season.pk, True, season.start, season.end, season.start_date, season.end_date),
        CalendarEntry(retreat.pk, False, retreat.start, retreat.end, retreat.start_date, retreat.end_date),
    ]


def test_calendar_cells_load_what_a_cell_shows_in_one_query(django_assert_num_queries):
    talk = EventFactory(title="Talk", status=Event.Status.CANCELLED)
    [entry] = Event.objects.calendar_entries(talk.start_date, talk.start_date)

    with django_assert_num_queries(1):
        event = Event.objects.for_calendar_cells().in_bulk([entry.pk])[entry.pk]
        shown = (event.pk, event.title, event.is_cancelled, event.get_absolute_url(), event.start)

    assert shown == (talk.pk, "Talk", True, "/en/events/talk/", talk.start)


def test_check_constraints_are_validated_in_one_query_with_only_the_fields_they_name(monkeypatch):
    """full_clean() still refuses a row that breaks a check, and asks about all of the model's
    checks in one query built from the fields they name only (Django's default asks one query a
    check, each built from all 43 of an event's fields, which took 40% of an import's time to
    save an event)."""
    from django.db.models.sql.query import Query

    built = []
    add_annotation = Query.add_annotation
    monkeypatch.setattr(
        Query,
        "add_annotation",
        lambda query, value, alias, **kwargs: (
            built.append(alias) or add_annotation(query, value, alias, **kwargs)
        ),
    )
    event = EventFactory.build(is_free=True, cost_amount=5)

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as raised:
        event.validate_constraints()

    assert raised.value.messages == ["Constraint “events_event_free_has_no_amount” is violated."]
    assert len(selects(queries)) == 1  # (inside a transaction, in a savepoint, as Django's own)
    named = {"end", "start", "end_date", "start_date", "is_free", "cost_amount"}
    assert sorted(built) == sorted(named | {"check_0", "check_1", "check_2"})


def selects(queries):
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT")]


def test_each_broken_check_is_named_and_unbroken_ones_are_not():
    event = EventFactory.build(is_free=True, cost_amount=5)
    event.end = event.start - dt.timedelta(hours=1)

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as raised:
        event.validate_constraints()

    assert len(selects(queries)) == 1

    assert sorted(raised.value.messages) == [
        "Constraint “events_event_end_not_before_start” is violated.",
        "Constraint “events_event_free_has_no_amount” is violated.",
    ]
    event.is_free, event.end = False, event.start + dt.timedelta(hours=1)
    event.validate_constraints()  # no error


def test_a_check_on_an_excluded_field_is_not_asked():
    event = EventFactory.build(is_free=True, cost_amount=5)

    event.validate_constraints(exclude={"cost_amount"})  # as Django: that check is skipped


def test_a_venue_with_one_coordinate_is_refused_by_its_check():
    venue = VenueFactory.build(latitude=48.2, longitude=None)

    with pytest.raises(ValidationError) as raised:
        venue.validate_constraints()

    assert "Constraint “events_venue_coordinates_both_or_neither” is violated." in raised.value.messages


def test_a_single_check_is_validated_from_its_own_fields_and_skipped_when_one_is_excluded():
    # Document has one check: validated by the constraint itself (events.models.constraints).
    document = DocumentFactory.build(file="agenda.pdf", url="https://example.org/agenda.pdf")

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as raised:
        document.validate_constraints()

    assert raised.value.messages == ["Constraint “events_document_not_both_file_and_url” is violated."]
    assert len(selects(queries)) == 1
    document.validate_constraints(exclude={"url"})  # as Django: a check on an excluded field is skipped
    document.url = ""
    document.validate_constraints()
