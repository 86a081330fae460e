"""The query-string filters every event view shares."""

import datetime as dt
import zoneinfo

import pytest
from django.http import QueryDict

from events.filters import EventFilterForm
from events.models import Event
from tests.factories import (
    AllDayEventFactory,
    CategoryFactory,
    EventFactory,
    OrganizerFactory,
    TagFactory,
    VenueFactory,
)

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def filtered(query):
    form = EventFilterForm(QueryDict(query))
    return form, set(form.filter(Event.objects.all()).values_list("title", flat=True))


def test_no_filters_keeps_everything():
    EventFactory(title="A")

    form, titles = filtered("")

    assert titles == {"A"}
    assert form.active == []
    assert form.messages == []


def test_filters_combine():
    workshops, europe = CategoryFactory(slug="workshops"), TagFactory(slug="europe")
    hofburg = VenueFactory(slug="hofburg", city="Vienna")
    both = EventFactory(title="Both", venue=hofburg)
    both.categories.add(workshops)
    both.tags.add(europe)
    EventFactory(title="Category only").categories.add(workshops)
    EventFactory(title="Tag only").tags.add(europe)

    _, titles = filtered("category=workshops&tag=europe&venue=hofburg&city=vienna")

    assert titles == {"Both"}


def test_organizer_and_attendance_mode():
    osce = OrganizerFactory(slug="osce")
    EventFactory(title="Online OSCE", organizer=osce, attendance_mode="online")
    EventFactory(title="In person OSCE", organizer=osce, attendance_mode="in_person")
    EventFactory(title="Online other", attendance_mode="online")

    _, titles = filtered("organizer=osce&mode=online")

    assert titles == {"Online OSCE"}


def test_search_matches_every_word_in_title_summary_description_or_venue():
    EventFactory(title="Alliance conference", venue=VenueFactory(name="Hofburg"))
    EventFactory(title="Webinar", description="About the alliance and supply chains")
    EventFactory(title="Unrelated")

    assert filtered("q=alliance")[1] == {"Alliance conference", "Webinar"}
    assert filtered("q=alliance+hofburg")[1] == {"Alliance conference"}


def test_search_matches_the_venue_city_and_combines_words_from_different_places():
    EventFactory(title="Labour inspection forum", venue=VenueFactory(name="Town Hall", city="Nairobi"))
    EventFactory(title="Labour inspection webinar")
    EventFactory(title="Nairobi round table", summary="On labour inspection", venue=None)

    assert filtered("q=nairobi")[1] == {"Labour inspection forum", "Nairobi round table"}
    assert filtered("q=INSPECTION+town+nairobi")[1] == {"Labour inspection forum"}


def test_search_words_shorter_than_three_characters_still_match_inside_words():
    # No trigram index helps here (see the README); the result is the same, found by reading.
    EventFactory(title="European forum")
    EventFactory(title="Webinar", description="Hosted by the EU delegation")
    EventFactory(title="Other", venue=VenueFactory(name="Hall", city="Leuven"))
    EventFactory(title="Unrelated")

    assert filtered("q=eu")[1] == {"European forum", "Webinar", "Other"}
    assert filtered("q=eu+web")[1] == {"Webinar"}


def test_unknown_term_gives_an_empty_result_and_a_message():
    EventFactory(title="A")

    form, titles = filtered("category=no-such-thing")

    assert titles == set()
    assert form.messages == ["No category “no-such-thing” exists, so no events match."]


def test_invalid_value_is_ignored_with_a_message():
    EventFactory(title="A")

    form, titles = filtered("mode=teleport&from=not-a-date")

    assert titles == {"A"}
    assert any(message.startswith("Attendance:") for message in form.messages)
    assert any(message.startswith("From:") for message in form.messages)


def test_date_range_uses_site_days_for_timed_and_named_dates_for_all_day():
    # 19:30 on 28 July in New York is already 29 July in Vienna.
    EventFactory(
        title="Late in New York",
        timezone="America/New_York",
        start=dt.datetime(2031, 7, 28, 19, 30, tzinfo=NEW_YORK),
    )
    AllDayEventFactory(
        title="All-day in New York",
        timezone="America/New_York",
        start_date=dt.date(2031, 7, 28),
        end_date=dt.date(2031, 7, 28),
    )

    assert filtered("from=2031-07-29&to=2031-07-29")[1] == {"Late in New York"}
    assert filtered("from=2031-07-28&to=2031-07-28")[1] == {"All-day in New York"}


def test_date_range_catches_events_spanning_it():
    AllDayEventFactory(title="Across June", start_date=dt.date(2031, 5, 30), end_date=dt.date(2031, 6, 2))

    assert filtered("from=2031-06-01")[1] == {"Across June"}
    assert filtered("to=2031-05-29")[1] == set()


def test_active_filters_link_to_the_view_without_each_one():
    CategoryFactory(slug="workshops", name="Workshops")

    form, _ = filtered("category=workshops&q=vienna&page=3")

    assert form.active == [
        ("q", "Search", "vienna", "category=workshops"),
        ("category", "Category", "Workshops", "q=vienna"),
    ]
    assert form.query_string == "q=vienna&category=workshops"
