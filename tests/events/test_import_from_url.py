"""The admin's "Import .ics" also takes an address: http and https only, nothing local or private,
a size limit and a total time limit; the editor reads why an address was refused."""

import contextlib
import http.server
import socket
import threading
import time

import pytest

from events.calendar_files import fetching
from events.calendar_files.fetching import CalendarFetchError, fetch_calendar
from events.models import Event

pytestmark = pytest.mark.django_db
IMPORT_PAGE = "/admin/events/event/import/"

CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:web-1@example.org\r\n"
    b"SUMMARY:Fetched webinar\r\nDTSTART:20310728T140000Z\r\nDTEND:20310728T150000Z\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


@contextlib.contextmanager
def serving(handler_body, *, requests=1):
    """A local server answering ``requests`` GETs with ``handler_body(handler)``; yields its port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            handler_body(self)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=lambda: [server.handle_request() for _ in range(requests)], daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.server_close()


def calendar_answer(handler, body=CALENDAR):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/calendar")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def public_test_host(monkeypatch):
    """ "calendar.example" resolves to this machine, and this machine counts as public: only for the
    tests that fetch successfully (the refusals below use the real rule)."""
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        return real("127.0.0.1" if host == "calendar.example" else host, port, *args, **kwargs)

    monkeypatch.setattr(fetching.socket, "getaddrinfo", resolve)
    monkeypatch.setattr(fetching, "is_public_address", lambda address: True)


def test_an_editor_imports_from_an_address(editor_client, public_test_host):
    with serving(calendar_answer) as port:
        response = editor_client.post(
            IMPORT_PAGE, {"url": f"http://calendar.example:{port}/feed.ics"}, follow=True
        )

    assert Event.objects.get(ical_uid="web-1@example.org").title == "Fetched webinar"
    assert "Created 1, updated 0, skipped 0." in response.content.decode()


def test_webcal_addresses_are_read_as_https(editor_client, monkeypatch):
    fetched = []
    monkeypatch.setattr(
        "events.calendar_files.admin_import.fetch_calendar", lambda url: fetched.append(url) or CALENDAR
    )
    editor_client.post(IMPORT_PAGE, {"url": "webcal://calendar.example/feed.ics"})
    assert fetched == ["https://calendar.example/feed.ics"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://calendar.example/feed.ics", "Enter a valid URL."),
        ("file:///etc/passwd", "Enter a valid URL."),
        ("http://127.0.0.1/feed.ics", "“127.0.0.1” is a local or private address"),
        ("http://localhost:8000/feed.ics", "“localhost” is a local or private address"),
        ("http://10.1.2.3/feed.ics", "“10.1.2.3” is a local or private address"),
        ("http://192.168.0.10/feed.ics", "“192.168.0.10” is a local or private address"),
        ("http://169.254.169.254/latest/meta-data/", "“169.254.169.254” is a local or private address"),
        ("http://[::1]/feed.ics", "“::1” is a local or private address"),
        ("http://[::ffff:127.0.0.1]/feed.ics", "“::ffff:127.0.0.1” is a local or private address"),
        ("http://no-such-host.invalid/feed.ics", "The server “no-such-host.invalid” could not be found."),
    ],
)
def test_addresses_the_server_must_not_or_cannot_reach_are_refused(editor_client, url, message):
    response = editor_client.post(IMPORT_PAGE, {"url": url})

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get("url", []))
    assert message in errors
    assert Event.objects.count() == 0


def test_a_redirect_to_a_private_address_is_refused(monkeypatch, public_test_host):
    def redirect(handler):
        handler.send_response(302)
        handler.send_header("Location", "http://127.0.0.1:9/secret")
        handler.end_headers()

    # calendar.example is this machine too: the first address checked passes, the redirect's not.
    checked = []

    def public(address):
        checked.append(address)
        return len(checked) == 1  # the first host (calendar.example) passes; the redirect's fails

    monkeypatch.setattr(fetching, "is_public_address", public)
    with serving(redirect) as port, pytest.raises(CalendarFetchError, match="local or private address"):
        fetch_calendar(f"http://calendar.example:{port}/feed.ics")


def test_a_file_over_the_size_limit_is_refused(public_test_host):
    with (
        serving(lambda handler: calendar_answer(handler, b"x" * 2000)) as port,
        pytest.raises(CalendarFetchError, match="larger than"),
    ):
        fetch_calendar(f"http://calendar.example:{port}/big.ics", max_bytes=1000)


def test_a_file_without_a_length_is_cut_at_the_size_limit(public_test_host):
    def endless(handler):
        handler.send_response(200)
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x" * 1000)

    with serving(endless) as port, pytest.raises(CalendarFetchError, match="larger than"):
        fetch_calendar(f"http://calendar.example:{port}/big.ics", max_bytes=10_000)


def test_a_server_that_drips_is_cut_at_the_total_time_limit(public_test_host):
    def drip(handler):
        handler.send_response(200)
        handler.end_headers()
        with contextlib.suppress(OSError):
            for _ in range(50):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.1)

    started = time.monotonic()
    with serving(drip) as port, pytest.raises(CalendarFetchError, match="longer than 1 seconds"):
        fetch_calendar(f"http://calendar.example:{port}/slow.ics", seconds=1)
    assert time.monotonic() - started < 3


def test_a_file_or_an_address_not_both_nor_neither(editor_client):
    response = editor_client.post(IMPORT_PAGE, {})
    assert "Choose a file or give an address (one of the two)." in response.content.decode()


def test_an_error_page_answer_is_reported(editor_client, public_test_host):
    def missing(handler):
        handler.send_response(404)
        handler.end_headers()

    with serving(missing) as port:
        response = editor_client.post(IMPORT_PAGE, {"url": f"http://calendar.example:{port}/gone.ics"})

    assert "The server answered 404 Not Found." in " ".join(response.context["form"].errors["url"])
