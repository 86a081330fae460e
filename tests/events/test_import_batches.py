"""A big calendar is imported in batches, read one VEVENT at a time: the same rules as one event at a
time (one transaction, matched by UID, validated, line-numbered problems, nothing partial)."""

import datetime as dt
import zoneinfo
from concurrent.futures.process import BrokenProcessPool

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import changes
from events.calendar_files import importer, reading, stored
from events.calendar_files.importer import CalendarImportError, import_calendar
from events.models import Event, EventFeedText

pytestmark = pytest.mark.django_db
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")


def ics(*lines):
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"])
        + "\r\n"
    ).encode()


def vevent(number, title=None, start="20310728T090000", extra=()):
    return [
        "BEGIN:VEVENT",
        f"UID:batch-{number}@example.org",
        f"SUMMARY:{title or f'Webinar {number}'}",
        f"DTSTART:{start}",
        "DURATION:PT1H",
        *extra,
        "END:VEVENT",
    ]


def calendar(count, title=None):
    return ics(*[line for number in range(count) for line in vevent(number, title)])


def test_events_are_written_a_batch_at_a_time_each_batch_in_a_few_queries(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 10)
    with CaptureQueriesContext(connection) as ten:
        import_calendar(calendar(10))
    Event.objects.all().delete()

    with CaptureQueriesContext(connection) as forty:
        import_calendar(calendar(40))

    assert Event.objects.count() == 40
    per_batch = len(forty) - len(ten)
    assert per_batch <= 3 * 8  # 3 more batches: UIDs, slugs, the insert and its record, each
    assert per_batch < 30  # one event at a time took some 10 queries each: 300


def test_a_title_that_comes_again_and_again_gets_the_next_number_each_time(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 7)
    import_calendar(calendar(3, title="Weekly meeting"))

    import_calendar(ics(*[line for n in range(100, 160) for line in vevent(n, "Weekly meeting")]))

    slugs = set(Event.objects.values_list("slug", flat=True))
    assert slugs == {"weekly-meeting"} | {f"weekly-meeting-{number}" for number in range(2, 64)}


def test_a_batch_the_database_refuses_is_written_again_row_by_row_naming_the_row(monkeypatch):
    Event.objects.create(
        title="On the site",
        slug="webinar-1",
        start=dt.datetime(2031, 1, 1, 9, tzinfo=VIENNA),
        end=dt.datetime(2031, 1, 1, 10, tzinfo=VIENNA),
    )
    # Slugs as if nothing were taken: the database refuses the batch at its unique index.
    monkeypatch.setattr(
        importer.Importer, "unique_slugs", lambda self, model, texts: [f"webinar-{n}" for n in range(3)]
    )

    with pytest.raises(CalendarImportError) as refused:
        import_calendar(calendar(3))

    assert refused.value.problems == [
        "Line 10 (event “Webinar 1”): slug: Event with this Slug already exists."
    ]
    assert list(Event.objects.values_list("title", flat=True)) == ["On the site"]


def test_a_file_whose_calendar_zone_comes_after_its_events_is_read_in_that_zone():
    data = ics(
        *vevent(1, extra=["X-WR-TIMEZONE:Asia/Tokyo"]),  # inside an event: not the calendar's
        "X-WR-TIMEZONE:Europe/Vienna",
        *vevent(2),
    )

    import_calendar(data)

    starts = {event.title: event.start for event in Event.objects.all()}
    assert starts == {
        "Webinar 1": dt.datetime(2031, 7, 28, 9, tzinfo=VIENNA),
        "Webinar 2": dt.datetime(2031, 7, 28, 9, tzinfo=VIENNA),
    }


def test_a_zone_named_only_inside_an_event_is_not_the_calendars(settings):
    settings.TIME_ZONE = "Europe/Vienna"
    data = ics(*vevent(1, extra=["X-WR-TIMEZONE:Asia/Tokyo"]), *vevent(2))

    import_calendar(data)

    # floating times in the site's zone, as icalendar reads the calendar: it has no X-WR-TIMEZONE
    assert {event.start for event in Event.objects.all()} == {dt.datetime(2031, 7, 28, 9, tzinfo=VIENNA)}


def test_a_second_calendar_in_one_file_is_refused_at_its_line():
    data = calendar(1) + calendar(1)

    with pytest.raises(CalendarImportError) as refused:
        import_calendar(data)

    assert refused.value.problems == ["Line 11: a second calendar; a file holds one (BEGIN:VCALENDAR)."]
    assert not Event.objects.exists()


def test_a_large_change_leaves_its_texts_to_the_background_worker(monkeypatch, committed):
    monkeypatch.setattr(changes, "TEXTS_WRITTEN_AT_COMMIT", 2)
    written_by_worker = []
    refresh_missing = stored.refresh_missing
    monkeypatch.setattr(
        stored, "refresh_missing", lambda **kwargs: written_by_worker.append(refresh_missing(**kwargs))
    )

    with committed():
        import_calendar(calendar(2))
    assert (written_by_worker, EventFeedText.objects.count()) == ([], 2)  # written at commit

    with committed():
        import_calendar(ics(*[line for n in range(10, 15) for line in vevent(n)]))

    assert written_by_worker == [5]  # the tests' worker runs a task when it is queued
    assert EventFeedText.objects.count() == 7


def test_when_the_second_process_cannot_read_this_one_reads_the_file(monkeypatch):
    class BrokenPool(reading.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            raise BrokenProcessPool("it could not start")

    monkeypatch.setattr(reading, "ProcessPoolExecutor", BrokenPool)
    monkeypatch.setattr(reading.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(reading, "READ_ALONGSIDE_FROM", 1)
    monkeypatch.setattr(reading, "CHUNK", 2)

    summary = import_calendar(calendar(5))

    assert summary.created == [f"Webinar {n}" for n in range(5)]


def test_events_written_in_bulk_are_prepared_as_a_save_prepares_them():
    start = dt.datetime(2031, 7, 28, 22, tzinfo=VIENNA)
    event = Event(title="Late", slug="late", start=start, end=start + dt.timedelta(hours=3))

    Event.objects.bulk_create([event])

    saved = Event.objects.get()
    # the dates it covers and its last end, worked out as save() works them out
    assert (saved.start_date, saved.end_date) == (dt.date(2031, 7, 28), dt.date(2031, 7, 29))
    assert saved.last_end == saved.end


def test_a_link_that_is_not_http_is_refused_in_bulk_too():
    start = dt.datetime(2031, 7, 28, 9, tzinfo=VIENNA)
    event = Event(
        title="Bad link",
        slug="bad",
        start=start,
        end=start + dt.timedelta(hours=1),
        registration_url="javascript:alert(1)",
    )

    with pytest.raises(Exception, match="Only http, https or mailto"):
        Event.objects.bulk_create([event])
    assert not Event.objects.exists()


def test_the_worker_keeps_a_text_an_editor_wrote_while_it_ran(monkeypatch):
    import_calendar(calendar(2))  # (the tests' transaction never commits: no text written)
    first, second = Event.objects.order_by("pk")
    render = stored.render

    def render_while_an_editor_saves(event, language=None):
        if event.pk == first.pk:  # the editor's save commits, and writes its text, meanwhile
            EventFeedText.objects.create(
                event=first, language="en", key=stored.current_key(), text="the editor's"
            )
        return render(event, language=language)

    monkeypatch.setattr(stored, "render", render_while_an_editor_saves)

    stored.refresh_missing()

    assert EventFeedText.objects.get(event=first).text == "the editor's"
    assert "Webinar" in EventFeedText.objects.get(event=second).text


def programme(sessions, *, first_hour=9):
    """A conference and its sessions, as our exports write them (each RELATED-TO the conference)."""
    lines = ["BEGIN:VEVENT", "UID:conference@example.org", "SUMMARY:Conference"]
    lines += ["DTSTART;VALUE=DATE:20310614", "DTEND;VALUE=DATE:20310617", "END:VEVENT"]
    for number in range(sessions):
        day, hour = 14 + number // 8, first_hour + number % 8
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{number}@example.org",
            f"SUMMARY:Conference: Session {number}",
            "RELATED-TO:conference@example.org",
            f"DTSTART;TZID=Europe/Vienna:203106{day}T{hour:02d}0000",
            "DURATION:PT1H",
            "END:VEVENT",
        ]
    return ics(*lines)


def test_sessions_are_written_a_batch_at_a_time_too():
    with CaptureQueriesContext(connection) as few:
        import_calendar(programme(3))
    Event.objects.all().delete()

    with CaptureQueriesContext(connection) as many:
        summary = import_calendar(programme(20))

    assert summary.created == ["Conference", *[f"Conference: Session {n}" for n in range(20)]]
    titles = list(Event.objects.get().sessions.values_list("title", flat=True))
    assert titles == [f"Session {n}" for n in range(20)]  # our exports' "Event: " taken off
    assert len(many) == len(few)  # the same queries for 3 sessions and for 20


def test_a_new_session_outside_its_events_dates_is_refused_at_its_line():
    with pytest.raises(CalendarImportError) as refused:
        import_calendar(programme(3, first_hour=9).replace(b"20310614T100000", b"20310619T100000"))

    assert refused.value.problems == [
        "Line 17 (event “Conference: Session 1”): end: The session must lie within the "
        "event's dates (June 14, 2031 – June 16, 2031 all-day)."
    ]
    assert not Event.objects.exists()
