"""RFC 5545 / RFC 7986 rules checked on the raw text of our files, not through a parser."""

import re

import pytest
from django.conf import settings

from tests.calendar_cases import make_tricky_events
from tests.factories import EventFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db


def raw_feed(client, url="/en/events/calendar.ics"):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def unfolded(raw):
    """Logical lines: CRLF followed by a space or tab continues the previous line."""
    return re.sub(rb"\r\n[ \t]", b"", raw).decode("utf-8").split("\r\n")


def components(lines, name):
    """[[line, ...], ...]: the lines of each top-level component called ``name``."""
    found, current = [], None
    for line in lines:
        if line == f"BEGIN:{name}":
            current = []
        elif line == f"END:{name}" and current is not None:
            found.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return found


def prop(component_lines, name):
    """Values of the properties called ``name`` (with their parameters, before the colon)."""
    return [line for line in component_lines if re.match(rf"{name}[;:]", line)]


@pytest.fixture
def feed(db, client):
    events = make_tricky_events()
    EventFactory(
        title="Ünïcödé " * 20,
        slug="unicode",
        description="<p>Lange <strong>Beschreibung</strong> mit Umlauten: äöü ß € " * 5 + "</p>",
        venue=VenueFactory(name="Große Halle"),
    )
    SessionFactory(event=events["vienna-across-midnight"], location="Room 1")
    return raw_feed(client)


def test_feed_lines_end_in_crlf_and_fold_at_75_octets_without_splitting_characters(feed):
    assert feed.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in feed.replace(b"\r\n", b"")
    physical = feed.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    for line in physical:
        line.decode("utf-8")  # a fold inside a multi-byte character would fail here


def test_feed_header_has_version_prodid_name_and_refresh_hints(feed):
    lines = unfolded(feed)
    header = lines[: lines.index("BEGIN:VTIMEZONE")]

    assert lines[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in header
    assert "PRODID:-//Events site//Events calendar 1.0//EN" in header
    assert "NAME:Events" in header
    assert "X-WR-CALNAME:Events" in header
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in header
    assert "X-PUBLISHED-TTL:PT12H" in header
    assert "SOURCE;VALUE=URI:http://testserver/en/events/calendar.ics" in header


def test_every_vevent_has_the_required_properties(feed):
    vevents = components(unfolded(feed), "VEVENT")

    assert len(vevents) == 10
    for vevent in vevents:
        (uid,) = prop(vevent, "UID")
        assert uid.endswith(f"@{settings.SITE_DOMAIN}")
        (stamp,) = prop(vevent, "DTSTAMP")
        assert re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", stamp)
        (modified,) = prop(vevent, "LAST-MODIFIED")
        assert re.fullmatch(r"LAST-MODIFIED:\d{8}T\d{6}Z", modified)
        assert re.fullmatch(r"SEQUENCE:\d+", prop(vevent, "SEQUENCE")[0])
        assert re.fullmatch(
            r"URL:http://testserver/en/events/[-a-z0-9]+/(#session-\d+)?", prop(vevent, "URL")[0]
        )
        assert len(prop(vevent, "DTSTART")) == len(prop(vevent, "DTEND")) == 1
        assert len(prop(vevent, "SUMMARY")) == len(prop(vevent, "DESCRIPTION")) == 1
        assert "<" not in prop(vevent, "DESCRIPTION")[0]


def test_uids_are_unique_in_the_feed(feed):
    uids = [prop(vevent, "UID")[0] for vevent in components(unfolded(feed), "VEVENT")]

    assert len(uids) == len(set(uids))


def test_location_is_written_for_events_with_a_venue_and_sessions_with_a_room(feed):
    locations = [prop(v, "LOCATION") for v in components(unfolded(feed), "VEVENT")]

    assert ["LOCATION:Große Halle\\, Vienna\\, Austria"] in locations
    assert ["LOCATION:Room 1"] in locations


def test_all_day_items_are_dates_with_an_exclusive_end(feed):
    vevents = components(unfolded(feed), "VEVENT")
    one_day = next(v for v in vevents if "SUMMARY:All day one day" in v)
    month = next(v for v in vevents if "SUMMARY:All day across a month boundary" in v)

    assert prop(one_day, "DTSTART") == ["DTSTART;VALUE=DATE:20310614"]
    assert prop(one_day, "DTEND") == ["DTEND;VALUE=DATE:20310615"]
    assert prop(month, "DTSTART") == ["DTSTART;VALUE=DATE:20310130"]
    assert prop(month, "DTEND") == ["DTEND;VALUE=DATE:20310203"]


def test_timed_items_keep_their_wall_clock_with_a_tzid(feed):
    vevents = components(unfolded(feed), "VEVENT")
    march = next(v for v in vevents if "SUMMARY:Vienna across the march dst change" in v)

    assert prop(march, "DTSTART") == ["DTSTART;TZID=Europe/Vienna:20310329T220000"]
    assert prop(march, "DTEND") == ["DTEND;TZID=Europe/Vienna:20310330T040000"]


def test_every_tzid_has_exactly_one_vtimezone_covering_the_items(feed):
    lines = unfolded(feed)
    used = set(re.findall(r";TZID=([^:;]+)[:;]", "\n".join(lines)))
    defined = [prop(tz, "TZID")[0].removeprefix("TZID:") for tz in components(lines, "VTIMEZONE")]

    assert used == {"Europe/Vienna", "America/New_York"}
    assert sorted(defined) == sorted(used)
    vienna = next(tz for tz in components(lines, "VTIMEZONE") if "TZID:Europe/Vienna" in tz)
    assert "RDATE:20310330T030000" in vienna  # the March 2031 change, one RDATE per line
    assert "RDATE:20311026T030000" in vienna


def test_cancelled_event_stays_in_the_feed_as_cancelled(feed):
    vevents = components(unfolded(feed), "VEVENT")
    cancelled = next(v for v in vevents if "SUMMARY:Cancelled in vienna winter" in v)

    assert prop(cancelled, "STATUS") == ["STATUS:CANCELLED"]
