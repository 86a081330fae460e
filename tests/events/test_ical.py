"""The per-event .ics download, parsed back and compared property by property."""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest

from events.models import Event
from tests.factories import AllDayEventFactory, EventFactory, SessionFactory, VenueFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ALLIANCE_ICS = "/en/events/21st-conference-alliance-against-trafficking-in-persons.ics"
pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, icalendar.Calendar.from_ical(response.content)


def test_download_is_a_calendar_attachment_with_a_filename(seed, client):
    response, _ = download(client, ALLIANCE_ICS)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="21st-conference-alliance-against-trafficking-in-persons.ics"'
    )


def test_lines_end_in_crlf_and_are_folded_at_75_octets(seed, client):
    response, _ = download(client, ALLIANCE_ICS)
    raw = response.content

    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75


def test_calendar_header(seed, client):
    _, calendar = download(client, ALLIANCE_ICS)

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Events site//Events calendar 1.0//EN"
    assert calendar["X-WR-CALNAME"] == "21st Conference of the Alliance against Trafficking in Persons"


def test_all_day_conference_is_dates_with_an_exclusive_end(seed, client):
    _, calendar = download(client, ALLIANCE_ICS)
    conference = next(c for c in calendar.walk("VEVENT") if "RELATED-TO" not in c)

    assert conference.decoded("DTSTART") == dt.date(2021, 6, 14)
    assert conference.decoded("DTEND") == dt.date(2021, 6, 17)
    assert conference["DTSTART"].params["VALUE"] == "DATE"
    assert not isinstance(conference.decoded("DTSTART"), dt.datetime)


def test_conference_properties(seed, client):
    _, calendar = download(client, ALLIANCE_ICS)
    conference = next(c for c in calendar.walk("VEVENT") if "RELATED-TO" not in c)

    assert conference["SUMMARY"] == "21st Conference of the Alliance against Trafficking in Persons"
    assert conference["LOCATION"] == "Hofburg, Vienna, Austria and online via Zoom (upon registration)"
    assert conference["STATUS"] == "CONFIRMED"
    assert (
        conference["URL"]
        == "http://testserver/en/events/21st-conference-alliance-against-trafficking-in-persons/"
    )
    assert conference["SEQUENCE"] == 0
    assert (
        "Registration (until Thursday 10 June 2021, 17:00 CEST): https://events.osce.org/"
        in conference["DESCRIPTION"]
    )
    assert "<" not in conference["DESCRIPTION"]


def test_timed_session_keeps_its_vienna_wall_clock_and_a_vtimezone_is_included(seed, client):
    _, calendar = download(client, ALLIANCE_ICS)
    session = next(c for c in calendar.walk("VEVENT") if "RELATED-TO" in c)
    start, end = session.decoded("DTSTART"), session.decoded("DTEND")

    assert session["DTSTART"].params["TZID"] == "Europe/Vienna"
    assert (start.isoformat(), end.isoformat()) == ("2021-06-14T14:00:00+02:00", "2021-06-16T16:30:00+02:00")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Vienna"]


def test_every_tzid_has_a_vtimezone(client):
    event = EventFactory(
        timezone="America/New_York",
        start=dt.datetime(2031, 3, 4, 10, tzinfo=zoneinfo.ZoneInfo("America/New_York")),
    )
    SessionFactory(event=event)

    _, calendar = download(client, event.get_ical_url())

    used = {c["DTSTART"].params["TZID"] for c in calendar.walk("VEVENT")}
    assert used == {tz["TZID"] for tz in calendar.walk("VTIMEZONE")} == {"America/New_York"}


def test_uids_are_stable_distinct_and_have_the_domain_and_dtstamp_is_utc(seed, client, settings):
    response, first = download(client, ALLIANCE_ICS)
    _, second = download(client, ALLIANCE_ICS)
    uids = [str(c["UID"]) for c in first.walk("VEVENT")]

    assert uids == [str(c["UID"]) for c in second.walk("VEVENT")]
    assert len(set(uids)) == 2
    assert all(uid.endswith(f"@{settings.SITE_DOMAIN}") for uid in uids)
    stamps = re.findall(rb"^DTSTAMP:(.*)\r$", response.content, flags=re.M)
    assert len(stamps) == 2
    assert all(re.fullmatch(rb"\d{8}T\d{6}Z", stamp) for stamp in stamps)


def test_session_is_related_to_its_event(seed, client):
    _, calendar = download(client, ALLIANCE_ICS)
    conference = Event.objects.get(slug="21st-conference-alliance-against-trafficking-in-persons")
    session = next(c for c in calendar.walk("VEVENT") if "RELATED-TO" in c)

    assert session["RELATED-TO"] == conference.ical_uid
    assert (
        session["SUMMARY"]
        == "21st Conference of the Alliance against Trafficking in Persons: Conference sessions"
    )


def test_cancelled_event_is_exported_as_cancelled(client):
    event = EventFactory(status=Event.Status.CANCELLED)

    _, calendar = download(client, event.get_ical_url())

    assert next(iter(calendar.walk("VEVENT")))["STATUS"] == "CANCELLED"


def test_sequence_follows_edits(client):
    event = AllDayEventFactory(venue=VenueFactory())
    event.title = "Edited"
    event.save()

    _, calendar = download(client, event.get_ical_url())

    assert next(iter(calendar.walk("VEVENT")))["SEQUENCE"] == 1


def test_unknown_event_file_is_404(db, client):
    assert client.get("/en/events/nope.ics").status_code == 404


def test_timezones_comment_only_where_rfc_5545_allows_it(client):
    """RFC 5545 §3.6.5: COMMENT is a property of STANDARD and DAYLIGHT, not of VTIMEZONE itself."""
    event = EventFactory(
        slug="call", timezone="America/New_York", start=dt.datetime(2031, 7, 28, 10, tzinfo=NEW_YORK)
    )

    _, calendar = download(client, f"/en/events/{event.slug}.ics")

    (timezone,) = calendar.walk("VTIMEZONE")
    assert "COMMENT" not in timezone
    observances = timezone.subcomponents
    assert {o.name for o in observances} == {"STANDARD", "DAYLIGHT"}
    assert all("COMMENT" in observance for observance in observances)
