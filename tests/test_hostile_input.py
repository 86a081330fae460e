"""Hostile input never gives a 500 and never reaches a reader unescaped (issue 15, in part):
line breaks in names of calendar files, HTML in feed descriptions, impossible values in imports."""

import datetime as dt
import zoneinfo
from xml.etree import ElementTree

import icalendar
import pytest

from events.calendar_files.importer import CalendarImportError, import_calendar
from events.models import Event
from tests.factories import ArticleFactory, CategoryFactory, EventFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
SCRIPT = "<script>alert(1)</script>"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_line_breaks_in_a_search_stay_inside_the_calendars_name(client):
    EventFactory(title="Webinar x", start=dt.datetime(2099, 1, 1, 10, tzinfo=VIENNA))

    response = client.get("/en/events/calendar.ics?q=x%0D%0AEND%3AVEVENT%0D%0ABEGIN%3AVEVENT")

    assert response.status_code == 200
    data = body(response)
    calendar = icalendar.Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == 0  # no event has those words, and none was injected
    assert b"\r\nBEGIN:VEVENT" not in data  # as a line of its own: only inside the escaped name
    assert "END:VEVENT" in str(calendar["X-WR-CALNAME"])  # the words, inside the name


def test_a_bare_carriage_return_in_a_search_is_escaped(client):
    data = body(client.get("/en/events/calendar.ics?q=a%0Db"))
    assert b"a\rb" not in data
    assert icalendar.Calendar.from_ical(data)


@pytest.mark.parametrize("suffix", [".ics", "/registration-deadline.ics", "/schedule.ics?session={session}"])
def test_a_title_with_a_line_break_gives_a_file(client, suffix):
    event = EventFactory(
        title="Line one\r\nEND:VCALENDAR",
        slug="broken",
        registration_deadline=dt.datetime(2031, 3, 1, tzinfo=VIENNA),
        start=dt.datetime(2031, 3, 4, 10, tzinfo=VIENNA),
    )
    session = SessionFactory(event=event, title="Talk\nwith a break")
    response = client.get(f"/en/events/broken{suffix.format(session=session.pk)}")
    assert response.status_code == 200
    assert icalendar.Calendar.from_ical(body(response))


def test_a_category_with_a_line_break_gives_a_feed(client):
    category = CategoryFactory(name="News\r\nBEGIN:VEVENT", slug="news")
    EventFactory(start=dt.datetime(2099, 1, 1, 10, tzinfo=VIENNA)).categories.add(category)
    response = client.get("/en/events/calendar.ics?category=news")
    assert response.status_code == 200
    assert len(icalendar.Calendar.from_ical(body(response)).walk("VEVENT")) == 1


def descriptions(response, path):
    root = ElementTree.fromstring(response.content)
    namespaces = {"atom": "http://www.w3.org/2005/Atom"}
    return [element.text or "" for element in root.iterfind(path, namespaces)]


def test_event_feeds_escape_plain_text_as_html(client):
    EventFactory(
        summary=SCRIPT,
        venue=VenueFactory(name='<img src=x onerror="alert(1)">'),
        start=dt.datetime(2099, 1, 1, 10, tzinfo=VIENNA),
    )
    rss = descriptions(client.get("/en/events/feed.rss"), "./channel/item/description")
    atom = descriptions(client.get("/en/events/feed.atom"), "./atom:entry/atom:summary")
    for text in (*rss, *atom):
        assert "<script" not in text
        assert "<img" not in text
        assert "&lt;script&gt;" in text
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text


def test_the_news_feed_escapes_excerpts(client):
    ArticleFactory(excerpt="<svg onload=alert(1)>", is_published=True)
    (text,) = descriptions(client.get("/en/news/feed.rss"), "./channel/item/description")
    assert text == "&lt;svg onload=alert(1)&gt;"


def ics(*lines):
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//EN", *lines, "END:VCALENDAR"])
        + "\r\n"
    ).encode()


def vevent(*lines):
    return ["BEGIN:VEVENT", "UID:hostile-1@example.org", *lines, "END:VEVENT"]


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (("SUMMARY:Nul\x00byte", "DTSTART:20310101T100000Z"), "Line 6"),
        (("SUMMARY:Far", "DTSTART:99991231T100000Z"), "Line 7 (event “Far”): DTSTART: 9999-12-31"),
        (
            ("SUMMARY:Long", "DTSTART:20310101T100000Z", "DURATION:P99999999W"),
            "Line 8 (event “Long”): DURATION",
        ),
        (("SUMMARY:Ancient", "DTSTART:00010101T100000Z"), "Line 7 (event “Ancient”): DTSTART: 0001-01-01"),
    ],
    ids=["a NUL byte", "year 9999", "a huge duration", "year 1"],
)
def test_an_import_refuses_values_the_site_cannot_hold_saying_where(lines, problem):
    with pytest.raises(CalendarImportError) as raised:
        import_calendar(ics(*vevent(*lines)))
    assert any(p.startswith(problem) for p in raised.value.problems), raised.value.problems
    assert Event.objects.count() == 0


def test_a_huge_value_is_echoed_only_in_part():
    with pytest.raises(CalendarImportError) as raised:
        import_calendar(ics(*vevent("SUMMARY:x", "DTSTART:2031" + "9" * 5000)))
    assert all(len(problem) < 400 for problem in raised.value.problems)


UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>x</script>",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_no_write_path_stores_a_javascript_link(url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        EventFactory(registration_url=url)
    assert "Only http, https or mailto addresses can be linked." in str(raised.value)
    with pytest.raises(ValidationError):
        VenueFactory(url=url)
    with pytest.raises(ValidationError):
        ArticleFactory(source_url=url)


def test_a_javascript_link_stored_anyway_is_never_shown(client):
    from events.models import Document, Organizer, Venue

    event = EventFactory(
        slug="trap",
        registration_url="https://ok.example/",
        venue=VenueFactory(slug="v"),
        start=dt.datetime(2099, 1, 1, 10, tzinfo=VIENNA),
    )
    organizer = Organizer.objects.create(name="Org", slug="org")
    Event.objects.filter(pk=event.pk).update(registration_url="javascript:alert(1)", organizer=organizer)
    Organizer.objects.filter(pk=organizer.pk).update(url="javascript:alert(2)")
    Venue.objects.filter(slug="v").update(url="javascript:alert(3)")
    Document.objects.create(event=event, title="Agenda", url="https://ok.example/a.pdf")
    Document.objects.filter(event=event).update(url="javascript:alert(4)")
    article = ArticleFactory(slug="a", is_published=True, body="<p>Cut…</p>")
    type(article).objects.filter(pk=article.pk).update(source_url="javascript:alert(5)")

    for path in (
        "/en/events/trap/",
        "/en/venues/v/",
        "/en/organizers/org/",
        "/en/news/a/",
        "/en/events/trap.ics",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"javascript:" not in body(response).lower(), path


def test_an_article_summary_from_its_body_is_escaped_once(client):
    import json
    import re

    ArticleFactory(
        slug="s", is_published=True, excerpt="", body="<p>Hello &lt;script&gt; world &amp; more</p>"
    )

    listing = client.get("/en/news/").content.decode()
    page = client.get("/en/news/s/").content.decode()

    assert "Hello &lt;script&gt; world &amp; more" in listing  # the browser shows "<script>" and "&"
    assert "&amp;lt;" not in listing
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["description"] == "Hello <script> world & more"
