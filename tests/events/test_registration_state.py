"""Past and closing events: an ended event says so, a passed deadline offers no reminder, and cards
on lists and the home page show where registration stands."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from tests.factories import EventFactory
from tests.pages import text_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2031, 6, 10, 17, 0, tzinfo=VIENNA)


@pytest.fixture
def conference():
    return EventFactory(
        title="Forum",
        slug="forum",
        start=dt.datetime(2031, 6, 14, 9, 0, tzinfo=VIENNA),
        end=dt.datetime(2031, 6, 16, 17, 0, tzinfo=VIENNA),
        registration_url="https://example.org/register",
        registration_deadline=DEADLINE,
    )


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (dt.datetime(2031, 5, 1, 12, 0, tzinfo=VIENNA), "Registration open until June 10, 2031"),
        (dt.datetime(2031, 6, 7, 12, 0, tzinfo=VIENNA), "Registration closes in 3 days"),
        (dt.datetime(2031, 6, 9, 16, 0, tzinfo=VIENNA), "Registration closes in 1 day"),
        (dt.datetime(2031, 6, 10, 12, 0, tzinfo=VIENNA), "Registration closes in 5 hours"),
        (dt.datetime(2031, 6, 10, 16, 30, tzinfo=VIENNA), "Registration closes within the hour"),
        (dt.datetime(2031, 6, 10, 17, 0, tzinfo=VIENNA), "Registration closed"),
    ],
)
def test_cards_show_where_registration_stands(client, conference, now, state):
    with time_machine.travel(now, tick=False):
        for path in ("/en/events/", "/en/"):
            card = text_of(client.get(path)).split("Forum", 1)[1]
            assert state in card, path


def test_a_card_without_registration_says_nothing_of_it(client):
    EventFactory(title="Talk", start=dt.datetime(2031, 6, 14, 9, 0, tzinfo=VIENNA))
    with time_machine.travel(dt.datetime(2031, 6, 1, tzinfo=VIENNA), tick=False):
        assert "Registration" not in text_of(client.get("/en/events/"))


def test_a_cancelled_event_speaks_of_no_registration(client, conference):
    conference.status = "cancelled"
    conference.save()
    with time_machine.travel(dt.datetime(2031, 6, 1, tzinfo=VIENNA), tick=False):
        assert "Registration closes" not in text_of(client.get("/en/events/"))


def test_before_the_deadline_the_page_offers_a_reminder(client, conference):
    with time_machine.travel(dt.datetime(2031, 6, 1, tzinfo=VIENNA), tick=False):
        response = client.get("/en/events/forum/")
    assert "Registration deadline as a reminder" in text_of(response)
    assert "has ended" not in text_of(response)


def test_after_the_deadline_no_reminder_is_offered(client, conference):
    with time_machine.travel(dt.datetime(2031, 6, 12, tzinfo=VIENNA), tick=False):
        text = text_of(client.get("/en/events/forum/"))
    assert "Registration deadline as a reminder" not in text
    assert "Registration closed" in text
    assert "has ended" not in text


def test_a_past_events_page_says_it_has_ended(client, conference):
    with time_machine.travel(dt.datetime(2031, 6, 16, 17, 0, tzinfo=VIENNA), tick=False):
        text = text_of(client.get("/en/events/forum/"))
    assert "This event has ended." in text
    assert "Registration deadline as a reminder" not in text


def test_a_series_has_ended_only_after_its_last_date(client):
    EventFactory(
        title="Call",
        slug="call",
        start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA),
        recurrence_rule="FREQ=WEEKLY;COUNT=3",
    )
    with time_machine.travel(dt.datetime(2031, 3, 12, tzinfo=VIENNA), tick=False):
        assert "has ended" not in text_of(client.get("/en/events/call/"))
        assert "This date has passed." in text_of(client.get("/en/events/call/20310304T1000/"))
    with time_machine.travel(dt.datetime(2031, 3, 19, tzinfo=VIENNA), tick=False):
        assert "This event has ended." in text_of(client.get("/en/events/call/"))
