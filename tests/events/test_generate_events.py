"""The synthetic calendar of ``generate_events``: the mix issue 7 asks for, consistent and repeatable."""

import copy
import datetime as dt

import pytest
from django.core.management import call_command

from articles.models import Article
from events.models import Event, Session

pytestmark = pytest.mark.django_db

ANCHOR = "2030-01-01"


def generate(count, seed=7):
    call_command("generate_events", count, seed=seed, anchor=dt.date.fromisoformat(ANCHOR), verbosity=0)


def test_generates_the_mix_of_timed_all_day_and_multi_day_events():
    generate(1000)

    events = list(Event.objects.all())
    timed = [event for event in events if not event.all_day]
    one_day = [event for event in events if event.all_day and not event.is_multi_day]
    multi_day = [event for event in events if event.all_day and event.is_multi_day]

    assert len(events) == 1000
    assert 650 <= len(timed) <= 750
    assert 160 <= len(one_day) <= 240
    assert 70 <= len(multi_day) <= 130
    assert all(dt.timedelta(hours=1) <= event.end - event.start <= dt.timedelta(hours=3) for event in timed)
    assert Article.objects.count() == 10


def test_events_are_spread_over_five_years_around_the_anchor():
    generate(500)

    first = Event.objects.order_by("start_date").first().start_date
    last = Event.objects.order_by("-end_date").first().end_date

    assert dt.date(2027, 7, 1) <= first < dt.date(2027, 9, 1)
    assert dt.date(2032, 5, 1) < last <= dt.date(2032, 7, 10)


def test_derived_dates_and_instants_agree_with_derive_schedule():
    generate(300)

    for item in [*Event.objects.all(), *Session.objects.select_related("event")]:
        derived = copy.copy(item)
        derived.derive_schedule()
        assert (derived.start, derived.end, derived.start_date, derived.end_date) == (
            item.start,
            item.end,
            item.start_date,
            item.end_date,
        )
    assert Session.objects.exists()


def test_sessions_lie_within_their_event():
    generate(300)

    for session in Session.objects.select_related("event"):
        assert session.event.start <= session.start < session.end <= session.event.end


def calendar_rows():
    return list(
        Event.objects.order_by("pk").values_list("title", "slug", "start", "end", "ical_uid", "venue__slug")
    )


def test_same_seed_gives_the_same_calendar_in_an_empty_database():
    generate(100, seed=3)
    first = calendar_rows()
    Event.objects.all().delete()

    generate(100, seed=3)

    assert calendar_rows() == first


def test_second_run_adds_events_with_new_slugs_and_uids():
    generate(50)
    generate(50)

    assert Event.objects.count() == 100
    assert Event.objects.values("slug").distinct().count() == 100
    assert Event.objects.values("ical_uid").distinct().count() == 100
