"""The anonymous page cache: repeat visits cost no query, and no page outlives an editor's change."""

import datetime as dt
import socket

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from events_site import page_cache
from events_site.page_cache import AnonymousPageCacheMiddleware
from tests.factories import ArticleFactory, EventFactory, TagFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming_event(frozen_now):
    return EventFactory(title="Labour Inspection Workshop", start=dt.datetime(2021, 7, 1, 10, tzinfo=dt.UTC))


def test_repeat_visit_is_served_from_the_cache_without_queries(
    client, upcoming_event, django_assert_num_queries
):
    first = client.get("/events/")

    with django_assert_num_queries(0):
        second = client.get("/events/")

    assert second.content == first.content
    assert "Labour Inspection Workshop" in text_of(second)


@pytest.mark.parametrize("path", ["/", "/events/", "/events/labour-inspection-workshop/"])
def test_saved_event_change_is_shown_on_the_next_visit(client, upcoming_event, path):
    client.get(path)

    upcoming_event.title = "Labour Inspection Training"
    upcoming_event.save()

    assert "Labour Inspection Training" in text_of(client.get(path))


def test_deleted_event_disappears_on_the_next_visit(client, upcoming_event):
    client.get("/events/")

    upcoming_event.delete()

    assert "Labour Inspection Workshop" not in text_of(client.get("/events/"))


def test_added_tag_link_is_shown_on_the_next_visit(client, upcoming_event):
    tag = TagFactory(name="Supply chains")
    client.get(tag.get_absolute_url())

    upcoming_event.tags.add(tag)

    assert "Labour Inspection Workshop" in text_of(client.get(tag.get_absolute_url()))


def test_published_article_is_shown_on_the_home_page_next_visit(client, upcoming_event):
    client.get("/")

    ArticleFactory(title="New report on forced labour")

    assert "New report on forced labour" in text_of(client.get("/"))


def test_bulk_update_is_shown_next_visit(client, upcoming_event):
    first = text_of(client.get("/events/"))
    # Bulk writes send no signals; they are recorded all the same (events.changes.RecordingQuerySet).
    type(upcoming_event).objects.update(title="Renamed in bulk")

    assert "Labour Inspection Workshop" in first
    assert "Renamed in bulk" in text_of(client.get("/events/"))


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


def test_staff_preview_of_a_draft_is_never_served_to_visitors(client, admin_client, frozen_now):
    draft = EventFactory(title="Draft hearing", is_published=False)

    staff_page = admin_client.get(draft.get_absolute_url())
    anonymous_page = client.get(draft.get_absolute_url())

    assert "Draft: only staff can see this page." in text_of(staff_page)
    assert anonymous_page.status_code == 404


def test_logged_in_requests_neither_read_nor_fill_the_cache(
    client, admin_client, upcoming_event, django_assert_num_queries
):
    admin_client.get("/events/")

    # the longest event, events, categories, tags, repeating events, four filter menus: nothing
    # was cached for the visitor by the staff request
    with django_assert_num_queries(9):
        client.get("/events/")


def test_repeat_visit_with_the_etag_gets_304_not_modified(client, upcoming_event):
    first = client.get("/events/")

    repeat = client.get("/events/", headers={"if-none-match": first["ETag"]})

    assert first["ETag"]
    assert repeat.status_code == 304
    assert repeat.content == b""


def test_page_served_from_the_cache_has_the_headers_and_body_of_the_first_answer(
    client, upcoming_event, django_assert_num_queries
):
    first = client.get("/events/")

    with django_assert_num_queries(0):
        repeat = client.get("/events/")

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
        ("/events/", "matching etag", 304),
        ("/events/", "other etag", 200),
        ("/events/", "failed if-match", 412),
        ("/events/labour-inspection-workshop.ics", "matching etag", 304),
        ("/events/labour-inspection-workshop.ics", "not modified since", 304),
        ("/events/labour-inspection-workshop.ics", "other etag", 200),
    ],
)
def test_cached_page_answers_conditional_requests_as_the_view_does(
    client, upcoming_event, django_assert_num_queries, path, case, status
):
    first = client.get(path)
    headers = conditional_headers(first, case)

    with django_assert_num_queries(0):
        from_cache = client.get(path, headers=headers)
    page_cache.bump_generation()
    from_view = client.get(path, headers=headers)

    assert from_cache.status_code == from_view.status_code == status
    assert from_cache.get("ETag") == from_view.get("ETag")
    assert from_cache.get("Last-Modified") == from_view.get("Last-Modified")


def test_not_modified_answer_is_never_kept_for_the_next_visitor(client, upcoming_event):
    first = client.get("/events/")
    page_cache.bump_generation()

    not_modified = client.get("/events/", headers={"if-none-match": first["ETag"]})
    next_visit = client.get("/events/")

    assert not_modified.status_code == 304
    assert next_visit.status_code == 200
    assert next_visit.content == first.content


def test_event_calendar_file_repeat_visit_gets_304(client, upcoming_event):
    first = client.get(upcoming_event.get_ical_url())

    repeat = client.get(upcoming_event.get_ical_url(), headers={"if-none-match": first["ETag"]})

    assert first["Content-Type"] == "text/calendar; charset=utf-8"
    assert repeat.status_code == 304


def test_page_cache_can_be_turned_off(client, settings, upcoming_event, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/events/")

    # the longest event, events, categories, tags, repeating events, four filter menus: the view
    # runs again
    with django_assert_num_queries(9):
        client.get("/events/")


def page_cache_middleware(response):
    return AnonymousPageCacheMiddleware(lambda request: response)


def test_page_varying_with_a_visitors_cookie_is_not_kept(rf):
    page = HttpResponse("<form>token-of-visitor-a</form>")
    patch_vary_headers(page, ["Cookie"])
    request = rf.get("/contact/", HTTP_HOST="testserver")
    request.COOKIES["csrftoken"] = "visitor-a"

    page_cache_middleware(page)(request)
    served = page_cache_middleware(HttpResponse("fresh"))(rf.get("/contact/", HTTP_HOST="testserver"))

    assert served.content == b"fresh"


def test_page_varying_with_cookies_made_for_a_cookieless_request_is_kept(rf):
    page = HttpResponse("<p>same for everyone</p>")
    patch_vary_headers(page, ["Cookie"])

    page_cache_middleware(page)(rf.get("/about/", HTTP_HOST="testserver"))
    served = page_cache_middleware(HttpResponse("fresh"))(rf.get("/about/", HTTP_HOST="testserver"))

    assert served.content == b"<p>same for everyone</p>"


def test_cached_page_carries_the_security_headers_of_the_first_answer(client, upcoming_event):
    first = client.get("/events/")

    repeat = client.get("/events/")

    assert first["X-Content-Type-Options"] == repeat["X-Content-Type-Options"] == "nosniff"
    assert first["Referrer-Policy"] == repeat["Referrer-Policy"] == "same-origin"
    assert first["X-Frame-Options"] == repeat["X-Frame-Options"] == "DENY"


# Served by gunicorn, hits are answered in front of Django's handler (events_site.wsgi).


@pytest.fixture
def served(rf):
    """``get(path, host=..., **headers)``: (status, headers, body) from ``events_site.wsgi.application``."""
    from events_site.wsgi import application

    # As the test client does: a request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def get(path, host="testserver", **headers):
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = status, dict(response_headers)

        environ = rf.get(path, headers=headers, HTTP_HOST=host).environ
        body = application(environ, start_response)
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        return answer["status"], answer["headers"], content

    yield get
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_served_repeat_visit_is_the_first_answer_without_queries(
    served, upcoming_event, django_assert_num_queries
):
    first = served("/events/")

    with django_assert_num_queries(0):
        repeat = served("/events/")

    assert first[0] == repeat[0] == "200 OK"
    assert repeat == first
    assert "Labour Inspection Workshop" in first[2].decode()


def test_served_page_changes_on_the_visit_after_a_save(served, upcoming_event):
    served("/events/")

    upcoming_event.title = "Labour Inspection Training"
    upcoming_event.save()

    assert "Labour Inspection Training" in served("/events/")[2].decode()


def test_served_page_is_read_once_per_miss_and_once_per_hit(served, upcoming_event, monkeypatch):
    reads = []
    look_up = page_cache.look_up
    monkeypatch.setattr(page_cache, "look_up", lambda key: reads.append(key) or look_up(key))

    served("/events/")
    served("/events/")

    assert len(reads) == 2
    assert reads[0] == reads[1]


@pytest.mark.parametrize(
    ("case", "status"), [("matching etag", "304 Not Modified"), ("other etag", "200 OK")]
)
def test_served_repeat_visit_answers_conditional_requests(served, upcoming_event, case, status):
    _, first_headers, _ = served("/events/")
    etag = {"matching etag": first_headers["ETag"], "other etag": '"another-version"'}[case]

    repeat_status, _, body = served("/events/", if_none_match=etag)

    assert repeat_status == status
    assert (body == b"") == (status == "304 Not Modified")


def test_served_request_for_an_unknown_host_gets_400(served, upcoming_event):
    served("/events/")

    status, _, _ = served("/events/", host="attacker.example")

    assert status == "400 Bad Request"


def test_served_pages_of_different_addresses_are_kept_apart(served, frozen_now):
    EventFactory(title="First of two", start=dt.datetime(2021, 7, 1, 10, tzinfo=dt.UTC))

    home, events = served("/"), served("/events/")
    again_home, again_events = served("/"), served("/events/")

    assert again_home == home
    assert again_events == events
    assert home[2] != events[2]


def test_static_files_never_consult_the_page_cache(served, monkeypatch):
    looked_up = []
    monkeypatch.setattr(page_cache, "look_up", lambda key: looked_up.append(key) or (None, None))

    # Whether WhiteNoise has the file (after collectstatic) or not, the page cache stays out of it.
    status, _, _ = served("/static/css/site.css")

    assert status in ("200 OK", "404 Not Found")
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
    unreachable_cache, client, served, upcoming_event, caplog
):
    status, _, body = served("/events/")
    through_middleware = client.get("/events/")

    assert status == "200 OK"
    assert "Labour Inspection Workshop" in body.decode()
    assert "Labour Inspection Workshop" in text_of(through_middleware)
    assert "Page cache unreachable" in caplog.text


def test_editor_can_save_when_the_cache_cannot_be_reached(unreachable_cache, upcoming_event, caplog):
    upcoming_event.title = "Labour Inspection Training"
    upcoming_event.save()

    upcoming_event.refresh_from_db()
    assert upcoming_event.title == "Labour Inspection Training"
    assert "a new generation could not be started" in caplog.text
