"""Importing recurring events: RRULE, EXDATE and RDATE in every value form, RECURRENCE-ID overrides
before or after their master, re-imports that change nothing, changed files that replace a series'
exceptions, and malformed or unsupported recurrence input reported or skipped, saying where and why."""

import datetime as dt
import random
import zoneinfo

import pytest
from django.db import transaction

from events.calendar_files.importer import CalendarImportError, import_calendar
from events.models import Event, OccurrenceChange
from tests.calendar_cases import normalized
from tests.factories import EventFactory
from tests.recurrence_cases import make_leap_day_with_implied_day, make_recurring_events, site_occurrences

pytestmark = pytest.mark.django_db
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")


def ics(*lines):
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"])
        + "\r\n"
    ).encode()


MOVED = [
    "BEGIN:VEVENT",  # line 4: an override before its master
    "UID:call@example.org",
    "RECURRENCE-ID;TZID=Europe/Vienna:20310318T100000",
    "SUMMARY:Call (afternoon)",
    "DTSTART;TZID=Europe/Vienna:20310318T150000",
    "DTEND;TZID=Europe/Vienna:20310318T160000",
    "END:VEVENT",
]
MASTER = [
    "BEGIN:VEVENT",  # line 11
    "UID:call@example.org",
    "SUMMARY:Call",
    "DTSTART;TZID=Europe/Vienna:20310304T100000",
    "DTEND;TZID=Europe/Vienna:20310304T110000",
    "RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10",  # line 16
    "EXDATE;TZID=Europe/Vienna:20310311T100000,20310401T100000",  # line 17: a zoned list
    "EXDATE:20310408T080000Z",  # UTC (10:00 CEST)
    "EXDATE:20310415T100000",  # floating: the event's wall clock
    "EXDATE;VALUE=DATE:20310422",  # a date: that day's occurrence
    "RDATE;TZID=Europe/Vienna:20310313T100000",  # line 21
    "RDATE;VALUE=DATE:20310314,20310315",
    "END:VEVENT",
]
CANCELLED = [
    "BEGIN:VEVENT",  # line 24: an override after its master, its RECURRENCE-ID in UTC
    "UID:call@example.org",
    "RECURRENCE-ID:20310325T090000Z",
    "SUMMARY:Call",
    "STATUS:CANCELLED",
    "DTSTART;TZID=Europe/Vienna:20310325T100000",
    "DTEND;TZID=Europe/Vienna:20310325T110000",
    "END:VEVENT",
]
WEEKLY_CALL = ics(*MOVED, *MASTER, *CANCELLED)


def vienna(*fields):
    return dt.datetime(*fields, tzinfo=VIENNA)


def change_rows(event):
    return [
        (
            change.kind,
            normalized(change.original_start),
            change.start and normalized(change.start),
            change.end and normalized(change.end),
            change.title,
            change.status,
        )
        for change in event.occurrence_changes.order_by("original_start")
    ]


WEEKLY_CALL_ROWS = [
    ("skip", "2031-03-11T09:00:00Z", None, None, "", ""),
    ("add", "2031-03-13T09:00:00Z", None, None, "", ""),
    ("add", "2031-03-14T09:00:00Z", None, None, "", ""),
    ("add", "2031-03-15T09:00:00Z", None, None, "", ""),
    ("change", "2031-03-18T09:00:00Z", "2031-03-18T14:00:00Z", None, "Call (afternoon)", ""),
    ("change", "2031-03-25T09:00:00Z", None, None, "", "cancelled"),
    ("skip", "2031-04-01T08:00:00Z", None, None, "", ""),
    ("skip", "2031-04-08T08:00:00Z", None, None, "", ""),
    ("skip", "2031-04-15T08:00:00Z", None, None, "", ""),
    ("skip", "2031-04-22T08:00:00Z", None, None, "", ""),
]


def test_import_series_reads_rule_exdates_rdates_and_overrides_in_every_value_form():
    summary = import_calendar(WEEKLY_CALL)

    event = Event.objects.get()
    assert (event.recurrence_rule, event.timezone, normalized(event.start)) == (
        "FREQ=WEEKLY;COUNT=10;BYDAY=TU",
        "Europe/Vienna",
        "2031-03-04T09:00:00Z",
    )
    assert change_rows(event) == WEEKLY_CALL_ROWS
    assert normalized(event.last_end) == "2031-05-06T09:00:00Z"  # the 10th Tuesday, 11:00 CEST
    assert (summary.created, summary.updated, summary.skipped) == (["Call"], [], [])
    assert event.sequence == 0


def test_import_series_occurrences_follow_the_file():
    import_calendar(WEEKLY_CALL)

    event = Event.objects.get()
    found = event.occurrences_between(vienna(2031, 3, 1), vienna(2031, 5, 1))

    assert [(normalized(o.start), o.title, o.status) for o in found] == [
        ("2031-03-04T09:00:00Z", "Call", "scheduled"),
        ("2031-03-13T09:00:00Z", "Call", "scheduled"),
        ("2031-03-14T09:00:00Z", "Call", "scheduled"),
        ("2031-03-15T09:00:00Z", "Call", "scheduled"),
        ("2031-03-18T14:00:00Z", "Call (afternoon)", "scheduled"),
        ("2031-03-25T09:00:00Z", "Call", "cancelled"),
        ("2031-04-29T08:00:00Z", "Call", "scheduled"),  # 10:00 CEST after the March change
    ]


def test_reimporting_the_same_series_changes_nothing():
    import_calendar(WEEKLY_CALL)
    event = Event.objects.get()
    before = (event.sequence, event.updated_at, list(event.occurrence_changes.values_list("pk", flat=True)))

    again = import_calendar(WEEKLY_CALL)

    event.refresh_from_db()
    assert (again.created, again.updated, again.skipped) == ([], [], [("Call", "unchanged")])
    assert (
        event.sequence,
        event.updated_at,
        list(event.occurrence_changes.values_list("pk", flat=True)),
    ) == (before)


def test_reimporting_a_changed_series_replaces_its_changes_in_one_sequence_step():
    import_calendar(WEEKLY_CALL)
    changed = ics(*MASTER[:6], "EXDATE;TZID=Europe/Vienna:20310311T100000", *MASTER[10:], *CANCELLED)

    summary = import_calendar(changed)

    event = Event.objects.get()
    assert change_rows(event) == [
        ("skip", "2031-03-11T09:00:00Z", None, None, "", ""),
        ("add", "2031-03-13T09:00:00Z", None, None, "", ""),
        ("add", "2031-03-14T09:00:00Z", None, None, "", ""),
        ("add", "2031-03-15T09:00:00Z", None, None, "", ""),
        ("change", "2031-03-25T09:00:00Z", None, None, "", "cancelled"),
    ]
    assert (summary.updated, event.sequence) == (["Call"], 1)


def test_reimporting_a_series_with_a_new_rule_and_changes_bumps_the_sequence_once():
    import_calendar(WEEKLY_CALL)
    changed = WEEKLY_CALL.replace(b"COUNT=10", b"COUNT=12").replace(
        b"SUMMARY:Call (afternoon)", b"SUMMARY:Late"
    )

    summary = import_calendar(changed)

    event = Event.objects.get()
    assert (event.recurrence_rule, event.sequence, summary.updated) == (
        "FREQ=WEEKLY;COUNT=12;BYDAY=TU",
        1,
        ["Call"],
    )
    assert ("change", "2031-03-18T09:00:00Z", "2031-03-18T14:00:00Z", None, "Late", "") in change_rows(event)
    assert normalized(event.last_end) == "2031-05-20T09:00:00Z"


def test_a_series_that_stops_repeating_loses_its_rule_and_changes():
    import_calendar(WEEKLY_CALL)
    one_off = ics(*[line for line in MASTER if not line.startswith(("RRULE", "EXDATE", "RDATE"))])

    import_calendar(one_off)

    event = Event.objects.get()
    assert (event.recurrence_rule, event.last_end, event.occurrence_changes.count()) == ("", event.end, 0)


def test_an_all_day_series_reads_dates_and_keeps_them_as_local_midnights():
    data = ics(
        "BEGIN:VEVENT",
        "UID:day@example.org",
        "SUMMARY:Open day",
        "DTSTART;VALUE=DATE:20310602",
        "DTEND;VALUE=DATE:20310603",
        "RRULE:FREQ=YEARLY;UNTIL=20350602",
        "EXDATE;VALUE=DATE:20320602",
        "RDATE;VALUE=DATE:20330605",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:day@example.org",
        "RECURRENCE-ID;VALUE=DATE:20340602",
        "SUMMARY:Open days",
        "DTSTART;VALUE=DATE:20340602",
        "DTEND;VALUE=DATE:20340604",
        "END:VEVENT",
    )

    import_calendar(data)

    event = Event.objects.get()
    assert (event.all_day, event.recurrence_rule) == (True, "FREQ=YEARLY;UNTIL=20350602")
    assert change_rows(event) == [
        ("skip", "2032-06-01T22:00:00Z", None, None, "", ""),
        ("add", "2033-06-04T22:00:00Z", None, None, "", ""),
        ("change", "2034-06-01T22:00:00Z", None, "2034-06-03T22:00:00Z", "Open days", ""),
    ]
    found = event.occurrences_between(vienna(2031, 1, 1), vienna(2036, 1, 1))
    assert [(o.start_date.isoformat(), o.end_date.isoformat()) for o in found] == [
        ("2031-06-02", "2031-06-02"),
        ("2033-06-02", "2033-06-02"),
        ("2033-06-05", "2033-06-05"),
        ("2034-06-02", "2034-06-03"),
        ("2035-06-02", "2035-06-02"),
    ]


def test_override_of_a_series_already_on_the_site_changes_only_its_date():
    event = EventFactory(
        ical_uid="call@example.org",
        title="Call",
        timezone="Europe/Vienna",
        start=vienna(2031, 3, 4, 10),
        end=vienna(2031, 3, 4, 11),
        recurrence_rule="FREQ=WEEKLY;BYDAY=TU",
    )
    OccurrenceChange.objects.create(event=event, kind="skip", original_start=vienna(2031, 3, 11, 10))
    sequence = Event.objects.get().sequence

    summary = import_calendar(ics(*CANCELLED))

    event.refresh_from_db()
    assert change_rows(event) == [
        ("skip", "2031-03-11T09:00:00Z", None, None, "", ""),
        ("change", "2031-03-25T09:00:00Z", None, None, "", "cancelled"),
    ]
    assert (summary.updated, event.sequence) == (["Call"], sequence + 1)
    assert import_calendar(ics(*CANCELLED)).skipped == [("Call", "unchanged")]


def test_override_without_its_series_is_skipped_saying_why():
    summary = import_calendar(ics(*CANCELLED))

    assert summary.skipped == [
        ("Call", "a changed occurrence: no repeating event with its UID is in the file or on the site")
    ]
    assert Event.objects.count() == 0


def test_override_of_an_event_that_does_not_repeat_is_skipped_saying_why():
    one_off = [line for line in MASTER if not line.startswith(("RRULE", "EXDATE", "RDATE"))]

    summary = import_calendar(ics(*one_off, *CANCELLED))

    assert summary.skipped == [
        ("Call", "a changed occurrence: the event with its UID does not repeat (no RRULE)")
    ]
    assert OccurrenceChange.objects.count() == 0


def test_two_rules_skip_the_series_and_its_overrides_saying_why():
    data = ics(*MASTER[:6], "RRULE:FREQ=MONTHLY", *MASTER[6:], *CANCELLED)

    summary = import_calendar(data)

    assert summary.skipped == [
        ("Call", "it has 2 RRULEs, and an event can follow only one rule"),
        ("Call", "a changed occurrence: the event it changes is not imported (see above)"),
    ]
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("replace", "reason"),
    [
        (
            ("RRULE:", "EXRULE:FREQ=DAILY\r\nRRULE:"),
            "exclusion rules (EXRULE, deprecated by RFC 5545) are not supported",
        ),
        (
            ("RDATE;VALUE=DATE:20310314,20310315", "RDATE;VALUE=PERIOD:20310314T090000Z/PT3H"),
            "an added date (RDATE) with a length of its own is not supported",
        ),
        (
            ("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10", "X-NO-RULE:1"),
            "added dates (RDATE) without a rule (RRULE) are not supported",
        ),
    ],
)
def test_unsupported_recurrence_is_skipped_saying_why(replace, reason):
    data = ics(*MASTER).replace(replace[0].encode(), replace[1].encode())

    summary = import_calendar(data)

    assert summary.skipped == [("Call", reason)]
    assert Event.objects.count() == 0


def test_rdate_period_of_the_events_length_is_an_added_date():
    data = ics(*MASTER).replace(
        b"RDATE;VALUE=DATE:20310314,20310315", b"RDATE;VALUE=PERIOD:20310314T090000Z/20310314T100000Z"
    )

    import_calendar(data)

    assert ("add", "2031-03-14T09:00:00Z", None, None, "", "") in change_rows(Event.objects.get())


def test_this_and_future_override_is_skipped_saying_why():
    data = ics(*MASTER, *CANCELLED).replace(b"RECURRENCE-ID:", b"RECURRENCE-ID;RANGE=THISANDFUTURE:")

    summary = import_calendar(data)

    assert summary.skipped == [
        ("Call", "changes to “this and all later occurrences” (RANGE=THISANDFUTURE) are not supported")
    ]
    assert change_rows(Event.objects.get()) == [row for row in WEEKLY_CALL_ROWS if row[0] != "change"]


def test_override_of_a_skipped_date_is_left_out_saying_why():
    data = ics(*MASTER, *CANCELLED).replace(b"20310401T100000", b"20310325T100000")

    summary = import_calendar(data)

    assert summary.skipped == [("Call", "a changed occurrence of a date the event skips (EXDATE)")]
    assert ("skip", "2031-03-25T09:00:00Z", None, None, "", "") in change_rows(Event.objects.get())


def test_a_repeating_session_is_skipped_saying_why():
    data = ics(
        "BEGIN:VEVENT", "UID:conf@x", "SUMMARY:Conf", "DTSTART;VALUE=DATE:20310602", "END:VEVENT",
        "BEGIN:VEVENT", "UID:talk@x", "SUMMARY:Talk", "RELATED-TO:conf@x", "DTSTART:20310602T080000Z",
        "RRULE:FREQ=DAILY;COUNT=2", "END:VEVENT",
    )  # fmt: skip

    summary = import_calendar(data)

    assert summary.skipped == [("Talk", "a session (RELATED-TO an event) cannot repeat")]
    assert list(Event.objects.values_list("ical_uid", flat=True)) == ["conf@x"]


@pytest.mark.parametrize(
    ("replace", "problem"),
    [
        (
            ("RRULE:FREQ=WEEKLY", "RRULE:FREQ=WEKLY"),
            "Line 16 (event “Call”): RRULE Expected frequency, got: WEKLY",
        ),
        (
            ("RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=10", "RRULE:FREQ=HOURLY"),
            "Line 16 (event “Call”): RRULE: “HOURLY” is not supported: use DAILY, WEEKLY, MONTHLY or YEARLY.",
        ),
        (
            ("COUNT=10", "COUNT=10;UNTIL=20311231"),
            "Line 16 (event “Call”): RRULE: Give COUNT or UNTIL, not both (RFC 5545).",
        ),
        (
            ("EXDATE:20310408T080000Z", "EXDATE:2031-04-08"),
            "Line 18 (event “Call”): EXDATE Expected datetime, date, or time. Got: '2031-04-08'",
        ),
        (
            ("RDATE;VALUE=DATE:20310314,20310315", "RDATE;TZID=Mars/Olympus:20310314T100000"),
            "Line 22 (event “Call”): RDATE names the timezone “Mars/Olympus”, which is unknown and has no "
            "VTIMEZONE.",
        ),
        (
            ("EXDATE:20310408T080000Z", "EXDATE;VALUE=PERIOD:20310408T080000Z/PT1H"),
            "Line 18 (event “Call”): EXDATE must hold dates or date-times, not periods.",
        ),
        (
            ("RECURRENCE-ID:20310325T090000Z", "RECURRENCE-ID;VALUE=PERIOD:20310325T090000Z/PT1H"),
            "Line 26 (event “Call”): RECURRENCE-ID must be a date or a date-time.",
        ),
        (
            ("RECURRENCE-ID:20310325T090000Z", "RECURRENCE-ID:20310325T0900"),
            "Line 26 (event “Call”): RECURRENCE-ID Expected datetime, date, or time. Got: '20310325T0900'",
        ),
        (
            ("RECURRENCE-ID:20310325T090000Z", "RECURRENCE-ID;TZID=Mars/Olympus:20310325T100000"),
            "Line 26 (event “Call”): RECURRENCE-ID names the timezone “Mars/Olympus”, which is unknown and "
            "has no VTIMEZONE.",
        ),
        (
            (
                "DTSTART;TZID=Europe/Vienna:20310325T100000\r\nDTEND;TZID=Europe/Vienna:20310325T110000",
                "DTSTART;VALUE=DATE:20310325",
            ),
            "Line 24 (event “Call”): this changed occurrence must give date-times like the event it changes.",
        ),
        (
            ("RECURRENCE-ID;TZID=Europe/Vienna:20310318T100000", "RECURRENCE-ID:20310325T090000Z"),
            "Line 26 (event “Call”): RECURRENCE-ID: this occurrence is already changed at Line 6 "
            "(one change per UID and RECURRENCE-ID).",
        ),
    ],
)
def test_malformed_recurrence_is_rejected_naming_its_line(replace, problem):
    data = WEEKLY_CALL.replace(replace[0].encode(), replace[1].encode(), 1)

    with pytest.raises(CalendarImportError) as raised:
        import_calendar(data)

    assert raised.value.problems == [problem]
    assert (Event.objects.count(), OccurrenceChange.objects.count()) == (0, 0)


VOLATILE = ("DTSTAMP", "CREATED", "LAST-MODIFIED", "SEQUENCE", "URL", "DESCRIPTION")


def exported_series(client):
    """The feed's VEVENT lines, unfolded, without the lines that differ by row or by moment
    (stamps, SEQUENCE, and the page address, which holds the slug)."""
    text = b"".join(client.get("/en/events/calendar.ics?from=2000-01-01").streaming_content).decode()
    lines = text.replace("\r\n ", "").split("\r\n")
    start = lines.index("BEGIN:VEVENT")
    return [line for line in lines[start:] if line and not line.startswith(VOLATILE)]


def test_round_trip_export_import_export_gives_the_same_series_and_occurrences(client):
    events = [*make_recurring_events().values(), make_leap_day_with_implied_day()]
    before = exported_series(client)
    occurrences_before = site_occurrences(events)
    data = b"".join(client.get("/en/events/calendar.ics?from=2000-01-01").streaming_content)
    Event.objects.all().delete()

    summary = import_calendar(data)

    assert exported_series(client) == before
    assert site_occurrences(Event.objects.all()) == occurrences_before
    assert (len(summary.created), summary.updated, summary.skipped) == (5, [], [])
    assert sum(line.startswith(("RRULE", "EXDATE", "RDATE", "RECURRENCE-ID")) for line in before) == 11
    again = import_calendar(b"".join(client.get("/en/events/calendar.ics?from=2000-01-01").streaming_content))
    assert (again.created, again.updated, len(again.skipped)) == ([], [], 5)


def test_damaged_recurring_files_are_rejected_or_imported_never_crash(client):
    """200 seeded random damages of the series' lines of an export (values changed or cut, lines
    dropped, doubled or added), so that most files still parse and reach the recurrence code."""
    make_recurring_events()
    export = b"".join(client.get("/en/events/calendar.ics?from=2000-01-01").streaming_content).decode()
    lines = export.replace("\r\n ", "").split("\r\n")
    first_vevent = lines.index("BEGIN:VEVENT")
    targets = [n for n in range(first_vevent, len(lines)) if lines[n].startswith(("RRULE", "EXDATE", "RDATE",
               "RECURRENCE-ID", "DTSTART", "DTEND", "UID", "STATUS"))]  # fmt: skip
    new_lines = [
        "RRULE:FREQ=DAILY;COUNT=2",
        "RRULE:FREQ=MONTHLY;BYDAY=9XX",
        "RRULE:FREQ=YEARLY;BYMONTHDAY=31;BYMONTH=2",
        "EXDATE;TZID=Foo/Bar:20310101T100000",
        "EXDATE;VALUE=DATE:20310230",
        "EXDATE:20310325T090000Z,20310401",
        "RDATE;VALUE=PERIOD:20310101T100000Z/PT1H",
        "RDATE;VALUE=PERIOD:20310101T100000Z/20310101T090000Z",
        "RECURRENCE-ID:20310318T090000Z",
        "RECURRENCE-ID;VALUE=DATE:2031",
        "RECURRENCE-ID;RANGE=THISANDFUTURE:20310318T090000Z",
        "EXRULE:FREQ=WEEKLY",
        "EXDATE;VALUE=PERIOD:20310101T100000Z/PT1H",
        "RECURRENCE-ID;VALUE=PERIOD:20310318T090000Z/PT1H",
        "RDATE;VALUE=PERIOD:20310101T100000/20310101T110000Z",
        "RDATE;VALUE=DATE-TIME:20310101T100000,20310102",
    ]
    rng = random.Random(6)
    unexpected, imported = [], 0
    for attempt in range(200):
        damaged = list(lines)
        for _ in range(rng.randint(1, 3)):
            number = rng.choice(targets)
            name, _, value = damaged[number].partition(":")
            choice = rng.random()
            if choice < 0.3 and value:
                position = rng.randrange(len(value))
                value = value[:position] + rng.choice("0123456789TZ;=,:-X") + value[position + 1 :]
                damaged[number] = f"{name}:{value}"
            elif choice < 0.45:
                damaged[number] = f"{name}:{value[: rng.randrange(len(value) + 1)]}"
            elif choice < 0.55:
                damaged[number] = "X-DROPPED:1"
            elif choice < 0.7:
                damaged.insert(number, damaged[number])
            else:
                damaged.insert(number, rng.choice(new_lines))
        try:
            with transaction.atomic():
                import_calendar("\r\n".join(damaged))
                imported += 1
                transaction.set_rollback(True)
        except CalendarImportError:
            pass
        except Exception as error:  # anything else is the bug this test looks for
            unexpected.append((attempt, repr(error)))

    assert unexpected == []
    assert 20 < imported < 180  # both outcomes are exercised


def weekly_with_exceptions(count):
    """The weekly call with ``count`` skipped and ``count`` cancelled Tuesdays."""
    tuesdays = [dt.date(2031, 3, 11) + dt.timedelta(weeks=n) for n in range(2 * count)]
    lines = [*MASTER[:6], *(f"EXDATE;VALUE=DATE:{day:%Y%m%d}" for day in tuesdays[:count]), "END:VEVENT"]
    for day in tuesdays[count:]:
        lines += [*CANCELLED[:2], f"RECURRENCE-ID;TZID=Europe/Vienna:{day:%Y%m%d}T100000", *CANCELLED[3:5]]
        lines += [f"DTSTART;TZID=Europe/Vienna:{day:%Y%m%d}T100000", "END:VEVENT"]
    return ics(*lines).replace(b"COUNT=10", b"COUNT=100")


def test_import_series_queries_do_not_grow_with_its_exceptions(django_assert_num_queries):
    # 21: the content revision stepped once (events.changes), and the rows checked (each row's
    # checks in one query) and written through the admin's service, however many rows; the new
    # event has no stored text to drop
    with django_assert_num_queries(21):
        import_calendar(weekly_with_exceptions(2))
    Event.objects.all().delete()

    with django_assert_num_queries(21):
        import_calendar(weekly_with_exceptions(20))

    assert Event.objects.get().occurrence_changes.count() == 40
