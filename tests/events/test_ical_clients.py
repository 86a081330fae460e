"""Our .ics files as the parsers of real clients read them: ical.js (Thunderbird), libical
(Evolution, GNOME), Python icalendar and vobject. Each must see the same events at the same times."""

import pytest
from django.conf import settings

from tests.calendar_cases import CASES, SESSION_CASE, make_tricky_events
from tests.parsers import PARSERS

pytestmark = pytest.mark.django_db
ALLIANCE_ICS = "/en/events/21st-conference-alliance-against-trafficking-in-persons.ics"


def feed_bytes(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def tricky(db):
    return make_tricky_events()


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_every_tricky_event_of_the_feed_at_the_right_time(parser, tricky, client, tmp_path):
    parsed = PARSERS[parser](feed_bytes(client, "/en/events/calendar.ics"), tmp_path)
    by_uid = {event["uid"]: event for event in parsed["events"]}

    for case in CASES:
        event = by_uid[tricky[case.slug].ical_uid]
        assert (event["start"], event["end"], event["status"]) == (case.start, case.end, case.status), (
            case.slug
        )
    session = tricky["new-york-in-summer"].sessions.get()
    parsed_session = by_uid[session.ical_uid]
    assert (parsed_session["start"], parsed_session["end"]) == (SESSION_CASE.start, SESSION_CASE.end)
    assert parsed_session["related_to"] == tricky["new-york-in-summer"].ical_uid
    assert len(parsed["events"]) == len(CASES) + 1
    assert sorted(parsed["timezones"]) == ["America/New_York", "Europe/Vienna"]


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_the_alliance_conference_file(parser, seed, client, tmp_path):
    parsed = PARSERS[parser](feed_bytes(client, ALLIANCE_ICS), tmp_path)

    conference, session = parsed["events"]
    assert (conference["summary"], conference["start"], conference["end"]) == (
        "21st Conference of the Alliance against Trafficking in Persons",
        "2021-06-14",
        "2021-06-17",
    )
    assert (session["start"], session["end"]) == ("2021-06-14T12:00:00Z", "2021-06-16T14:30:00Z")
    assert session["related_to"] == conference["uid"]
    assert conference["uid"].endswith(f"@{settings.SITE_DOMAIN}")
    assert parsed["timezones"] == ["Europe/Vienna"]


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_a_registration_deadline_item(parser, seed, client, tmp_path):
    url = "/en/events/21st-conference-alliance-against-trafficking-in-persons/registration-deadline.ics"

    (deadline,) = PARSERS[parser](feed_bytes(client, url), tmp_path)["events"]

    assert (
        deadline["summary"]
        == "Registration closes: 21st Conference of the Alliance against Trafficking in Persons"
    )
    assert (deadline["start"], deadline["end"]) == ("2021-06-10T15:00:00Z", "2021-06-10T15:00:00Z")


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_an_empty_feed(parser, db, client, tmp_path):
    parsed = PARSERS[parser](feed_bytes(client, "/en/events/calendar.ics"), tmp_path)

    assert parsed["events"] == []
    assert parsed["timezones"] == [settings.TIME_ZONE]


@pytest.mark.parametrize("parser", PARSERS)
def test_parser_reads_the_links_of_stored_texts_folded_around_the_sites_address(
    parser, client, tmp_path, committed, frozen_now
):
    """Feeds copy stored texts with the site's address put in, on a folded line of its own
    (events.calendar_files.stored): every client joins it back into the link."""
    from django.core.management import call_command

    from events.models import Event, EventFeedText

    with committed():
        call_command("load_seed", verbosity=0)
    assert EventFeedText.objects.count() == Event.objects.count() == 2

    parsed = PARSERS[parser](feed_bytes(client, "/en/events/calendar.ics"), tmp_path)

    conference = Event.objects.get(title__startswith="21st")
    urls = {event["summary"]: event["url"] for event in parsed["events"]}
    assert urls[conference.title] == f"http://testserver{conference.get_absolute_url()}"
    assert all(url.startswith("http://testserver/en/events/") for url in urls.values())
