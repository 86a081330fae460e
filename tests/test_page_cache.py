"""The anonymous page cache: repeat visits cost no query, and no page outlives an editor's change."""

import datetime as dt
import logging
import socket

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import patch_vary_headers

from events.models import ContentRevision
from events_site import page_cache
from events_site.page_cache import PageCacheApplication
from tests.factories import ArticleFactory, EventFactory, TagFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming_event(frozen_now):
    return EventFactory(title="Labour Inspection Workshop", start=dt.datetime(2021, 7, 1, 10, tzinfo=dt.UTC))


def test_repeat_visit_is_served_from_the_cache_without_queries(
    served, upcoming_event, django_assert_num_queries
):
    first = served.get("/en/events/")

    with django_assert_num_queries(0):
        second = served.get("/en/events/")

    assert second.content == first.content
    assert "Labour Inspection Workshop" in text_of(second)


@pytest.mark.parametrize("path", ["/en/", "/en/events/", "/en/events/labour-inspection-workshop/"])
def test_saved_event_change_is_shown_on_the_next_visit(served, upcoming_event, path):
    served.get(path)

    upcoming_event.title = "Labour Inspection Training"
    upcoming_event.save()

    assert "Labour Inspection Training" in text_of(served.get(path))


def test_deleted_event_disappears_on_the_next_visit(served, upcoming_event):
    served.get("/en/events/")

    upcoming_event.delete()

    assert "Labour Inspection Workshop" not in text_of(served.get("/en/events/"))


def test_added_tag_link_is_shown_on_the_next_visit(served, upcoming_event):
    tag = TagFactory(name="Supply chains")
    served.get(tag.get_absolute_url())

    upcoming_event.tags.add(tag)

    assert "Labour Inspection Workshop" in text_of(served.get(tag.get_absolute_url()))


def test_published_article_is_shown_on_the_home_page_next_visit(served, upcoming_event):
    served.get("/en/")

    ArticleFactory(title="New report on forced labour")

    assert "New report on forced labour" in text_of(served.get("/en/"))


def test_bulk_update_is_shown_next_visit(served, upcoming_event):
    first = text_of(served.get("/en/events/"))
    # Bulk writes send no signals; they are recorded all the same (events.changes.RecordingQuerySet).
    type(upcoming_event).objects.update(title="Renamed in bulk")

    assert "Labour Inspection Workshop" in first
    assert "Renamed in bulk" in text_of(served.get("/en/events/"))


def test_generation_is_bumped_again_when_the_transaction_commits(
    upcoming_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        upcoming_event.save()
    before_commit = page_cache.current_generation()

    for callback in callbacks:
        callback()

    assert page_cache.bump_generation in callbacks
    assert page_cache.current_generation() != before_commit


def test_staff_preview_of_a_draft_is_never_served_to_visitors(served, admin_client, frozen_now):
    draft = EventFactory(title="Draft hearing", is_published=False)
    cookie = f"sessionid={admin_client.cookies['sessionid'].value}"

    staff_page = served.get(draft.get_absolute_url(), cookie=cookie)
    anonymous_page = served.get(draft.get_absolute_url())

    assert "Draft: only staff can see this page." in text_of(staff_page)
    assert anonymous_page.status_code == 404


def test_logged_in_requests_neither_read_nor_fill_the_cache(
    served, admin_client, upcoming_event, django_assert_num_queries
):
    served.get("/en/events/", cookie=f"sessionid={admin_client.cookies['sessionid'].value}")

    # the content revision the page is marked with, then the view's: the longest event, events,
    # categories, tags, repeating events, four filter menus: nothing was cached for the visitor by
    # the staff request
    with django_assert_num_queries(10):
        served.get("/en/events/")


def test_repeat_visit_with_the_etag_gets_304_not_modified(served, upcoming_event):
    first = served.get("/en/events/")

    repeat = served.get("/en/events/", headers={"if-none-match": first["ETag"]})

    assert first["ETag"]
    assert repeat.status_code == 304
    assert repeat.content == b""


def test_page_served_from_the_cache_has_the_headers_and_body_of_the_first_answer(
    served, upcoming_event, django_assert_num_queries
):
    first = served.get("/en/events/")

    with django_assert_num_queries(0):
        repeat = served.get("/en/events/")

    assert repeat.status_code == 200
    assert dict(repeat.items()) == dict(first.items())
    assert repeat.content == first.content


def conditional_headers(first, case):
    """Request headers of a conditional request about the page ``first`` was an answer for."""
    return {
        "matching etag": {"if-none-match": first.get("ETag", "")},
        "other etag": {"if-none-match": '"another-version"'},
        "failed if-match": {"if-match": '"another-version"'},
        "not modified since": {"if-modified-since": first.get("Last-Modified", "")},
    }[case]


@pytest.mark.parametrize(
    ("path", "case", "status"),
    [
        ("/en/events/", "matching etag", 304),
        ("/en/events/", "other etag", 200),
        ("/en/events/", "failed if-match", 412),
        ("/en/events/labour-inspection-workshop.ics", "matching etag", 304),
        ("/en/events/labour-inspection-workshop.ics", "not modified since", 304),
        ("/en/events/labour-inspection-workshop.ics", "other etag", 200),
    ],
)
def test_cached_page_answers_conditional_requests_as_the_view_does(
    served, upcoming_event, django_assert_num_queries, path, case, status
):
    first = served.get(path)
    headers = conditional_headers(first, case)

    with django_assert_num_queries(0):
        from_cache = served.get(path, headers=headers)
    page_cache.bump_generation()
    from_view = served.get(path, headers=headers)

    assert from_cache.status_code == from_view.status_code == status
    assert from_cache.get("ETag") == from_view.get("ETag")
    assert from_cache.get("Last-Modified") == from_view.get("Last-Modified")


def test_not_modified_answer_is_never_kept_for_the_next_visitor(served, upcoming_event):
    first = served.get("/en/events/")
    page_cache.bump_generation()

    not_modified = served.get("/en/events/", headers={"if-none-match": first["ETag"]})
    next_visit = served.get("/en/events/")

    assert not_modified.status_code == 304
    assert next_visit.status_code == 200
    assert next_visit.content == first.content


def test_event_calendar_file_repeat_visit_gets_304(served, upcoming_event):
    first = served.get(upcoming_event.get_ical_url())

    repeat = served.get(upcoming_event.get_ical_url(), headers={"if-none-match": first["ETag"]})

    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    assert repeat.status_code == 304


def test_page_cache_can_be_turned_off(served, settings, upcoming_event, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    served.get("/en/events/")

    # the longest event, events, categories, tags, repeating events, four filter menus: the view
    # runs again
    with django_assert_num_queries(9):
        served.get("/en/events/")


def answered_by(response, environ):
    """The body the page cache sends for ``environ`` in front of an application answering ``response``."""

    def application(environ, start_response):
        start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
        return response

    return b"".join(PageCacheApplication(application)(environ, lambda *args: None))


def test_page_varying_with_a_visitors_cookie_is_not_kept(rf):
    page = HttpResponse("<form>token-of-visitor-a</form>")
    patch_vary_headers(page, ["Cookie"])

    answered_by(page, rf.get("/contact/", HTTP_HOST="testserver", HTTP_COOKIE="csrftoken=visitor-a").environ)
    served = answered_by(HttpResponse("fresh"), rf.get("/contact/", HTTP_HOST="testserver").environ)

    assert served == b"fresh"


def test_page_varying_with_cookies_made_for_a_cookieless_request_is_kept(rf):
    page = HttpResponse("<p>same for everyone</p>")
    patch_vary_headers(page, ["Cookie"])

    answered_by(page, rf.get("/about/", HTTP_HOST="testserver").environ)
    served = answered_by(HttpResponse("fresh"), rf.get("/about/", HTTP_HOST="testserver").environ)

    assert served == b"<p>same for everyone</p>"


def test_cached_page_carries_the_security_headers_of_the_first_answer(served, upcoming_event):
    first = served.get("/en/events/")

    repeat = served.get("/en/events/")

    assert first["X-Content-Type-Options"] == repeat["X-Content-Type-Options"] == "nosniff"
    assert first["Referrer-Policy"] == repeat["Referrer-Policy"] == "same-origin"
    assert first["X-Frame-Options"] == repeat["X-Frame-Options"] == "DENY"


def test_served_page_is_read_once_per_miss_and_once_per_hit(served, upcoming_event, monkeypatch):
    reads = []
    look_up = page_cache.look_up
    monkeypatch.setattr(page_cache, "look_up", lambda key: reads.append(key) or look_up(key))

    served.get("/en/events/")
    served.get("/en/events/")

    assert len(reads) == 2
    assert reads[0] == reads[1]


def test_served_request_for_an_unknown_host_gets_400(served, upcoming_event):
    served.get("/en/events/")

    assert served.get("/en/events/", host="attacker.example").status_code == 400


def test_served_pages_of_different_addresses_are_kept_apart(served, frozen_now):
    EventFactory(title="First of two", start=dt.datetime(2021, 7, 1, 10, tzinfo=dt.UTC))

    home, events = served.get("/en/"), served.get("/en/events/")
    again_home, again_events = served.get("/en/"), served.get("/en/events/")

    assert again_home.content == home.content
    assert again_events.content == events.content
    assert home.content != events.content


def test_static_files_never_consult_the_page_cache(served, monkeypatch):
    looked_up = []
    monkeypatch.setattr(page_cache, "look_up", lambda key: looked_up.append(key) or (None, None))

    # Whether WhiteNoise has the file (after collectstatic) or not, the page cache stays out of it.
    response = served.get("/static/css/site.css")

    assert response.status_code in (200, 404)
    assert looked_up == []


@pytest.fixture
def unreachable_cache(settings):
    """A Redis cache on a port where nothing listens (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "events_site.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }


def test_pages_are_made_without_the_cache_when_it_cannot_be_reached(
    unreachable_cache, served, upcoming_event, caplog
):
    responses = [served.get("/en/events/") for _ in range(5)]

    assert [response.status_code for response in responses] == [200] * 5
    assert "Labour Inspection Workshop" in text_of(responses[-1])
    # Logged once for the outage (here when the event was saved), not a traceback per request.
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert [r.getMessage().split(":")[0] for r in records if r.levelno >= logging.WARNING] == [
        "Cache unreachable (ConnectionError)"
    ]
    assert not any(r.exc_info for r in records)


def test_editor_can_save_when_the_cache_cannot_be_reached(unreachable_cache, upcoming_event, caplog):
    upcoming_event.title = "Labour Inspection Training"
    upcoming_event.save()

    upcoming_event.refresh_from_db()
    assert upcoming_event.title == "Labour Inspection Training"
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert [r.getMessage() for r in records if "unreachable" in r.getMessage()] == [
        "Cache unreachable (ConnectionError): the site goes on without it, trying again every 5.0 s."
    ]  # once, when the event was first saved: the breaker then spares Redis (and the log)


def test_a_cache_that_lost_a_generation_serves_no_page_from_before_an_edit(served, upcoming_event, settings):
    """Redis back from a snapshot taken before an edit made while it was away: its generation is
    the old one, its pages too; the database's content revision says they are older than the edit."""
    settings.PAGE_CACHE_REVISION_SECONDS = 0  # read the revision at every hit (the default: 1 s)
    assert "Labour Inspection Workshop" in text_of(served.get("/en/events/"))
    generation = page_cache.page_cache().get(page_cache.GENERATION_KEY)

    upcoming_event.title = "Labour Inspection Training"
    upcoming_event.save()
    # The edit's new generation is lost with the restart: the old one is back.
    page_cache.page_cache().set(page_cache.GENERATION_KEY, generation, None)
    assert page_cache.page_cache().get(page_cache.GENERATION_KEY) == generation

    assert "Labour Inspection Training" in text_of(served.get("/en/events/"))


def test_cached_pages_are_kept_with_the_content_revision_they_were_made_at(served, upcoming_event):
    served.get("/en/events/")
    key = page_cache.page_key(RequestFactory().get("/en/events/", HTTP_HOST="testserver"))
    _generation, revision, _headers, body = page_cache.page_cache().get(key)
    assert revision == ContentRevision.row().get().number
    assert b"Labour Inspection Workshop" in body
