"""The seed fixtures against the source page they were taken from (fixtures/source/)."""

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from events.models import Event
from events_site.rich_text import to_plain_text

SOURCE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "source" / "000_3725ee824a72d7ec.txt"
).read_text(encoding="utf-8")
VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
pytestmark = pytest.mark.django_db


def folded(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def alliance(seed):
    return Event.objects.get(slug="21st-conference-alliance-against-trafficking-in-persons")


@pytest.fixture
def hearing(seed):
    return Event.objects.get(slug="congressional-hearing-role-of-technology-in-countering-trafficking")


def test_alliance_title_and_stored_instants_are_the_source_values(alliance):
    assert alliance.title in SOURCE
    # The source's own machine values: 2021-06-14T00:00:00+02:00 to 2021-06-17T00:00:00+02:00 (exclusive).
    assert alliance.start.astimezone(VIENNA).isoformat() in SOURCE
    assert alliance.end.astimezone(VIENNA).isoformat() in SOURCE
    assert alliance.all_day
    assert (alliance.start_date, alliance.end_date) == (dt.date(2021, 6, 14), dt.date(2021, 6, 16))
    assert "June 14, 2021 – June 16, 2021 all-day" in SOURCE


def test_alliance_session_matches_the_when_line(alliance):
    (session,) = alliance.sessions.all()

    assert "WHEN 14 June 2021, 14:00 – 16 June 2021, 16:30" in SOURCE
    assert session.local_start == dt.datetime(2021, 6, 14, 14, 0, tzinfo=VIENNA)
    assert session.local_end == dt.datetime(2021, 6, 16, 16, 30, tzinfo=VIENNA)
    assert f"WHERE {session.location}" in SOURCE


def test_alliance_venue_organizer_cost_and_attendance(alliance):
    assert "Hofburg (Vienna, Austria)" in SOURCE
    assert (alliance.venue.name, alliance.venue.city, alliance.venue.get_country_display()) == (
        "Hofburg",
        "Vienna",
        "Austria",
    )
    assert f"ORGANIZED BY {alliance.organizer.name}" in SOURCE
    assert alliance.cost_display == "Free"
    assert "Cost:\nFree" in SOURCE
    assert alliance.attendance_mode == Event.AttendanceMode.MIXED
    assert f"via {alliance.online_platform} ({alliance.online_access})" in SOURCE.replace("ZOOM", "Zoom")


def test_alliance_registration_contact_and_documents(alliance):
    assert alliance.registration_url in SOURCE
    assert "Thursday 10 June, 17:00 CEST (UTC/GMT+2)" in folded(SOURCE)
    assert alliance.registration_deadline == dt.datetime(2021, 6, 10, 17, 0, tzinfo=VIENNA)
    assert alliance.contact_email in SOURCE
    assert alliance.hashtags in SOURCE
    assert [f"{d.title} DOWNLOAD" in SOURCE for d in alliance.documents.all()] == [True, True]
    assert [d.title for d in alliance.documents.all()] == ["Preliminary Agenda", "Concept note"]


def test_alliance_texts_are_taken_from_the_source(alliance):
    assert folded(alliance.summary) in folded(SOURCE)
    for paragraph in to_plain_text(alliance.description).split("\n\n"):
        assert folded(paragraph) in folded(SOURCE)


def test_the_alliances_headings_are_headings(alliance):
    headings = re.findall(r"<h2>(.*?)</h2>", alliance.description)
    assert headings == ["The Alliance", "The Format"]
    assert "<p>The Format" not in alliance.description


def test_hearing_is_ten_in_washington_and_four_pm_on_the_site(hearing):
    assert hearing.title in SOURCE
    assert "Date: Tuesday, July 28, 2020 – 10:00am" in SOURCE
    assert "When: July 28, 2020 @ 4:00 pm – 5:00 pm" in SOURCE
    assert hearing.local_start.isoformat() == "2020-07-28T10:00:00-04:00"
    assert hearing.start.astimezone(VIENNA).isoformat() == "2020-07-28T16:00:00+02:00"
    assert hearing.end.astimezone(VIENNA).isoformat() == "2020-07-28T17:00:00+02:00"
    assert hearing.attendance_mode == Event.AttendanceMode.ONLINE
    assert sorted(hearing.categories.values_list("name", flat=True)) == [
        "Events",
        "News & Analysis",
        "Videos",
    ]


def test_articles_in_source_order_with_categories_tags_and_excerpts(seed):
    articles = list(Article.objects.published())

    titles = [article.title for article in articles]
    assert titles == [
        "At Risk: Exploitation and the UK Asylum System",
        "Congressional Hearing: The Role of Technology in Countering Trafficking in Persons",
        "Still in chains",
        "Work behind bars: Analysis of prison labor in the United States based on international labor "
        "standards",
    ]
    positions = [SOURCE.index(title + "\n") for title in titles]
    assert positions == sorted(positions)
    for article in articles:
        categories = "".join(article.categories.order_by("pk").values_list("name", flat=True))
        assert f"{article.title}\n{categories}\n" in SOURCE
        assert folded(article.excerpt.removesuffix("…")) in folded(SOURCE)
    tagged = {a.title for a in articles if a.tags.filter(name="Europe").exists()}
    assert tagged == {"At Risk: Exploitation and the UK Asylum System", "Still in chains"}
    assert SOURCE.count("TAGS: Europe") == 2


def test_loading_the_seed_twice_loads_nothing_twice(seed, capsys):
    call_command("load_seed")

    assert "seed not loaded again" in capsys.readouterr().out
    assert (Event.objects.count(), Article.objects.count()) == (2, 4)
