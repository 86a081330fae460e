"""Export → import → export gives back every field the export writes, unchanged.

Importing the site's own .ics (an attendee's copy, a backup, a move between sites) must not change
the events it describes: not the formatted description, the summary or registration around it in
DESCRIPTION, a session's description, the status, nor the SEQUENCE that tells calendar apps an
event changed. Each kind of event the site has is tried: all-day and multi-day with registration
and sessions, timed in another zone, multi-session, repeating with changed dates, cancelled,
rescheduled.
"""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest

from events.calendar_files.importer import import_calendar
from events.models import Event, OccurrenceChange, Session
from tests.factories import AllDayEventFactory, CategoryFactory, EventFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

FORMATTED = (
    "<h2>The Alliance</h2><p>An <strong>annual</strong> gathering, see "
    '<a href="https://www.osce.org/cthb" rel="noopener noreferrer">the OSCE page</a>.</p>'
    "<ul><li>Demand</li><li>Prevention</li></ul><p>Line one<br>line two</p>"
)


def all_day_conference():
    event = AllDayEventFactory(
        title="Alliance conference",
        slug="alliance-conference",
        start_date=dt.date(2031, 6, 14),
        end_date=dt.date(2031, 6, 16),
        summary="A spotlight on demand.",
        description=FORMATTED,
        registration_url="https://events.example.org/register",
        registration_deadline=dt.datetime(2031, 6, 10, 17, 0, tzinfo=VIENNA),
        contact_email="info@example.org",
        venue=VenueFactory(name="Hofburg", city="Vienna"),
    )
    event.categories.add(CategoryFactory(name="Events"))
    SessionFactory(
        event=event,
        title="Opening",
        start=dt.datetime(2031, 6, 14, 14, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 6, 14, 16, 30, tzinfo=VIENNA),
        description="<p>Welcome <em>words</em>.</p>",
    )
    SessionFactory(
        event=event,
        title="Closing",
        start=dt.datetime(2031, 6, 16, 15, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 6, 16, 16, 30, tzinfo=VIENNA),
        location="Room 2",
    )
    return event


def timed_in_washington():
    start = dt.datetime(2031, 7, 28, 10, 0, tzinfo=NEW_YORK)
    return EventFactory(
        title="Hearing",
        slug="hearing",
        timezone="America/New_York",
        start=start,
        end=start + dt.timedelta(hours=1),
        description="<p>Date: Tuesday – 10:00am<br>Location: online</p>",
    )


def weekly_call():
    event = EventFactory(
        title="Weekly call",
        slug="weekly-call",
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        description="<p>Every Tuesday.</p>",
    )
    OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)
    )
    OccurrenceChange.objects.create(
        event=event,
        kind="change",
        original_start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA),
        start=dt.datetime(2031, 3, 18, 15, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 3, 18, 16, 0, tzinfo=VIENNA),
        title="Weekly call (afternoon)",
    )
    OccurrenceChange.objects.create(
        event=event, kind="add", original_start=dt.datetime(2031, 4, 17, 10, 0, tzinfo=VIENNA)
    )
    return event


def cancelled():
    return EventFactory(title="Cancelled forum", slug="cancelled-forum", status=Event.Status.CANCELLED)


def rescheduled():
    return EventFactory(
        title="Moved workshop",
        slug="moved-workshop",
        status=Event.Status.RESCHEDULED,
        start=dt.datetime(2031, 5, 5, 9, 0, tzinfo=VIENNA),
    )


KINDS = {
    "all-day, multi-day, registration, sessions": all_day_conference,
    "timed in another zone": timed_in_washington,
    "repeating with changed dates": weekly_call,
    "cancelled": cancelled,
    "rescheduled": rescheduled,
}


def export(client, slug):
    response = client.get(f"/en/events/{slug}.ics")
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def fields(data):
    """{(UID, RECURRENCE-ID): {property: [values as written]}} of every VEVENT, DTSTAMP aside."""
    calendar = icalendar.Calendar.from_ical(data)
    items = {}
    for component in calendar.walk("VEVENT"):
        key = (str(component["UID"]), component.get("RECURRENCE-ID") and component["RECURRENCE-ID"].to_ical())
        written = {}
        for name, value in component.property_items(recursive=False):
            if name not in {"BEGIN", "END", "DTSTAMP"}:
                written.setdefault(name, []).append(value.to_ical())
        items[key] = written
    return items


def rows(event):
    event = Event.objects.get(pk=event.pk)
    sessions = list(Session.objects.filter(event=event).order_by("pk").values())
    changes = list(event.occurrence_changes.order_by("original_start").values())
    return (
        {name: value for name, value in vars(event).items() if not name.startswith("_")},
        sessions,
        changes,
    )


@pytest.mark.parametrize("make", KINDS.values(), ids=KINDS.keys())
def test_importing_our_own_export_changes_nothing(client, make):
    event = make()
    before_rows = rows(event)
    first = export(client, event.slug)

    summary = import_calendar(first)

    assert (summary.created, summary.updated) == ([], [])
    assert {reason for _, reason in summary.skipped} == {"unchanged"}
    assert rows(event) == before_rows  # SEQUENCE, updated_at and the description included
    assert fields(export(client, event.slug)) == fields(first)


@pytest.mark.parametrize("make", KINDS.values(), ids=KINDS.keys())
def test_every_field_of_the_export_is_compared(client, make):
    """The comparison above is not empty: each file has its event and what it is made of."""
    event = make()
    items = fields(export(client, event.slug))
    main = items[(event.ical_uid, None)]
    for name in ("UID", "SEQUENCE", "SUMMARY", "DTSTART", "DTEND", "STATUS", "DESCRIPTION", "URL"):
        assert name in main
    if event.sessions.exists():
        assert len(items) == 1 + event.sessions.count()
    if event.is_recurring:
        assert {"RRULE", "EXDATE", "RDATE"} <= main.keys()
        assert len(items) == 2  # the series and its changed date


def test_an_export_edited_elsewhere_changes_what_was_edited_only(client):
    """A calendar app that changes the description's wording (not our frame) changes the event."""
    event = all_day_conference()
    sequence = Event.objects.get(pk=event.pk).sequence
    data = export(client, event.slug).replace(b"An annual gathering", b"A yearly gathering")

    summary = import_calendar(data)

    event.refresh_from_db()
    assert summary.updated == ["Alliance conference"]
    assert event.summary == "A spotlight on demand."  # the frame stays in its own fields
    assert event.registration_url == "https://events.example.org/register"
    assert "A yearly gathering" in event.description
    assert not event.description.startswith("<p>A spotlight")
    assert "Registration" not in event.description
    assert event.sequence == sequence + 1


def test_a_moved_site_gets_the_same_file_back(client):
    """Export, empty the site, import: the same times, texts, places and status come back."""
    made = [make() for make in KINDS.values()]
    files = {event.slug: export(client, event.slug) for event in made}
    Event.objects.all().delete()

    for data in files.values():
        import_calendar(data)

    kept = ("UID", "SUMMARY", "DTSTART", "DTEND", "RRULE", "EXDATE", "RDATE", "STATUS", "LOCATION", "URL")
    for slug, data in files.items():
        # A session's address names its row ("#session-12"): new rows, new numbers.
        before, after = (
            fields(re.sub(rb"#session-[0-9]+", b"#session", text)) for text in (data, export(client, slug))
        )
        assert before.keys() == after.keys(), slug
        for key in before:
            for name in kept:
                assert before[key].get(name) == after[key].get(name), (slug, key, name)
            # The summary and registration come back as paragraphs of the description.
            assert before[key]["DESCRIPTION"] == after[key]["DESCRIPTION"], (slug, key)
