"""Browsing the calendar: month grid, day and week agendas, filters on lists, venue and organizer pages."""

import datetime as dt
import re
import zoneinfo

import pytest

from tests.factories import (
    AllDayEventFactory,
    CategoryFactory,
    EventFactory,
    OrganizerFactory,
    TagFactory,
    VenueFactory,
)
from tests.pages import text_of

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
pytestmark = pytest.mark.django_db


def cell_of(response, day):
    """The visible text of the month grid's cell for ``day`` (an ISO date)."""
    html = response.content.decode()
    match = re.search(rf'<td[^>]*>\s*<a class="day-link"[^>]*><time datetime="{day}">.*?</td>', html, re.S)
    assert match, f"no cell for {day}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))).strip()


# Month grid


def test_month_grid_has_caption_day_headers_and_marks_today(client, frozen_now):
    response = client.get("/en/events/calendar/2021/06/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Calendar: June 2021" in text_of(response)
    assert "<caption>Events in June 2021, on the days and times of the Europe/Vienna timezone (CEST)." in html
    assert html.count('<th scope="col">') == 7
    assert '<th scope="col"><abbr title="Monday">Mon</abbr></th>' in html
    today_cells = re.findall(r'<td[^>]*aria-current="date"[^>]*>\s*<a[^>]*><time datetime="([^"]+)"', html)
    assert today_cells == ["2021-06-01"]
    assert html.count("<h1>") == 1


def test_month_without_events_says_so(client, frozen_now):
    assert "No events in February 2021." in text_of(client.get("/en/events/calendar/2021/02/"))
    assert "No events in February 2021 match these filters." in text_of(
        client.get("/en/events/calendar/2021/02/?mode=online")
    )


def test_month_grid_links_previous_next_and_this_month(client, frozen_now):
    html = client.get("/en/events/calendar/2021/01/").content.decode()

    previous = (
        '<a rel="prev" href="/en/events/calendar/2020/12/"><span aria-hidden="true">‹ </span>'
        '<time datetime="2020-12">December 2020</time></a>'
    )
    following = (
        '<a rel="next" href="/en/events/calendar/2021/02/"><time datetime="2021-02">February 2021</time>'
        '<span aria-hidden="true"> ›</span></a>'
    )
    assert previous in html
    assert following in html
    assert '<a href="/en/events/calendar/2021/06/">This month</a>' in html


def test_calendar_entry_point_redirects_to_this_month_keeping_filters(client, frozen_now):
    response = client.get("/en/events/calendar/?category=workshops")

    assert response.status_code == 302
    assert response["Location"] == "/en/events/calendar/2021/06/?category=workshops"


@pytest.mark.parametrize(
    "url",
    [
        "/en/events/calendar/2021/13/",
        "/en/events/calendar/2021/00/",
        "/en/events/calendar/1899/12/",
        "/en/events/calendar/2201/01/",
        "/en/events/calendar/2021/6/",
        "/en/events/calendar/21/06/",
        "/en/events/calendar/abcd/06/",
        "/en/events/calendar/2021/02/30/",
        "/en/events/calendar/2021/02/00/",
        "/en/events/calendar/2021/week/54/",
        "/en/events/calendar/2021/week/00/",
    ],
)
def test_malformed_or_out_of_range_calendar_address_gives_a_friendly_404(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in text_of(response)


@pytest.mark.parametrize(
    ("query", "target"),
    [
        ("month=6&year=2021", "/en/events/calendar/2021/06/"),
        ("month=12&year=1999&category=events", "/en/events/calendar/1999/12/?category=events"),
    ],
)
def test_the_go_to_form_opens_the_chosen_month_keeping_filters(client, query, target):
    response = client.get(f"/en/events/calendar/?{query}")
    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize("query", ["month=13&year=2021", "month=6&year=abc", "month=6&year=99999", "month=6"])
def test_the_go_to_form_refuses_a_month_that_is_not_on_the_calendar(client, query):
    response = client.get(f"/en/events/calendar/?{query}")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_month_grid_edges_do_not_link_beyond_the_calendar(client):
    first = client.get("/en/events/calendar/1900/01/").content.decode()
    last = client.get("/en/events/calendar/2200/12/").content.decode()

    assert 'rel="prev"' not in first
    assert "December 1899" not in first
    assert 'rel="next"' not in last
    assert "January 2201" not in last


def test_multi_day_event_is_on_every_day_it_covers_all_day_first(client, frozen_now):
    AllDayEventFactory(title="Fair", start_date=dt.date(2021, 6, 14), end_date=dt.date(2021, 6, 16))
    EventFactory(title="Talk", start=dt.datetime(2021, 6, 15, 9, 30, tzinfo=VIENNA))

    response = client.get("/en/events/calendar/2021/06/")

    assert cell_of(response, "2021-06-14") == "14 Monday, June 14, 2021 All day Fair"
    assert cell_of(response, "2021-06-15") == "15 Tuesday, June 15, 2021 All day Fair 9:30 am Talk"
    assert cell_of(response, "2021-06-16") == "16 Wednesday, June 16, 2021 All day Fair"
    assert cell_of(response, "2021-06-17") == "17 Thursday, June 17, 2021"


def test_cross_midnight_event_shows_its_start_then_continues(client, frozen_now):
    EventFactory(
        title="Night vigil",
        start=dt.datetime(2021, 6, 18, 22, tzinfo=VIENNA),
        end=dt.datetime(2021, 6, 19, 2, tzinfo=VIENNA),
    )

    response = client.get("/en/events/calendar/2021/06/")

    assert cell_of(response, "2021-06-18") == "18 Friday, June 18, 2021 10:00 pm Night vigil"
    assert cell_of(response, "2021-06-19") == "19 Saturday, June 19, 2021 Continues Night vigil"


def test_new_york_event_is_placed_on_the_vienna_day_and_its_page_keeps_new_york_time(client, frozen_now):
    event = EventFactory(
        title="Evening webinar",
        timezone="America/New_York",
        start=dt.datetime(2021, 6, 14, 20, tzinfo=NEW_YORK),
    )

    grid = client.get("/en/events/calendar/2021/06/")

    assert cell_of(grid, "2021-06-14") == "14 Monday, June 14, 2021"
    assert cell_of(grid, "2021-06-15") == "15 Tuesday, June 15, 2021 2:00 am Evening webinar"
    assert "When: June 14, 2021 @ 8:00 pm – 9:00 pm" in text_of(client.get(event.get_absolute_url()))


def test_grid_days_follow_the_site_timezone_setting(client, settings, frozen_now):
    settings.TIME_ZONE = "America/New_York"
    EventFactory(
        title="Evening webinar",
        timezone="America/New_York",
        start=dt.datetime(2021, 6, 14, 20, tzinfo=NEW_YORK),
    )

    grid = client.get("/en/events/calendar/2021/06/")

    assert "on the days and times of the America/New_York timezone (EDT)" in text_of(grid)
    assert cell_of(grid, "2021-06-14") == "14 Monday, June 14, 2021 8:00 pm Evening webinar"
    assert cell_of(grid, "2021-06-15") == "15 Tuesday, June 15, 2021"


def test_event_at_0230_on_the_night_clocks_go_back_is_on_that_day(client, frozen_now):
    EventFactory(title="Early", start=dt.datetime(2021, 10, 31, 0, 30, tzinfo=dt.UTC))  # 02:30 CEST
    EventFactory(title="Repeat", start=dt.datetime(2021, 10, 31, 1, 30, tzinfo=dt.UTC))  # 02:30 CET

    response = client.get("/en/events/calendar/2021/10/")

    assert cell_of(response, "2021-10-30") == "30 Saturday, October 30, 2021"
    assert (
        cell_of(response, "2021-10-31") == "31 Sunday, October 31, 2021 2:30 am CEST Early 2:30 am CET Repeat"
    )
    assert (
        '<time datetime="2021-10-31T02:30:00+02:00" data-tz="fixed">2:30 am CEST</time>'
        in response.content.decode()
    )
    assert (
        '<time datetime="2021-10-31T02:30:00+01:00" data-tz="fixed">2:30 am CET</time>'
        in response.content.decode()
    )


def test_event_page_at_0230_when_clocks_go_back_names_both_zones(client):
    event = EventFactory(title="Fold", start=dt.datetime(2021, 10, 31, 0, 30, tzinfo=dt.UTC))

    text = text_of(client.get(event.get_absolute_url()))

    assert "When: October 31, 2021 @ 2:30 am CEST – 2:30 am CET" in text


def test_event_near_midnight_on_the_night_clocks_go_forward_stays_on_its_day(client, frozen_now):
    EventFactory(title="Late", start=dt.datetime(2021, 3, 27, 22, 30, tzinfo=dt.UTC))  # 23:30 CET, 27 March
    EventFactory(title="Skipped hour", start=dt.datetime(2021, 3, 28, 1, 30, tzinfo=dt.UTC))  # 03:30 CEST

    response = client.get("/en/events/calendar/2021/03/")

    assert cell_of(response, "2021-03-27") == "27 Saturday, March 27, 2021 11:30 pm Late"
    assert (
        cell_of(response, "2021-03-28")
        == "28 Sunday, March 28, 2021 Continues Late 3:30 am CEST Skipped hour"
    )


def test_all_day_range_over_a_month_boundary_is_in_both_grids(client, frozen_now):
    AllDayEventFactory(title="Summit", start_date=dt.date(2021, 6, 30), end_date=dt.date(2021, 7, 1))

    june, july = client.get("/en/events/calendar/2021/06/"), client.get("/en/events/calendar/2021/07/")

    assert cell_of(june, "2021-06-30") == "30 Wednesday, June 30, 2021 All day Summit"
    assert cell_of(june, "2021-07-01") == "1 Thursday, July 1, 2021 All day Summit"
    assert cell_of(july, "2021-06-30") == "30 Wednesday, June 30, 2021 All day Summit"
    assert cell_of(july, "2021-07-01") == "1 Thursday, July 1, 2021 All day Summit"


def test_full_day_shows_three_items_and_links_the_rest_to_the_day(client, frozen_now):
    for hour in range(9, 14):
        EventFactory(title=f"Talk at {hour}", start=dt.datetime(2021, 6, 15, hour, tzinfo=VIENNA))

    grid = client.get("/en/events/calendar/2021/06/")
    day = client.get("/en/events/calendar/2021/06/15/")

    assert cell_of(grid, "2021-06-15") == (
        "15 Tuesday, June 15, 2021 9:00 am Talk at 9 10:00 am Talk at 10 11:00 am Talk at 11 "
        "+2 more on June 15"
    )
    assert '<a class="more" href="/en/events/calendar/2021/06/15/">' in grid.content.decode()
    assert all(f"Talk at {hour}" in text_of(day) for hour in range(9, 14))


def test_day_with_fifty_events_shows_three_and_counts_the_other_forty_seven(client, frozen_now):
    for minute in range(50):
        EventFactory(title=f"Slot {minute:02d}", start=dt.datetime(2021, 6, 16, 9, minute, tzinfo=VIENNA))

    grid = client.get("/en/events/calendar/2021/06/")

    assert cell_of(grid, "2021-06-16") == (
        "16 Wednesday, June 16, 2021 9:00 am Slot 00 9:01 am Slot 01 9:02 am Slot 02 +47 more on June 16"
    )
    assert grid.content.decode().count('<a class="cal-item') == 3
    assert len(re.findall(r"Slot \d\d", text_of(client.get("/en/events/calendar/2021/06/16/")))) == 50


def test_full_cell_shows_all_day_then_continuing_then_earliest_of_series_and_one_off(client, frozen_now):
    # Tuesday 15 June: every kind of item competes for the three places of the cell; the day page
    # shows them all.
    AllDayEventFactory(title="Fair", start_date=dt.date(2021, 6, 14), end_date=dt.date(2021, 6, 16))
    EventFactory(
        title="Vigil",
        start=dt.datetime(2021, 6, 14, 22, tzinfo=VIENNA),
        end=dt.datetime(2021, 6, 15, 2, tzinfo=VIENNA),
    )
    EventFactory(title="Late talk", start=dt.datetime(2021, 6, 15, 11, tzinfo=VIENNA))
    EventFactory(
        title="Standup", start=dt.datetime(2021, 6, 1, 9, tzinfo=VIENNA), recurrence_rule="FREQ=WEEKLY"
    )
    EventFactory(title="Early talk", start=dt.datetime(2021, 6, 15, 8, tzinfo=VIENNA))

    grid = client.get("/en/events/calendar/2021/06/")

    assert cell_of(grid, "2021-06-14") == "14 Monday, June 14, 2021 All day Fair 10:00 pm Vigil"
    assert cell_of(grid, "2021-06-15") == (
        "15 Tuesday, June 15, 2021 All day Fair Continues Vigil 8:00 am Early talk +2 more on June 15"
    )
    assert cell_of(grid, "2021-06-22") == "22 Tuesday, June 22, 2021 9:00 am Standup"
    assert '<a class="cal-item" href="/en/events/standup/20210615T0900/">' not in grid.content.decode()
    assert '<a class="cal-item" href="/en/events/standup/20210622T0900/">' in grid.content.decode()
    day = text_of(client.get("/en/events/calendar/2021/06/15/"))
    assert all(title in day for title in ("Fair", "Vigil", "Early talk", "Standup", "Late talk"))


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        # 1 June: the event and the two daily dates; 2 June to 4 July: the two dates.
        (1, 3 + 33 * 2),
        # 1–28 June: 7 or 8 events and the two dates, three shown; 29 June to 4 July: the two dates.
        (200, 28 * 3 + 6 * 2),
    ],
)
def test_month_grid_with_series_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, shown, frozen_now
):
    make_month_of_events(count)
    for hour in (8, 12):
        EventFactory(start=dt.datetime(2021, 6, 1, hour, tzinfo=VIENNA), recurrence_rule="FREQ=DAILY")

    # the longest event, one-off events of the grid, the events its cells show, its series, their
    # date changes; filter menus: categories, tags, venues, organizers
    with django_assert_num_queries(9):
        response = client.get("/en/events/calendar/2021/06/")

    assert response.content.decode().count('<a class="cal-item') == shown


def test_drafts_are_not_on_the_calendar(client, frozen_now):
    EventFactory(title="Secret", is_published=False, start=dt.datetime(2021, 6, 15, 9, tzinfo=VIENNA))

    assert "Secret" not in text_of(client.get("/en/events/calendar/2021/06/"))
    assert "Secret" not in text_of(client.get("/en/events/calendar/2021/06/15/"))


def make_month_of_events(count):
    venue, category, tag = VenueFactory(), CategoryFactory(), TagFactory()
    for index in range(count):
        event = EventFactory(start=dt.datetime(2021, 6, 1 + index % 28, 10, tzinfo=VIENNA), venue=venue)
        event.categories.add(category)
        event.tags.add(tag)


@pytest.mark.parametrize("count", [1, 30])
def test_month_grid_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    make_month_of_events(count)

    # the longest event (the window's bound), one-off events of the grid, the events its cells
    # show, its series (none, so no date changes to read); filter menus: categories, tags, venues,
    # organizers
    with django_assert_num_queries(8):
        response = client.get("/en/events/calendar/2021/06/")

    assert response.content.decode().count('<a class="cal-item') == min(count, 28 * 3)


@pytest.mark.parametrize("count", [1, 30])
def test_filtered_month_grid_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    make_month_of_events(count)
    category = CategoryFactory(slug="workshops")
    EventFactory(start=dt.datetime(2021, 6, 2, 10, tzinfo=VIENNA)).categories.add(category)

    # the category named in the query string, the longest event, one-off events of the grid, the
    # events its cells show, its series, the four filter menus
    with django_assert_num_queries(9):
        response = client.get("/en/events/calendar/2021/06/?category=workshops")

    assert response.content.decode().count('<a class="cal-item') == 1


# Day and week agendas


def test_day_agenda_lists_events_with_their_own_time_and_zone(client, frozen_now):
    EventFactory(
        title="Hearing",
        timezone="America/New_York",
        start=dt.datetime(2021, 6, 15, 10, tzinfo=NEW_YORK),
        venue=None,
        attendance_mode="online",
    )
    AllDayEventFactory(title="Fair", start_date=dt.date(2021, 6, 15), end_date=dt.date(2021, 6, 15))

    text = text_of(client.get("/en/events/calendar/2021/06/15/"))

    assert "Events on Tuesday, June 15, 2021" in text
    assert (
        "Tuesday, June 15, 2021 Fair June 15, 2021 all-day "
        "Hearing June 15, 2021 @ 10:00 am – 11:00 am EDT Online" in text
    )


def test_day_agenda_links_neighbouring_days_keeping_filters(client, frozen_now):
    html = client.get("/en/events/calendar/2021/06/01/?mode=online").content.decode()

    assert '<a rel="prev" href="/en/events/calendar/2021/05/31/?mode=online">Previous day</a>' in html
    assert '<a rel="next" href="/en/events/calendar/2021/06/02/?mode=online">Next day</a>' in html
    assert '<a href="/en/events/calendar/2021/06/?mode=online">Month of June 2021</a>' in html


def test_week_agenda_runs_monday_to_sunday_grouped_by_day(client, frozen_now):
    EventFactory(title="Monday talk", start=dt.datetime(2021, 6, 14, 9, tzinfo=VIENNA))
    EventFactory(title="Sunday talk", start=dt.datetime(2021, 6, 20, 9, tzinfo=VIENNA))
    EventFactory(title="Next Monday talk", start=dt.datetime(2021, 6, 21, 9, tzinfo=VIENNA))

    response = client.get("/en/events/calendar/2021/week/24/")
    text = text_of(response)

    assert "Week 24, 2021: June 14, 2021 – June 20, 2021" in text
    assert text.index("Monday, June 14, 2021 Monday talk") < text.index("Sunday, June 20, 2021 Sunday talk")
    assert "Next Monday talk" not in text
    assert '<a rel="next" href="/en/events/calendar/2021/week/25/">Next week</a>' in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_week_agenda_query_count_does_not_grow_with_events(client, django_assert_num_queries, count):
    venue = VenueFactory()
    for index in range(count):
        EventFactory(start=dt.datetime(2021, 6, 14 + index % 7, 8, index, tzinfo=VIENNA), venue=venue)

    # the longest event, events with their venues, their date changes; the four filter menus
    with django_assert_num_queries(7):
        response = client.get("/en/events/calendar/2021/week/24/")

    assert response.content.decode().count('class="agenda-item') == count


def test_calendar_edges_do_not_link_beyond_the_calendar_days(client):
    first_week = client.get("/en/events/calendar/1900/week/01/").content.decode()
    last_day = client.get("/en/events/calendar/2200/12/31/").content.decode()

    assert "Previous week" not in first_week
    assert "Next week" in first_week
    assert "Next day" not in last_day
    assert "Previous day" in last_day


def test_week_53_exists_only_in_long_years(client):
    assert client.get("/en/events/calendar/2020/week/53/").status_code == 200
    assert client.get("/en/events/calendar/2021/week/53/").status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_day_agenda_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    venue = VenueFactory()
    for index in range(count):
        EventFactory(start=dt.datetime(2021, 6, 15, 8, index, tzinfo=VIENNA), venue=venue)

    # the longest event, events with their venues, their date changes; the four filter menus
    with django_assert_num_queries(7):
        response = client.get("/en/events/calendar/2021/06/15/")

    assert response.content.decode().count('class="agenda-item') == count


# Lists with filters


def test_upcoming_list_groups_events_under_day_headings(client, frozen_now):
    EventFactory(title="Morning", start=dt.datetime(2021, 6, 15, 9, tzinfo=VIENNA))
    EventFactory(title="Afternoon", start=dt.datetime(2021, 6, 15, 15, tzinfo=VIENNA))
    EventFactory(title="Next day", start=dt.datetime(2021, 6, 16, 9, tzinfo=VIENNA))

    text = text_of(client.get("/en/events/"))

    assert "Tuesday, June 15, 2021 Morning When:" in text
    assert "Afternoon When:" in text
    assert "Wednesday, June 16, 2021 Next day When:" in text
    assert text.count("Tuesday, June 15, 2021") == 1


def test_list_filters_combine_and_show_what_is_active_with_clear_links(client, frozen_now):
    workshops = CategoryFactory(name="Workshops", slug="workshops")
    europe = TagFactory(name="Europe", slug="europe")
    both = EventFactory(title="Both", start=dt.datetime(2021, 6, 15, 9, tzinfo=VIENNA))
    both.categories.add(workshops)
    both.tags.add(europe)
    EventFactory(title="Only category", start=dt.datetime(2021, 6, 15, 10, tzinfo=VIENNA)).categories.add(
        workshops
    )

    response = client.get("/en/events/?category=workshops&tag=europe")
    html, text = response.content.decode(), text_of(response)

    assert "Both" in text
    assert "Only category" not in text
    assert "Category: Workshops Clear filter Category: Workshops" in text
    assert "Tag: Europe Clear filter Tag: Europe" in text
    assert '<a href="?tag=europe">Clear<span class="visually-hidden"> filter Category: Workshops' in html
    assert '<a href="?category=workshops">Clear<span class="visually-hidden"> filter Tag: Europe' in html
    assert '<option value="workshops" selected>Workshops</option>' in html


def test_unknown_filter_value_gives_an_empty_list_with_a_message(client, frozen_now):
    EventFactory(start=dt.datetime(2021, 6, 15, 9, tzinfo=VIENNA))

    response = client.get("/en/events/?venue=atlantis")

    assert response.status_code == 200
    assert "No venue “atlantis” exists, so no events match." in text_of(response)
    assert "No events match these filters." in text_of(response)


@pytest.mark.parametrize("count", [1, 15])
def test_past_list_with_filters_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    category = CategoryFactory(slug="workshops")
    for index in range(count):
        event = EventFactory(start=dt.datetime(2021, 5, 1 + index, 10, tzinfo=VIENNA), venue=VenueFactory())
        event.categories.add(category)
        event.tags.add(TagFactory())

    # the category named; events with venue and organizer, categories, tags; repeating events
    # (none here); four filter menus
    with django_assert_num_queries(9):
        response = client.get("/en/events/past/?category=workshops")

    assert text_of(response).count("When:") == count


def test_pagination_keeps_the_filters(client, frozen_now):
    for day in range(1, 25):
        EventFactory(start=dt.datetime(2021, 7, day, 10, tzinfo=VIENNA), attendance_mode="online")

    html = client.get("/en/events/?mode=online").content.decode()

    assert '<a rel="next" href="?mode=online&amp;page=2">Later</a>' in html


def test_filtered_list_advertises_a_filtered_feed(client, frozen_now):
    html = client.get("/en/events/?mode=online").content.decode()

    assert (
        '<link rel="alternate" type="application/rss+xml" title="Upcoming events (filtered) (RSS)" '
        'href="/en/events/feed.rss?mode=online">' in html
    )


def test_calendar_filters_narrow_the_grid(client, frozen_now):
    EventFactory(
        title="Online one", attendance_mode="online", start=dt.datetime(2021, 6, 15, 9, tzinfo=VIENNA)
    )
    EventFactory(title="In the room", start=dt.datetime(2021, 6, 15, 10, tzinfo=VIENNA))

    response = client.get("/en/events/calendar/2021/06/?mode=online")

    assert cell_of(response, "2021-06-15") == "15 Tuesday, June 15, 2021 9:00 am Online one"
    assert '<a rel="next" href="/en/events/calendar/2021/07/?mode=online">' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "from=2021-13-45",
        "to=yesterday",
        "from=2021-07-01&to=2021-06-01",
        "q=" + "x" * 500,
        "category=%00",
        "q=%00",
        "city=a%00b",
        "mode=teleport",
        "page=99",
        "city=" + "y" * 300,
        "tag=a&tag=b",
    ],
)
@pytest.mark.parametrize(
    "path",
    [
        "/en/events/",
        "/en/events/past/",
        "/en/events/calendar/2021/06/",
        "/en/events/calendar/2021/06/15/",
        "/en/search/",
    ],
)
def test_bad_filter_input_never_gives_a_server_error(client, path, query, frozen_now):
    response = client.get(f"{path}?{query}")

    assert response.status_code in (200, 404)
    if response.status_code == 200:
        assert "<h1" in response.content.decode()


@pytest.mark.parametrize("query", ["from=2021-13-45", "mode=teleport", "category=nope"])
def test_bad_filter_input_in_feeds_never_gives_a_server_error(client, query):
    assert client.get(f"/en/events/feed.rss?{query}").status_code == 200
    assert client.get(f"/en/events/feed.atom?{query}").status_code == 200


# Venue and organizer pages


def test_venue_page_lists_upcoming_and_past_events_with_a_map_pin(client, frozen_now):
    hall = VenueFactory(
        name="Hofburg", slug="hofburg", address="Heldenplatz", latitude="48.206500", longitude="16.365000"
    )
    EventFactory(title="Coming", venue=hall, start=dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))
    EventFactory(title="Been", venue=hall, start=dt.datetime(2021, 5, 1, 10, tzinfo=VIENNA))

    response = client.get(hall.get_absolute_url())
    text = text_of(response)

    assert hall.get_absolute_url() == "/en/venues/hofburg/"
    assert "Venue Hofburg Address: Heldenplatz, Vienna, Austria" in text
    assert text.index("Upcoming events Coming") < text.index("Past events Been")
    assert (
        'href="https://www.openstreetmap.org/?mlat=48.206500&amp;mlon=16.365000#map=17/48.206500/16.365000"'
        in response.content.decode()
    )


def test_venue_with_an_address_but_no_coordinates_links_a_map_search(client):
    hall = VenueFactory(name="Town hall", slug="town-hall", address="Friedrich-Schmidt-Platz 1")

    html = client.get(hall.get_absolute_url()).content.decode()

    assert (
        '<a href="https://www.openstreetmap.org/search?query=Friedrich-Schmidt-Platz+1%2C+Vienna%2C+Austria">'
        "Show Town hall on OpenStreetMap</a>" in html
    )


def test_venue_without_address_or_coordinates_has_no_map_link(client):
    hall = VenueFactory(slug="somewhere", address="", latitude=None, longitude=None)

    assert "OpenStreetMap" not in text_of(client.get(hall.get_absolute_url()))


def test_organizer_page_lists_its_events_and_contact(client, frozen_now):
    osce = OrganizerFactory(name="OSCE", slug="osce", url="https://www.osce.org/", email="info@osce.org")
    EventFactory(title="Coming", organizer=osce, start=dt.datetime(2021, 7, 1, 10, tzinfo=VIENNA))
    EventFactory(
        title="Draft", organizer=osce, is_published=False, start=dt.datetime(2021, 7, 2, tzinfo=VIENNA)
    )

    text = text_of(client.get("/en/organizers/osce/"))

    assert "Organizer OSCE Website: https://www.osce.org/ Email: info@osce.org Upcoming events Coming" in text
    assert "Draft" not in text


@pytest.mark.parametrize("count", [1, 15])
def test_organizer_page_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    osce = OrganizerFactory(slug="osce")
    for index in range(count):
        EventFactory(
            organizer=osce, venue=VenueFactory(), start=dt.datetime(2021, 7, 1 + index, tzinfo=VIENNA)
        )
        EventFactory(organizer=osce, start=dt.datetime(2021, 5, 1 + index, tzinfo=VIENNA))

    # organizer; upcoming events, their categories and tags; past events, their categories and tags
    with django_assert_num_queries(7):
        response = client.get("/en/organizers/osce/")

    assert text_of(response).count("When:") == 2 * count


def test_event_page_links_its_venue_and_organizer_pages(seed, client):
    html = client.get("/en/events/21st-conference-alliance-against-trafficking-in-persons/").content.decode()

    assert '<a href="/en/venues/hofburg-vienna/">More events at Hofburg</a>' in html
    assert '<a href="/en/organizers/osce-cthb/">More events by OSCE Office' in html


def test_unknown_venue_and_organizer_give_404(client):
    assert client.get("/en/venues/nowhere/").status_code == 404
    assert client.get("/en/organizers/nobody/").status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_venue_page_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, count, frozen_now
):
    hall = VenueFactory(slug="hall")
    category = CategoryFactory()
    for index in range(count):
        EventFactory(venue=hall, start=dt.datetime(2021, 7, 1 + index, 10, tzinfo=VIENNA)).categories.add(
            category
        )
        EventFactory(venue=hall, start=dt.datetime(2021, 5, 1 + index, 10, tzinfo=VIENNA))

    # venue; upcoming events, their categories and tags; past events, their categories and tags
    with django_assert_num_queries(7):
        response = client.get("/en/venues/hall/")

    assert text_of(response).count("When:") == 2 * count


def test_a_multi_day_event_is_one_bar_per_week_row(client):
    """Thursday to the next Tuesday: a bar Thu–Sun (title on Thursday), another Mon–Tue (title on
    Monday); every day keeps its own link for screen readers."""
    AllDayEventFactory(
        title="Fair", slug="fair", start_date=dt.date(2021, 6, 17), end_date=dt.date(2021, 6, 22)
    )

    html = client.get("/en/events/calendar/2021/06/").content.decode()

    segments = re.findall(r'<a class="cal-item is-all-day([^"]*)" href="/en/events/fair/">', html)
    assert [classes.strip() for classes in segments] == [
        "joins-next days-4",  # Thursday: its title runs over 4 days
        "joins-prev joins-next",
        "joins-prev joins-next",
        "joins-prev",  # Sunday ends the row
        "joins-next days-2",  # Monday starts the next
        "joins-prev",
    ]


def test_the_grid_names_its_zone_once_and_in_a_cell_only_when_the_clocks_change(client):
    EventFactory(title="Before", start=dt.datetime(2021, 10, 30, 10, tzinfo=VIENNA))
    EventFactory(title="Fold", start=dt.datetime(2021, 10, 31, 10, tzinfo=VIENNA))

    grid = client.get("/en/events/calendar/2021/10/")

    assert "on the days and times of the Europe/Vienna timezone (CEST/CET)" in text_of(grid)
    assert cell_of(grid, "2021-10-30") == "30 Saturday, October 30, 2021 10:00 am Before"
    assert cell_of(grid, "2021-10-31") == "31 Sunday, October 31, 2021 10:00 am CET Fold"
