"""Importing .ics files: times of every kind, sessions, cancellations, updates by UID, rejection of
malformed files with nothing written, the command, the admin page, and the export round trip."""

import datetime as dt
import http.server
import random
import threading
import zoneinfo

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.calendar_files.importer import CalendarImportError, import_calendar
from events.calendar_files.reading import read_at_most
from events.models import CalendarImport, Event, Session, Venue
from tests.calendar_cases import make_tricky_events, normalized
from tests.pages import text_of

pytestmark = pytest.mark.django_db
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def ics(*lines):
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"])
        + "\r\n"
    ).encode()


GOOGLE_EXPORT = ics(
    "X-WR-TIMEZONE:America/New_York",
    "BEGIN:VEVENT",
    "UID:utc-1@google.com",
    "SUMMARY:Given in UTC",
    "DTSTART:20310728T140000Z",
    "DTEND:20310728T150000Z",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:floating-1@google.com",
    "SUMMARY:Floating",
    "DTSTART:20310728T090000",
    "DTEND:20310728T100000",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:zoned-1@google.com",
    "SUMMARY:In Vienna",
    "DTSTART;TZID=Europe/Vienna:20310329T220000",
    "DTEND;TZID=Europe/Vienna:20310330T040000",
    "LOCATION:Hofburg",
    "STATUS:CANCELLED",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:allday-1@google.com",
    "SUMMARY:Conference",
    "DTSTART;VALUE=DATE:20310130",
    "DTEND;VALUE=DATE:20310203",
    "DESCRIPTION:Three days\\, four nights.",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:session-1@google.com",
    "SUMMARY:Opening",
    "RELATED-TO:allday-1@google.com",
    "DTSTART:20310130T080000Z",
    "DTEND:20310130T090000Z",
    "LOCATION:Room 1",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "UID:weekly-1@google.com",
    "SUMMARY:Weekly call",
    "DTSTART:20310101T100000Z",
    "DTEND:20310101T110000Z",
    "RRULE:FREQ=WEEKLY",
    "END:VEVENT",
)


def test_import_reads_utc_floating_zoned_and_all_day_times():
    summary = import_calendar(GOOGLE_EXPORT)

    utc = Event.objects.get(ical_uid="utc-1@google.com")
    floating = Event.objects.get(ical_uid="floating-1@google.com")
    zoned = Event.objects.get(ical_uid="zoned-1@google.com")
    all_day = Event.objects.get(ical_uid="allday-1@google.com")
    assert (normalized(utc.start), normalized(utc.end), utc.timezone) == (
        "2031-07-28T14:00:00Z",
        "2031-07-28T15:00:00Z",
        "America/New_York",  # X-WR-TIMEZONE
    )
    assert normalized(floating.start) == "2031-07-28T13:00:00Z"  # 09:00 in X-WR-TIMEZONE (EDT)
    assert (normalized(zoned.start), normalized(zoned.end), zoned.timezone) == (
        "2031-03-29T21:00:00Z",
        "2031-03-30T02:00:00Z",
        "Europe/Vienna",
    )
    assert (all_day.all_day, all_day.start_date, all_day.end_date) == (
        True,
        dt.date(2031, 1, 30),
        dt.date(2031, 2, 2),
    )
    assert all_day.description == "<p>Three days, four nights.</p>"
    # One-off events and their sessions as the file gives them, then the series (written once the
    # file is read, with the changed dates that may come anywhere in it).
    assert summary.created == [
        "Given in UTC",
        "Floating",
        "In Vienna",
        "Conference",
        "Opening",
        "Weekly call",
    ]
    assert summary.skipped == []


def test_import_keeps_cancelled_events_as_cancelled_and_reads_location_as_venue():
    import_calendar(GOOGLE_EXPORT)

    zoned = Event.objects.get(ical_uid="zoned-1@google.com")
    assert zoned.status == Event.Status.CANCELLED
    assert zoned.location_display == "Hofburg"


def test_import_makes_related_events_sessions_of_their_parent():
    import_calendar(GOOGLE_EXPORT)

    session = Session.objects.get(ical_uid="session-1@google.com")
    assert session.event.ical_uid == "allday-1@google.com"
    assert (normalized(session.start), session.location) == ("2031-01-30T08:00:00Z", "Room 1")
    assert Event.objects.count() == 5


def test_floating_times_without_x_wr_timezone_are_read_in_the_sites_zone(settings):
    import_calendar(ics("BEGIN:VEVENT", "UID:f@x", "SUMMARY:F", "DTSTART:20310728T090000", "END:VEVENT"))

    event = Event.objects.get()
    assert (event.timezone, normalized(event.start), event.end == event.start) == (
        settings.TIME_ZONE,
        "2031-07-28T07:00:00Z",
        True,
    )


def test_imported_events_are_published_unless_draft():
    import_calendar(GOOGLE_EXPORT, publish=False)

    assert not Event.objects.filter(is_published=True).exists()


def test_importing_the_same_file_twice_skips_unchanged_rows_and_duplicates_nothing():
    import_calendar(GOOGLE_EXPORT)

    again = import_calendar(GOOGLE_EXPORT)

    assert (again.created, again.updated) == ([], [])
    assert again.skipped == [
        (title, "unchanged")
        for title in ("Given in UTC", "Floating", "In Vienna", "Conference", "Opening", "Weekly call")
    ]
    assert (Event.objects.count(), Session.objects.count()) == (5, 1)
    assert Event.objects.get(ical_uid="utc-1@google.com").sequence == 0


def test_importing_a_changed_file_updates_by_uid_and_bumps_the_sequence():
    import_calendar(GOOGLE_EXPORT)
    changed = GOOGLE_EXPORT.replace(b"SUMMARY:Given in UTC", b"SUMMARY:Moved").replace(
        b"DTSTART:20310728T140000Z", b"DTSTART:20310728T130000Z"
    )

    summary = import_calendar(changed)

    event = Event.objects.get(ical_uid="utc-1@google.com")
    assert (event.title, normalized(event.start), event.sequence) == ("Moved", "2031-07-28T13:00:00Z", 1)
    assert summary.updated == ["Moved"]
    assert Event.objects.count() == 5


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "Line 1: the file does not start with BEGIN:VCALENDAR, so it is not an iCalendar file."),
        (b"\xff\xfeBEGIN", "Byte 0: the file is not UTF-8 text (iCalendar files must be UTF-8)."),
        (
            ics("BEGIN:VEVENT", "UID:a", "this is not a property", "END:VEVENT"),
            "Line 6: “this is not a property” is not a valid iCalendar line (NAME:value).",
        ),
        (ics("BEGIN:VEVENT", "UID:a", "END:VTODO"), "Line 6: END:VTODO does not close VEVENT."),
        (
            ics("BEGIN:VEVENT", "UID:a", "SUMMARY:Bad", "DTSTART:2031-13-45", "END:VEVENT"),
            "Line 4 (event “Bad”): DTSTART Expected datetime, date, or time. Got: '2031-13-45'",
        ),
        (
            ics("BEGIN:VEVENT", "UID:a", "SUMMARY:No start", "END:VEVENT"),
            "Line 4 (event “No start”): DTSTART is missing.",
        ),
        (
            ics("BEGIN:VEVENT", "SUMMARY:No uid", "DTSTART:20310101T100000Z", "END:VEVENT"),
            "Line 4 (event “No uid”): UID is missing, so the event could not be matched on a later import.",
        ),
        (
            ics(
                "BEGIN:VEVENT",
                "UID:a",
                "SUMMARY:Z",
                "DTSTART;TZID=Mars/Olympus:20310101T100000",
                "END:VEVENT",
            ),
            "Line 4 (event “Z”): DTSTART names the timezone “Mars/Olympus”, which is unknown and has no "
            "VTIMEZONE.",
        ),
        (
            ics(
                "BEGIN:VEVENT",
                "UID:a",
                "SUMMARY:Back",
                "DTSTART:20310101T100000Z",
                "DTEND:20310101T090000Z",
                "END:VEVENT",
            ),
            "Line 4 (event “Back”): DTEND is before DTSTART.",
        ),
    ],
)
def test_malformed_file_is_rejected_saying_what_and_where(data, problem):
    with pytest.raises(CalendarImportError) as raised:
        import_calendar(data)

    assert problem in raised.value.problems
    assert Event.objects.count() == 0


def test_a_row_failing_validation_rolls_back_the_whole_file():
    data = ics(
        "BEGIN:VEVENT", "UID:good@x", "SUMMARY:Good", "DTSTART:20310101T100000Z", "END:VEVENT",
        "BEGIN:VEVENT", "UID:long@x", "SUMMARY:" + "x" * 301, "DTSTART:20310101T100000Z", "END:VEVENT",
    )  # fmt: skip

    with pytest.raises(CalendarImportError) as raised:
        import_calendar(data)

    (problem,) = raised.value.problems
    assert problem.startswith("Line 9 (event “xxx")
    assert problem.endswith("title: Ensure this value has at most 300 characters (it has 301).")
    assert (Event.objects.count(), Venue.objects.count()) == (0, 0)


def test_round_trip_export_import_export_gives_the_same_events_and_times(seed, client):
    make_tricky_events()

    def export():
        response = client.get("/en/events/calendar.ics?from=2000-01-01")
        calendar = icalendar.Calendar.from_ical(b"".join(response.streaming_content))
        rows = {}
        for c in calendar.walk("VEVENT"):
            related = c.get("RELATED-TO")
            rows[str(c["UID"])] = (
                str(c["SUMMARY"]),
                normalized(c.decoded("DTSTART")),
                normalized(c.decoded("DTEND")),
                c["DTSTART"].params.get("TZID"),
                str(c["STATUS"]),
                str(c.get("LOCATION", "")),
                str(related) if related else None,
            )
        return rows, b"".join(client.get("/en/events/calendar.ics?from=2000-01-01").streaming_content)

    before, data = export()
    Event.objects.all().delete()
    Venue.objects.all().delete()

    summary = import_calendar(data)
    after, _ = export()

    assert len(before) == 11  # 2 seed events and 1 session, 7 tricky events and 1 session
    assert after == before
    assert len(summary.created) == 11


def test_command_imports_a_file_and_prints_the_summary(tmp_path, capsys):
    path = tmp_path / "export.ics"
    path.write_bytes(GOOGLE_EXPORT)

    call_command("import_ics", str(path), "--draft")

    out = capsys.readouterr().out
    assert out.startswith("Created 6, updated 0, skipped 0.\nCreated: Given in UTC\n")
    assert "Created: Weekly call\n" in out
    assert Event.objects.filter(is_published=False).count() == 5


def test_command_rejects_a_malformed_file_with_its_problems(tmp_path):
    path = tmp_path / "bad.ics"
    path.write_bytes(ics("BEGIN:VEVENT", "oops", "END:VEVENT"))

    with pytest.raises(CommandError) as raised:
        call_command("import_ics", str(path))

    assert str(raised.value) == (
        "Nothing was imported.\nLine 5: “oops” is not a valid iCalendar line (NAME:value)."
    )


def test_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_ics", str(tmp_path / "missing.ics"))


def test_command_imports_from_a_url(capsys):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            self.wfile.write(GOOGLE_EXPORT)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    try:
        call_command("import_ics", f"http://127.0.0.1:{server.server_port}/calendar.ics")
    finally:
        thread.join(timeout=10)
        server.server_close()

    assert capsys.readouterr().out.startswith("Created 6, updated 0, skipped 0.")


IMPORT_PAGE = "/admin/events/event/import/"


def test_admin_import_page_needs_staff(client):
    response = client.get(IMPORT_PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_import_page_needs_the_permission_to_add_and_change_events(client, django_user_model):
    staff = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(staff)

    assert client.get(IMPORT_PAGE).status_code == 403


def test_admin_import_page_imports_and_shows_the_summary(admin_client):
    upload = SimpleUploadedFile("export.ics", GOOGLE_EXPORT, content_type="text/calendar")

    response = admin_client.post(IMPORT_PAGE, {"file": upload}, follow=True)

    run = CalendarImport.objects.get()
    assert response.redirect_chain == [(f"{IMPORT_PAGE}{run.pk}/", 302)]
    text = text_of(response)
    assert "Imported Created 6, updated 0, skipped 0." in text
    assert "Created: Weekly call" in text
    assert Event.objects.filter(is_published=True).count() == 5


def test_admin_import_page_shows_what_is_wrong_and_imports_nothing(admin_client):
    upload = SimpleUploadedFile("bad.ics", ics("BEGIN:VEVENT", "oops", "END:VEVENT"))

    response = admin_client.post(IMPORT_PAGE, {"file": upload, "draft": "on"}, follow=True)

    assert response.status_code == 200
    text = text_of(response)
    assert "Refused: nothing was imported" in text
    assert "Nothing was imported, because: Line 5: “oops” is not a valid iCalendar line (NAME:value)." in text
    assert Event.objects.count() == 0


def test_admin_event_list_links_the_import_page(admin_client):
    html = admin_client.get("/admin/events/event/").content.decode()

    assert f'<a href="{IMPORT_PAGE}">Import .ics</a>' in html


def test_a_location_too_long_for_a_venue_is_rejected_naming_the_location():
    data = ics(
        "BEGIN:VEVENT",
        "UID:a@x",
        "SUMMARY:Far",
        "DTSTART:20310101T100000Z",
        "LOCATION:" + "y" * 201,
        "END:VEVENT",
    )

    with pytest.raises(CalendarImportError) as raised:
        import_calendar(data)

    assert raised.value.problems == [
        "Line 4 (event “Far”): location: Ensure this value has at most 200 characters (it has 201)."
    ]


def test_a_child_of_a_session_is_imported_as_an_event():
    def vevent(uid, parent=None):
        related = [f"RELATED-TO:{parent}@x"] if parent else []
        return [
            "BEGIN:VEVENT",
            f"UID:{uid}@x",
            f"SUMMARY:{uid.title()}",
            *related,
            "DTSTART:20310101T100000Z",
            "END:VEVENT",
        ]

    data = ics(*vevent("top"), *vevent("mid", "top"), *vevent("low", "mid"), *vevent("lost", "nowhere"))

    import_calendar(data)

    assert sorted(Event.objects.values_list("title", flat=True)) == ["Lost", "Low", "Top"]
    assert Session.objects.get().event.title == "Top"


def test_a_session_can_join_an_event_imported_earlier():
    import_calendar(GOOGLE_EXPORT)
    data = ics("BEGIN:VEVENT", "UID:late@x", "SUMMARY:Late", "RELATED-TO:allday-1@google.com",
               "DTSTART:20310131T080000Z", "END:VEVENT")  # fmt: skip

    import_calendar(data)

    assert Session.objects.get(ical_uid="late@x").event.ical_uid == "allday-1@google.com"


def test_damaged_files_are_rejected_or_imported_never_crash(seed, client):
    """300 seeded random damages (bytes changed, cut, inserted) of a real export."""
    make_tricky_events()
    export = b"".join(client.get("/en/events/calendar.ics?from=2000-01-01").streaming_content)
    rng = random.Random(4)
    insertions = [
        b"\r\n",
        b";TZID=Foo/Bar",
        b"DURATION:PX",
        b"RELATED-TO:",
        b"\r\n ",
        b"RRULE:FREQ=DAILY\r\n",
        b"\xff",
    ]
    unexpected = []
    for attempt in range(300):
        data = bytearray(export)
        for _ in range(rng.randint(1, 6)):
            position = rng.randrange(len(data) or 1)
            choice = rng.random()
            if choice < 0.4:
                data[position : position + 1] = bytes([rng.choice(b':;=,\r\n "\\xTZ0123456789-')])
            elif choice < 0.7:
                del data[position : position + rng.randint(1, 40)]
            else:
                data[position:position] = rng.choice(insertions)
        try:
            with transaction.atomic():
                import_calendar(bytes(data))
                transaction.set_rollback(True)
        except CalendarImportError:
            pass
        except Exception as error:  # anything else is the bug this test looks for
            unexpected.append((attempt, repr(error)))

    assert unexpected == []


def test_an_import_reads_the_timezone_database_once_not_once_an_event(monkeypatch):
    """``zoneinfo.available_timezones()`` walks the tz database's files (some 12 ms a call): an
    import of 2,000 events spent 11 of its 29 s there, once for every event."""
    from events import zones

    calls = []
    real = zoneinfo.available_timezones
    monkeypatch.setattr(zoneinfo, "available_timezones", lambda: calls.append(1) or real())
    zones.timezone_names.cache_clear()
    zones._timezone_name_set.cache_clear()
    vevents = [
        line
        for n in range(30)
        for line in ("BEGIN:VEVENT", f"UID:tz-{n}@x", f"SUMMARY:Webinar {n}",
                     "DTSTART;TZID=America/New_York:20310101T100000", "DURATION:PT1H", "END:VEVENT")
    ]  # fmt: skip

    import_calendar(ics(*vevents))

    assert Event.objects.filter(timezone="America/New_York").count() == 30
    assert len(calls) <= 1


def test_an_import_looks_each_place_up_once():
    def at(n, location):
        return ("BEGIN:VEVENT", f"UID:place-{n}@x", f"SUMMARY:Talk {n}", "DTSTART:20310101T100000Z",
                "DURATION:PT1H", f"LOCATION:{location}", "END:VEVENT")  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        import_calendar(
            ics(*[line for n in range(20) for line in at(n, "Hofburg" if n % 2 else "Online hall")])
        )

    lookups = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"events_venue"."name" =' in q["sql"]
    ]
    assert len(lookups) == 2
    assert sorted(Venue.objects.values_list("name", flat=True)) == ["Hofburg", "Online hall"]
    assert Event.objects.filter(venue__name="Hofburg").count() == 10


# The size limit (settings.ICS_IMPORT_MAX_BYTES), enforced while a file is read ------------------------


def test_reading_stops_as_soon_as_the_limit_is_passed():
    handed_out = []

    def chunks():
        for number in range(10):
            handed_out.append(number)
            yield b"x" * 1000

    with pytest.raises(CalendarImportError) as raised:
        read_at_most(chunks(), limit=2500)

    assert handed_out == [0, 1, 2]  # the third chunk passed the limit: the rest is never read
    assert raised.value.problems == ["The file is larger than 0.0025 MB, the largest an import reads."]
    assert read_at_most([b"ab", b"cd"], limit=4) == b"abcd"


def test_command_refuses_a_file_over_the_limit_and_imports_nothing(tmp_path, settings):
    settings.ICS_IMPORT_MAX_BYTES = 3_000_000
    path = tmp_path / "huge.ics"
    path.write_bytes(GOOGLE_EXPORT + b" " * 3_000_000)

    with pytest.raises(
        CommandError,
        match=r"huge.ics: The file is larger than 3 MB, the largest an import reads\. Nothing was imported\.",
    ):
        call_command("import_ics", str(path))

    assert not Event.objects.exists()


def test_admin_upload_over_the_limit_is_refused_on_its_form_and_nothing_is_queued(admin_client, settings):
    settings.ICS_IMPORT_MAX_BYTES = 1_000_000
    upload = SimpleUploadedFile("huge.ics", GOOGLE_EXPORT + b" " * 1_500_000, content_type="text/calendar")

    response = admin_client.post(IMPORT_PAGE, {"file": upload})

    assert response.status_code == 200
    assert "The file is larger than 1 MB, the largest an import reads." in text_of(response)
    assert "Choose a file or give an address" not in text_of(response)
    assert not CalendarImport.objects.exists()
    assert "At most 1 MB." in text_of(admin_client.get(IMPORT_PAGE))


def test_a_fetch_is_cut_at_the_import_limit_by_default(settings, monkeypatch):
    from events.calendar_files import fetching

    settings.ICS_IMPORT_MAX_BYTES = 1000
    monkeypatch.setattr(fetching, "is_public_address", lambda address: True)

    class Big(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"x" * 5000)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Big)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(fetching.CalendarFetchError, match=r"larger than 0\.001 MB"):
            fetching.fetch_calendar(
                f"http://127.0.0.1:{server.server_address[1]}/big.ics", allow_private=True
            )
    finally:
        server.shutdown()


def test_admin_import_page_still_checks_the_csrf_token(admin_user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin_user)
    upload = SimpleUploadedFile("export.ics", GOOGLE_EXPORT, content_type="text/calendar")

    refused = browser.post(IMPORT_PAGE, {"file": upload})
    browser.get(IMPORT_PAGE)  # sets the token's cookie, as the page's form does
    upload.seek(0)
    accepted = browser.post(
        IMPORT_PAGE, {"file": upload, "csrfmiddlewaretoken": browser.cookies["csrftoken"].value}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert not CalendarImport.objects.filter(created_by=None).exists()


def test_the_file_is_parsed_one_event_at_a_time_each_freed_once_read(monkeypatch):
    """icalendar's tree of a whole file takes about 4 KB an event (420 MB for 100,000): the file is
    never parsed whole, and a VEVENT's tree lives only while it is read."""
    import gc
    import weakref

    from events.calendar_files import reading

    def whole_file_parsed(*args, **kwargs):
        raise AssertionError("the whole file was parsed")

    monkeypatch.setattr(icalendar.Calendar, "from_ical", whole_file_parsed)
    parsed, alive_before_each = [], []
    parse = reading.parse_vevent

    def parsing(text):
        gc.collect()
        alive_before_each.append(sum(tree() is not None for tree in parsed))
        tree = parse(text)
        parsed.append(weakref.ref(tree))
        return tree

    monkeypatch.setattr(reading, "parse_vevent", parsing)

    import_calendar(GOOGLE_EXPORT)

    assert len(parsed) == GOOGLE_EXPORT.count(b"BEGIN:VEVENT") == 6
    assert max(alive_before_each) == 0  # each freed as soon as it is read
    assert Event.objects.count() == 5


def test_a_large_file_is_read_by_a_second_process_with_the_same_result(monkeypatch):
    """Reading (icalendar's parsing, mostly) takes as long as writing: from
    ``READ_ALONGSIDE_FROM`` events on, a second process reads a few chunks ahead of the writes."""
    from events.calendar_files import reading

    pools = []

    class CountedPool(reading.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(reading, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setattr(reading.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(reading, "READ_ALONGSIDE_FROM", 1)
    monkeypatch.setattr(reading, "CHUNK", 2)

    summary = import_calendar(GOOGLE_EXPORT)

    assert len(pools) == 1
    assert summary.created == [
        "Given in UTC",
        "Floating",
        "In Vienna",
        "Conference",
        "Opening",
        "Weekly call",
    ]
    floating = Event.objects.get(title="Floating")
    assert normalized(floating.start) == "2031-07-28T13:00:00Z"  # 09:00 in X-WR-TIMEZONE (EDT)
    assert Session.objects.get().event.title == "Conference"


def test_a_file_read_by_a_second_process_is_refused_with_every_problem_and_its_line(monkeypatch):
    from events.calendar_files import reading

    monkeypatch.setattr(reading.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(reading, "READ_ALONGSIDE_FROM", 1)
    monkeypatch.setattr(reading, "CHUNK", 2)
    broken = GOOGLE_EXPORT.replace(b"UID:utc-1@google.com\r\n", b"").replace(
        b"DTSTART:20310101T100000Z\r\nDTEND:20310101T110000Z\r\nRRULE:FREQ=WEEKLY",
        b"DTSTART:20310101T100000Z\r\nDTEND:20310101T110000Z\r\nRRULE:FREQ=SOMETIMES",
    )

    with pytest.raises(CalendarImportError) as refused:
        import_calendar(broken)

    assert [problem.split(" (")[0] for problem in refused.value.problems] == ["Line 5", "Line 44"]
    assert Event.objects.count() == 0
