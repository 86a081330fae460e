"""Public event pages: what a visitor reads, and what a bad address gets."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AllDayEventFactory,
    CategoryFactory,
    DocumentFactory,
    EventFactory,
    SessionFactory,
    TagFactory,
    VenueFactory,
)
from tests.pages import text_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
ALLIANCE = "/en/events/21st-conference-alliance-against-trafficking-in-persons/"
HEARING = "/en/events/congressional-hearing-role-of-technology-in-countering-trafficking/"
pytestmark = pytest.mark.django_db


def test_alliance_conference_page_shows_when_where_cost_as_the_original(seed, client):
    text = text_of(client.get(ALLIANCE))

    assert "When: June 14, 2021 – June 16, 2021 all-day" in text
    assert "Where: Hofburg, Vienna, Austria and online via Zoom (upon registration)" in text
    assert "Cost: Free" in text
    assert (
        "Organized by: OSCE Office of the Special Representative and Co-ordinator for Combating "
        "Trafficking in Human Beings" in text
    )


def test_alliance_conference_dates_are_machine_readable(seed, client):
    html = client.get(ALLIANCE).content.decode()

    assert (
        '<time datetime="2021-06-14">June 14, 2021</time> – <time datetime="2021-06-16">June 16, 2021</time>'
        in html
    )


def test_alliance_conference_lists_its_session_documents_and_contact(seed, client):
    response = client.get(ALLIANCE)
    text = text_of(response)

    assert (
        "Programme June 14, 2021 June 14, 2021 @ 2:00 pm – June 16, 2021 @ 4:30 pm CEST Conference sessions"
        in text
    )
    assert "Documents Preliminary Agenda (no download link yet) Concept note (no download link yet)" in text
    assert 'href="mailto:info-cthb@osce.org"' in response.content.decode()
    assert "#CTHB21" in text


def test_registration_box_before_the_deadline(seed, client, frozen_now):
    response = client.get(ALLIANCE)

    assert "Registration open until Thursday 10 June 2021, 17:00 CEST." in text_of(response)
    assert (
        'href="https://events.osce.org/2021-21st-alliance-against-trafficking/registration"'
        in response.content.decode()
    )


def test_registration_box_after_the_deadline(seed, client):
    text = text_of(client.get(ALLIANCE))

    assert "Registration closed (Thursday 10 June 2021, 17:00 CEST)." in text
    assert "Register " not in text


def test_hearing_page_shows_washington_time_and_the_site_time(seed, client):
    text = text_of(client.get(HEARING))

    assert (
        "When: July 28, 2020 @ 10:00 am – 11:00 am EDT July 28, 2020 @ 4:00 pm – 5:00 pm CEST (site time)"
        in text
    )
    assert "Where: Online via videoconferencing" in text


def test_event_page_links_its_calendar_file(seed, client):
    html = client.get(ALLIANCE).content.decode()

    assert f'href="{ALLIANCE.rstrip("/")}.ics"' in html


def test_unknown_event_gives_a_friendly_404(db, client):
    response = client.get("/en/events/no-such-event/")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert "Upcoming events" in text_of(response)


def test_draft_event_is_hidden_from_visitors_and_shown_to_staff(client, admin_client):
    draft = EventFactory(is_published=False, title="Secret planning")

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_ical_url()).status_code == 404
    assert client.get(reverse("events:list")).content.decode().count("Secret planning") == 0
    staff_view = admin_client.get(draft.get_absolute_url())
    assert "Draft: only staff can see this page." in text_of(staff_view)


def test_upcoming_list_shows_future_events_soonest_first_and_not_past_ones(client, frozen_now):
    EventFactory(title="Later", start=dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))
    EventFactory(title="Sooner", start=dt.datetime(2021, 6, 2, 10, tzinfo=VIENNA))
    EventFactory(title="Over", start=dt.datetime(2021, 5, 1, 10, tzinfo=VIENNA))

    text = text_of(client.get(reverse("events:list")))

    assert text.index("Sooner") < text.index("Later")
    assert "Over" not in text


def test_past_list_shows_ended_events_newest_first(client, frozen_now):
    EventFactory(title="Older", start=dt.datetime(2021, 4, 1, 10, tzinfo=VIENNA))
    EventFactory(title="Recent", start=dt.datetime(2021, 5, 1, 10, tzinfo=VIENNA))
    EventFactory(title="Ahead", start=dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))

    text = text_of(client.get(reverse("events:past")))

    assert text.index("Recent") < text.index("Older")
    assert "Ahead" not in text


def test_upcoming_list_is_paginated(client, settings, frozen_now):
    for day in range(1, 25):
        EventFactory(title=f"Day {day:02d}", start=dt.datetime(2021, 7, day, 10, tzinfo=VIENNA))

    first, second = client.get("/en/events/"), client.get("/en/events/?page=2")

    assert "Day 20" in text_of(first)
    assert "Day 21" not in text_of(first)
    assert "Day 21" in text_of(second)
    assert "Page 2" in text_of(second)
    assert 'rel="next"' in first.content.decode()
    assert 'rel="next"' not in second.content.decode()


@pytest.mark.parametrize("page", ["0", "3", "abc", "-1", "1e9", "99999999999999999999", "1000001"])
@pytest.mark.parametrize("path", ["/en/events/", "/en/events/past/", "/en/news/"])
def test_bad_page_numbers_give_404(client, path, page, frozen_now):
    EventFactory(start=dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))

    response = client.get(f"{path}?page={page}")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_empty_upcoming_list_offers_past_events(db, client):
    text = text_of(client.get("/en/events/"))

    assert "No upcoming events at the moment. See past events." in text


def make_listed_events(count, start):
    venue, category, tag = VenueFactory(), CategoryFactory(), TagFactory()
    for index in range(count):
        event = EventFactory(start=start + dt.timedelta(days=index), venue=venue)
        event.categories.add(category)
        event.tags.add(tag)
        SessionFactory(event=event)


@pytest.mark.parametrize("count", [1, 15])
def test_event_list_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    make_listed_events(count, dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))

    # the longest event, events with venue and organizer, categories, tags; repeating events (none
    # here); the filter menus' options: categories, tags, venues (with their cities), organizers
    with django_assert_num_queries(9):
        response = client.get("/en/events/")

    assert text_of(response).count("When:") == count


@pytest.mark.parametrize("sessions", [1, 12])
def test_event_detail_query_count_does_not_grow_with_sessions(client, django_assert_num_queries, sessions):
    event = EventFactory(venue=VenueFactory())
    event.categories.add(CategoryFactory())
    for index in range(sessions):
        SessionFactory(event=event, start=event.start + dt.timedelta(minutes=index))
        DocumentFactory(event=event)

    # event with venue and organizer, categories, tags, sessions, documents, news about it
    with django_assert_num_queries(6):
        response = client.get(event.get_absolute_url())

    assert response.content.decode().count('id="session-') == sessions


def test_category_page_lists_its_events_and_articles(seed, client):
    text = text_of(client.get("/en/categories/events/"))

    assert (
        "Past events Congressional Hearing: The Role of Technology in Countering Trafficking in Persons"
        in text
    )
    assert "News Congressional Hearing" in text
    assert "At Risk" not in text


def test_tag_page_lists_articles_with_the_tag(seed, client):
    text = text_of(client.get("/en/tags/europe/"))

    assert "At Risk: Exploitation and the UK Asylum System" in text
    assert "Still in chains" in text
    assert "Work behind bars" not in text


def test_unknown_category_and_tag_give_404(db, client):
    assert client.get("/en/categories/nope/").status_code == 404
    assert client.get("/en/tags/nope/").status_code == 404


def test_home_page_lists_upcoming_events_and_latest_articles(seed, client, frozen_now):
    text = text_of(client.get("/en/"))

    assert (
        "Upcoming events 21st Conference of the Alliance against Trafficking in Persons "
        "When: June 14, 2021 – June 16, 2021 all-day "
        "Where: Hofburg, Vienna, Austria and online via Zoom (upon registration) Cost: Free" in text
    )
    assert (
        text.index("At Risk")
        < text.index("Congressional Hearing")
        < text.index("Still in chains")
        < text.index("Work behind bars")
    )


def test_home_page_empty_state_points_to_past_events(seed, client):
    text = text_of(client.get("/en/"))

    assert "No upcoming events at the moment. See past events." in text


def test_all_day_event_card_in_another_timezone_keeps_its_dates(client, frozen_now):
    AllDayEventFactory(
        title="Pacific day",
        timezone="Pacific/Auckland",
        start_date=dt.date(2021, 7, 1),
        end_date=dt.date(2021, 7, 1),
    )

    assert "Pacific day When: July 1, 2021 all-day" in text_of(client.get("/en/events/"))


def test_list_pages_never_count_the_events(client, frozen_now):
    make_listed_events(45, dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))

    with CaptureQueriesContext(connection) as queries:
        third = client.get("/en/events/?page=3")
    beyond = client.get("/en/events/?page=4")

    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]
    assert "Page 3" in text_of(third)
    assert text_of(third).count("When:") == 5
    assert 'rel="prev" href="?page=2"' in third.content.decode()
    assert 'rel="next"' not in third.content.decode()
    assert beyond.status_code == 404


@pytest.mark.parametrize("page", ["last", "1.5", "0"])
def test_list_page_that_cannot_be_named_gives_404(client, frozen_now, page):
    make_listed_events(3, dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))

    assert client.get(f"/en/events/?page={page}").status_code == 404
