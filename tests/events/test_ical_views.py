"""Calendar files beyond one event: feeds (filtered, windowed, capped), sessions, the personal
schedule, the registration deadline, the subscribe page, and conditional requests."""

import datetime as dt
import zoneinfo
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
from django.utils import timezone
from django.utils.html import escape

from tests.factories import (
    AllDayEventFactory,
    CategoryFactory,
    EventFactory,
    OrganizerFactory,
    SessionFactory,
    TagFactory,
    VenueFactory,
)
from tests.pages import text_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
ALLIANCE = "/en/events/21st-conference-alliance-against-trafficking-in-persons"
pytestmark = pytest.mark.django_db


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def parsed(response):
    assert response.status_code == 200, body(response)
    return icalendar.Calendar.from_ical(body(response))


def summaries(calendar):
    return [str(c["SUMMARY"]) for c in calendar.walk("VEVENT")]


@pytest.fixture
def june_2021(frozen_now):
    """Now is 1 June 2021, 12:00 UTC."""
    return frozen_now


def test_feed_is_a_calendar_download_with_validators(client):
    EventFactory(title="Soon")

    response = client.get("/en/events/calendar.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="events.ics"'
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith(" GMT")
    assert summaries(parsed(response)) == ["Soon"]


def test_feed_filtered_by_category_holds_only_that_category_and_is_named_for_it(client):
    publications = CategoryFactory(name="Publications", slug="publications")
    EventFactory(title="In it").categories.add(publications)
    EventFactory(title="Not in it")

    calendar = parsed(client.get("/en/events/calendar.ics?category=publications"))

    assert summaries(calendar) == ["In it"]
    assert calendar["X-WR-CALNAME"] == "Events (Category: Publications)"


def test_feed_filtered_by_search_and_mode(client):
    EventFactory(title="Online hearing", attendance_mode="online")
    EventFactory(title="Hearing in person", attendance_mode="in_person")
    EventFactory(title="Online webinar", attendance_mode="online")

    calendar = parsed(client.get("/en/events/calendar.ics?q=hearing&mode=online"))

    assert summaries(calendar) == ["Online hearing"]


def test_feed_window_reaches_back_a_year_and_forward_without_limit(client, june_2021):
    EventFactory(title="Ended 400 days ago", start=dt.datetime(2020, 4, 27, 10, tzinfo=VIENNA))
    EventFactory(title="Ended 300 days ago", start=dt.datetime(2020, 8, 5, 10, tzinfo=VIENNA))
    EventFactory(title="In ten years", start=dt.datetime(2031, 6, 1, 10, tzinfo=VIENNA))

    assert summaries(parsed(client.get("/en/events/calendar.ics"))) == ["Ended 300 days ago", "In ten years"]


def test_feed_with_a_date_range_is_not_cut_by_the_window(client, june_2021):
    EventFactory(title="Ended 400 days ago", start=dt.datetime(2020, 4, 27, 10, tzinfo=VIENNA))

    calendar = parsed(client.get("/en/events/calendar.ics?from=2020-04-01&to=2020-04-30"))

    assert summaries(calendar) == ["Ended 400 days ago"]


def test_feed_over_the_cap_keeps_the_earliest_and_says_so(client, settings):
    settings.ICS_FEED_MAX_EVENTS = 2
    for day in (3, 1, 2):
        EventFactory(title=f"Day {day}", start=dt.datetime(2031, 3, day, 10, tzinfo=VIENNA))

    response = client.get("/en/events/calendar.ics")
    calendar = parsed(response)

    assert summaries(calendar) == ["Day 1", "Day 2"]
    assert response["X-Calendar-Truncated"] == "2 of 3"
    assert str(calendar["DESCRIPTION"]).startswith(
        "This feed holds the first 2 of 3 matching events; narrow it with filters."
    )


def test_feed_under_the_cap_states_the_window_and_is_not_marked_truncated(client):
    EventFactory()

    response = client.get("/en/events/calendar.ics")

    assert "X-Calendar-Truncated" not in response
    assert str(parsed(response)["DESCRIPTION"]) == (
        "Subscriptions carry events that ended up to 365 days ago and every later event, at most 5,000 "
        "events per feed (the earliest first); a feed that reaches the cap says so in its description. "
        "Calendar apps are asked to refresh every 12 hours."
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("category=nope", "No category “nope” exists, so no events match."),
        ("from=tomorrow", "From: Enter a valid date. This filter was ignored."),
    ],
)
def test_feed_with_bad_filters_is_a_valid_calendar_that_says_why(client, query, message):
    EventFactory(title="Any")

    calendar = parsed(client.get(f"/en/events/calendar.ics?{query}"))

    assert message in str(calendar["DESCRIPTION"])


def test_feed_never_carries_drafts_even_for_staff(admin_client):
    EventFactory(title="Draft", is_published=False)
    EventFactory(title="Published")

    assert summaries(parsed(admin_client.get("/en/events/calendar.ics"))) == ["Published"]


def test_feed_answers_a_matching_if_none_match_with_304(client):
    EventFactory()
    first = client.get("/en/events/calendar.ics")

    again = client.get("/en/events/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert body(again) == b""


def test_feed_answers_if_modified_since_with_304(client):
    EventFactory()
    first = client.get("/en/events/calendar.ics")

    assert (
        client.get("/en/events/calendar.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code
        == 304
    )


def test_feed_changes_its_etag_when_an_event_is_edited_or_added(client):
    event = EventFactory()
    first = client.get("/en/events/calendar.ics")["ETag"]
    event.title = "Renamed"
    event.save()

    after_edit = client.get("/en/events/calendar.ics", HTTP_IF_NONE_MATCH=first)
    edited = summaries(parsed(after_edit))
    EventFactory()
    after_add = client.get("/en/events/calendar.ics", HTTP_IF_NONE_MATCH=after_edit["ETag"])

    assert after_edit.status_code == 200
    assert edited == ["Renamed"]
    assert after_add.status_code == 200


def test_conditional_feed_request_does_not_build_the_file(client, django_assert_num_queries):
    EventFactory()
    etag = client.get("/en/events/calendar.ics")["ETag"]

    with django_assert_num_queries(1):  # the count and max(updated_at) only
        assert client.get("/en/events/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize("rows", [2, 20])
def test_feed_query_count_does_not_grow_with_rows(client, django_assert_num_queries, rows):
    category = CategoryFactory()
    for day in range(rows):
        event = EventFactory(start=dt.datetime(2031, 3, 1, 10, tzinfo=VIENNA) + dt.timedelta(days=day))
        event.categories.add(category)
        SessionFactory(event=event)

    # version and timezones, the rows' stored texts (none here: no SITE_URL), then the events
    # built instead, their categories, occurrence changes and sessions (tests/events/test_feed_text.py:
    # with stored texts, the first two only)
    with django_assert_num_queries(6):
        calendar = parsed(client.get("/en/events/calendar.ics"))

    assert len(list(calendar.walk("VEVENT"))) == rows * 2


def test_event_file_answers_a_matching_if_none_match_with_304(seed, client):
    first = client.get(f"{ALLIANCE}.ics")

    again = client.get(f"{ALLIANCE}.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Last-Modified"].endswith(" GMT")
    assert again.status_code == 304


def test_event_file_query_count_does_not_grow_with_sessions(client, django_assert_num_queries):
    event = EventFactory()
    for minutes in range(0, 300, 30):
        SessionFactory(event=event, start=event.start + dt.timedelta(minutes=minutes))

    # event with venue and organizer, categories, occurrence changes, sessions
    with django_assert_num_queries(4):
        calendar = parsed(client.get(event.get_ical_url()))

    assert len(list(calendar.walk("VEVENT"))) == 11


def test_session_file_holds_only_that_session(client):
    event = EventFactory(title="Conference")
    SessionFactory(event=event, title="Opening")
    closing = SessionFactory(event=event, title="Closing")

    response = client.get(f"/en/events/{event.slug}/sessions/{closing.pk}.ics")

    assert summaries(parsed(response)) == ["Conference: Closing"]
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-session-{closing.pk}.ics"'


def test_session_file_of_another_event_is_404(client):
    other = SessionFactory()
    event = EventFactory()

    assert client.get(f"/en/events/{event.slug}/sessions/{other.pk}.ics").status_code == 404


def test_registration_deadline_is_its_own_item_with_a_reminder(seed, client):
    calendar = parsed(client.get(f"{ALLIANCE}/registration-deadline.ics"))
    (item,) = calendar.walk("VEVENT")

    assert (
        item["SUMMARY"]
        == "Registration closes: 21st Conference of the Alliance against Trafficking in Persons"
    )
    assert item.decoded("DTSTART").isoformat() == "2021-06-10T17:00:00+02:00"
    assert item.decoded("DTEND") == item.decoded("DTSTART")
    assert str(item["UID"]).startswith("registration-deadline-")
    assert item["TRANSP"] == "TRANSPARENT"
    assert item["URL"] == "https://events.osce.org/2021-21st-alliance-against-trafficking/registration"
    (alarm,) = item.walk("VALARM")
    assert alarm.decoded("TRIGGER") == dt.timedelta(days=-1)


def test_registration_deadline_of_an_event_without_one_is_404(client):
    event = EventFactory()

    assert client.get(f"/en/events/{event.slug}/registration-deadline.ics").status_code == 404


@pytest.fixture
def conference(db):
    event = AllDayEventFactory(title="Conference", slug="conference", start_date=dt.date(2031, 6, 14))
    sessions = [
        SessionFactory(
            event=event,
            title=title,
            start=dt.datetime(2031, 6, 14, hour, tzinfo=VIENNA),
            end=dt.datetime(2031, 6, 14, hour + 1, tzinfo=VIENNA),
        )
        for hour, title in ((9, "Opening"), (11, "Workshop"), (15, "Closing"))
    ]
    return event, sessions


def test_schedule_page_is_a_get_form_with_a_checkbox_per_session(client, conference):
    _, sessions = conference

    response = client.get("/en/events/conference/schedule/")
    html = response.content.decode()

    assert '<form method="get" action="/en/events/conference/schedule/">' in html
    for session in sessions:
        assert f'<input type="checkbox" name="session" value="{session.pk}">' in html
    assert "Opening June 14, 2031 @ 9:00 am – 10:00 am CEST" in text_of(response)


def test_schedule_page_with_a_choice_links_a_file_and_a_subscription_of_it(client, conference):
    _, (opening, _, closing) = conference

    html = client.get(
        f"/en/events/conference/schedule/?session={opening.pk}&session={closing.pk}"
    ).content.decode()

    query = f"session={opening.pk}&amp;session={closing.pk}"
    assert f'href="/en/events/conference/schedule.ics?{query}"' in html
    assert f'href="webcal://testserver/en/events/conference/schedule.ics?{query}"' in html
    assert f'<input type="checkbox" name="session" value="{closing.pk}" checked>' in html


def test_schedule_file_holds_the_chosen_sessions_only(client, conference):
    _, (opening, _, closing) = conference

    response = client.get(f"/en/events/conference/schedule.ics?session={closing.pk}&session={opening.pk}")
    calendar = parsed(response)

    assert summaries(calendar) == ["Conference: Opening", "Conference: Closing"]
    assert calendar["X-WR-CALNAME"] == "My schedule: Conference"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("session=abc", "Session abc is not part of this event's programme."),
        ("session=999999", "Session 999999 is not part of this event's programme."),
        ("", "Pick at least one session."),
    ],
)
def test_schedule_file_with_a_bad_choice_is_400_saying_why(client, conference, query, message):
    response = client.get(f"/en/events/conference/schedule.ics?{query}")

    assert response.status_code == 400
    assert response.content.decode() == message


def test_schedule_page_with_a_bad_choice_says_why(client, conference):
    response = client.get("/en/events/conference/schedule/?session=abc")

    assert response.status_code == 200
    assert "Session abc is not part of this event's programme." in text_of(response)


def test_subscribe_page_states_window_and_cap_and_links_the_filtered_feed(client):
    publications = CategoryFactory(name="Publications", slug="publications")
    EventFactory().categories.add(publications)

    response = client.get("/en/events/subscribe/?category=publications&page=3")
    text, html = text_of(response), response.content.decode()

    assert "Subscribe: Events (Category: Publications)" in text
    assert "Subscribing puts these events into your own calendar app and keeps them up to date" in text
    assert (
        "A subscription holds the events of the past year and everything still to come, up to 5,000 events."
        in text
    )
    assert "Right now that is 1 event." in text
    assert 'href="webcal://testserver/en/events/calendar.ics?category=publications"' in html
    feed = "webcal://testserver/en/events/calendar.ics?category=publications"
    google = next(a for a in html.split('href="')[1:] if a.startswith("https://calendar.google.com"))
    assert parse_qs(urlsplit(google.split('"')[0].replace("&amp;", "&")).query) == {"cid": [feed]}


def test_subscribe_page_warns_when_the_feed_is_over_the_cap(client, settings):
    settings.ICS_FEED_MAX_EVENTS = 1
    EventFactory()
    EventFactory()

    text = text_of(client.get("/en/events/subscribe/"))

    assert "That is more than 1, so only the earliest 1 are included" in text


def test_event_list_links_the_subscribe_page(client):
    html = client.get("/en/events/").content.decode()

    assert 'href="/en/events/subscribe/"' in html
    assert f'href="/en/events/calendar.ics?from={timezone.localdate().isoformat()}"' in html


@pytest.mark.parametrize(
    ("page", "query", "download"),
    [
        ("/en/events/?mode=online&q=webinar", "q=webinar&mode=online", "q=webinar&mode=online&from={today}"),
        (
            "/en/events/calendar/2031/03/?category=workshops",
            "category=workshops&from=2031-03-01&to=2031-03-31",
            None,
        ),
        ("/en/events/calendar/2031/03/04/?tag=europe", "tag=europe&from=2031-03-04&to=2031-03-04", None),
        ("/en/events/calendar/2031/week/10/?city=Vienna", "city=Vienna&from=2031-03-03&to=2031-03-09", None),
        ("/en/venues/hofburg/", "venue=hofburg", None),
        ("/en/organizers/osce/", "organizer=osce", None),
        ("/en/search/?q=alliance", "q=alliance", None),
    ],
)
def test_every_filtered_view_offers_a_matching_feed(client, page, query, download):
    """Subscribe to what I am looking at: the same filters in the .ics and subscribe links (and the
    page's days: a list of what is coming downloads from today, and subscribes to the rolling feed)."""
    EventFactory(
        title="Alliance webinar",
        venue=VenueFactory(slug="hofburg"),
        organizer=OrganizerFactory(slug="osce"),
        start=dt.datetime(2031, 3, 4, 10, tzinfo=VIENNA),
    )

    html = client.get(page).content.decode()

    download = (download or query).format(today=timezone.localdate().isoformat())
    assert f'href="/en/events/subscribe/?{escape(query)}"' in html
    assert f'href="/en/events/calendar.ics?{escape(download)}"' in html


def test_feed_is_streamed_reading_rows_in_chunks(client, django_assert_num_queries, monkeypatch):
    monkeypatch.setattr("events.calendar_files.views.STREAM_CHUNK", 2)
    for day in range(1, 6):
        EventFactory(start=dt.datetime(2031, 3, day, 10, tzinfo=VIENNA))

    # version and timezones, one query for the rows read 2 at a time, and for each of the 3
    # chunks the events without stored text (all, with no SITE_URL), their categories,
    # occurrence changes and sessions
    with django_assert_num_queries(2 + 3 * 4):
        response = client.get("/en/events/calendar.ics")
        calendar = parsed(response)

    assert response.streaming
    assert len(list(calendar.walk("VEVENT"))) == 5


@pytest.mark.parametrize("count", [1, 8])
def test_schedule_page_query_count_does_not_grow_with_sessions(client, django_assert_num_queries, count):
    event = EventFactory(slug="conference")
    for minutes in range(count):
        SessionFactory(event=event, start=event.start + dt.timedelta(minutes=minutes))

    url = f"/en/events/conference/schedule/?session={event.sessions.first().pk}"

    # event with venue and organizer, categories, occurrence changes, sessions
    with django_assert_num_queries(4):
        response = client.get(url)

    assert text_of(response).count(".ics · Google · Outlook.com · Outlook (Microsoft 365)") == count


@pytest.mark.parametrize("count", [1, 8])
def test_subscribe_page_query_count_does_not_grow_with_categories(client, django_assert_num_queries, count):
    for number in range(count):
        EventFactory().categories.add(CategoryFactory(name=f"Topic {number}"))

    with django_assert_num_queries(3):  # the feed's count, the categories, the tags
        text = text_of(client.get("/en/events/subscribe/"))

    assert text.count(": subscribe to Topic") == count


def test_subscribe_page_offers_only_categories_and_tags_with_events(client):
    used, unused = CategoryFactory(name="Reports"), CategoryFactory(name="Videos")
    tag, idle_tag = TagFactory(name="Europe"), TagFactory(name="Asia")
    event = EventFactory()
    event.categories.add(used)
    event.tags.add(tag)
    EventFactory(is_published=False).categories.add(unused)  # a draft's category is not offered
    EventFactory(is_published=False).tags.add(idle_tag)

    text = text_of(client.get("/en/events/subscribe/"))

    assert "Reports: subscribe" in text
    assert "Europe: subscribe" in text
    assert "Videos" not in text
    assert "Asia" not in text


@pytest.mark.parametrize("query", ["to=9999-12-31", "from=0001-01-01", "from=9999-12-31"])
def test_feed_and_subscribe_page_with_dates_out_of_range_ignore_them_saying_so(client, query):
    EventFactory(title="Any")

    calendar = parsed(client.get(f"/en/events/calendar.ics?{query}"))
    page = client.get(f"/en/events/subscribe/?{query}")

    assert summaries(calendar) == ["Any"]
    assert "This filter was ignored." in str(calendar["DESCRIPTION"])
    assert page.status_code == 200
    assert "This filter was ignored." in text_of(page)


def test_category_and_tag_pages_link_their_own_feed(client):
    category = CategoryFactory(name="Publications", slug="publications")
    tag = TagFactory(name="Europe", slug="europe")

    category_html = client.get(category.get_absolute_url()).content.decode()
    tag_html = client.get(tag.get_absolute_url()).content.decode()

    assert 'href="/en/events/subscribe/?category=publications"' in category_html
    assert 'href="/en/events/calendar.ics?category=publications"' in category_html
    assert 'href="/en/events/subscribe/?tag=europe"' in tag_html
