"""The site in the six languages of its audience: addresses, the visitor's choice, dates, caches."""

import re

import pytest
from django.conf import settings
from django.utils import translation

from events.calendar_files.importer import import_calendar
from events.models import Event, EventFeedText
from events_site import page_cache
from tests.pages import text_of, xml_of

pytestmark = pytest.mark.django_db

ALLIANCE = "events/21st-conference-alliance-against-trafficking-in-persons/"
HEARING = "events/congressional-hearing-role-of-technology-in-countering-trafficking/"


def test_the_site_speaks_the_six_working_languages_of_the_osce():
    assert [code for code, name in settings.LANGUAGES] == ["en", "fr", "de", "it", "ru", "es"]


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("de-AT,de;q=0.9,en;q=0.5", "/de/"),
        ("ru", "/ru/"),
        ("es-419,es;q=0.8", "/es/"),
        ("ja,ko;q=0.8", "/en/"),  # none of the site's: English
        ("", "/en/"),
    ],
)
def test_a_first_visit_goes_to_the_browsers_language(client, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})

    assert response.status_code == 302
    assert response["Location"] == expected


def test_an_address_from_before_the_languages_keeps_its_page_and_query(seed, client):
    response = client.get("/events/calendar/2021/06/?q=vienna", headers={"accept-language": "fr"})

    assert response["Location"] == "/fr/events/calendar/2021/06/?q=vienna"
    assert client.get(response["Location"]).status_code == 200


def test_a_calendar_subscribed_before_the_languages_still_reaches_its_file(seed, client):
    # Calendar programs send no Accept-Language: the old address leads to the English file.
    response = client.get("/events/calendar.ics", follow=True)

    assert response.redirect_chain == [("/en/events/calendar.ics", 302)]
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in b"".join(response.streaming_content)


def test_the_switcher_keeps_the_visitor_on_the_same_page_and_remembers_the_choice(seed, client):
    response = client.post(
        "/de/i18n/setlang/", {"language": "fr", "next": "/de/events/calendar/2021/06/?q=vienna"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/fr/events/calendar/2021/06/?q=vienna"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    # The next visit without a language in the address goes to the chosen one, whatever the browser says.
    assert client.get("/", headers={"accept-language": "de"})["Location"] == "/fr/"


def test_the_switcher_is_a_form_that_works_without_javascript(seed, client):
    html = client.get(f"/de/{ALLIANCE}").content.decode()

    form = re.search(r'<form action="/de/i18n/setlang/" method="post">.*?</form>', html, re.S).group()
    assert f'<input type="hidden" name="next" value="/de/{ALLIANCE}">' in form
    buttons = re.findall(
        r'<button type="submit" name="language" value="(\w+)" lang="\w+"([^>]*)>([^<]+)<', form
    )
    assert [(code, name) for code, _, name in buttons] == [
        ("en", "English"),
        ("fr", "Français"),
        ("de", "Deutsch"),
        ("it", "Italiano"),
        ("ru", "Русский"),
        ("es", "Español"),
    ]
    assert [code for code, current, _ in buttons if "aria-current" in current] == ["de"]


def test_every_page_names_itself_in_the_other_languages(seed, client):
    html = client.get(f"/it/{ALLIANCE}?view=x").content.decode()

    assert '<html lang="it">' in html
    alternates = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)
    assert alternates == [
        *((code, f"http://testserver/{code}/{ALLIANCE}?view=x") for code, _ in settings.LANGUAGES),
        # The address without a language, which sends each visitor to theirs.
        ("x-default", f"http://testserver/{ALLIANCE}?view=x"),
    ]


def test_dates_and_times_follow_the_language(seed, client):
    english = text_of(client.get(f"/en/{HEARING}"))
    german = text_of(client.get(f"/de/{HEARING}"))
    russian = text_of(client.get(f"/ru/{ALLIANCE}"))

    assert "July 28, 2020 @ 4:00 pm – 5:00 pm CEST" in english
    # A 24-hour clock where the language keeps one; the zone's abbreviation stays as it is.
    assert "28. Juli 2020, 16:00 – 17:00 CEST" in german
    assert "14 июня 2021 г." in russian


def test_the_month_grid_starts_its_weeks_on_the_languages_first_day(seed, client):
    for code, first_day in [("en", "Monday"), ("de", "Montag"), ("fr", "lundi"), ("ru", "Понедельник")]:
        html = client.get(f"/{code}/events/calendar/2021/06/").content.decode()
        headings = re.findall(r'<th scope="col"><abbr title="([^"]+)">', html)
        assert len(headings) == 7
        assert headings[0] == first_day


def test_the_page_cache_never_serves_a_page_in_another_language(seed, served):
    german = served.get(f"/de/{ALLIANCE}")
    french = served.get(f"/fr/{ALLIANCE}", headers={"accept-language": "de"})

    assert '<html lang="fr">' in french.content.decode()
    assert french["ETag"] != german["ETag"]
    # Asked again with the German page's ETag, the French page is sent whole, not "not modified".
    again = served.get(f"/fr/{ALLIANCE}", headers={"if-none-match": german["ETag"]})
    assert again.status_code == 200
    assert '<html lang="fr">' in again.content.decode()


def test_the_page_cache_keys_a_page_by_the_language_it_is_made_in(rf):
    def key(path, **headers):
        return page_cache.page_key(rf.get(path, headers=headers))

    # An address with a language: that language, whatever the browser asks for.
    assert key("/de/events/", accept_language="fr") == key("/de/events/", accept_language="ru")
    assert key("/de/events/") != key("/fr/events/")
    # An address without one is answered in the visitor's language: kept apart by it.
    assert key("/robots.txt", accept_language="fr") != key("/robots.txt", accept_language="de")
    assert key("/robots.txt", cookie=f"{settings.LANGUAGE_COOKIE_NAME}=ru") == key(
        "/robots.txt", accept_language="ru"
    )


def calendar_file(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


def unfolded(text):
    """A file's text with its lines unfolded and its commas and semicolons unescaped."""
    return text.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")


def test_a_calendar_file_speaks_the_language_of_its_address_and_keeps_its_uids(seed, client):
    english = unfolded(calendar_file(client, f"/en/{ALLIANCE.rstrip('/')}.ics"))
    french = unfolded(calendar_file(client, f"/fr/{ALLIANCE.rstrip('/')}.ics"))

    assert "Registration (until Thursday 10 June 2021, 17:00 CEST): https://events.osce.org/" in english
    assert "Inscription (jusqu’au jeudi 10 juin 2021, 17:00 CEST) : https://events.osce.org/" in french
    assert "Contact : info-cthb@osce.org" in french
    # Its links lead to the pages in its language; its UIDs are those of every other language.
    assert f"URL:http://testserver/fr/{ALLIANCE}" in french
    assert re.findall(r"^UID:.*$", french, re.M) == re.findall(r"^UID:.*$", english, re.M)


def test_a_feed_in_another_language_builds_its_events_once_then_copies_its_own_texts(
    seed, client, committed, settings, django_assert_max_num_queries
):
    settings.SITE_URL = "https://events.example.org"
    with committed():
        for event in Event.objects.all():
            event.save()  # the default language's texts, written at commit
    assert set(EventFeedText.objects.values_list("language", flat=True)) == {"en"}

    # The first German feed builds its events, and has the worker (here: at once) write their texts.
    first = unfolded(calendar_file(client, "/de/events/calendar.ics?from=2021-01-01"))
    german = EventFeedText.objects.filter(language="de")
    assert german.count() == Event.objects.count()
    assert all(
        "Anmeldung (bis " in text.replace("\r\n ", "")
        for text in german.filter(event__registration_url__gt="").values_list("text", flat=True)
    )

    # The next copies them: the same file, in as many queries as an English feed.
    with django_assert_max_num_queries(4):
        again = unfolded(calendar_file(client, "/de/events/calendar.ics?from=2021-01-01"))
    assert _without_stamps(again) == _without_stamps(first)

    # An edit drops the event's texts in every language; the English one is written at commit.
    event = Event.objects.get(slug=ALLIANCE.split("/")[1])
    with committed():
        event.title = "Alliance conference"
        event.save()
    assert set(event.feed_texts.values_list("language", flat=True)) == {"en"}
    assert "SUMMARY:Alliance conference" in unfolded(
        calendar_file(client, "/de/events/calendar.ics?from=2021-01-01")
    )


def _without_stamps(text):
    return re.sub(r"DTSTAMP:\S+", "", text)


def test_stored_calendar_texts_stay_in_the_default_language_whoever_saves(seed, client, committed, settings):
    settings.SITE_URL = "https://events.example.org"
    event = Event.objects.get(slug=ALLIANCE.split("/")[1])
    with committed(), translation.override("de"):  # an editor whose admin is in German
        event.save()

    english = unfolded(calendar_file(client, "/en/events/calendar.ics?from=2021-01-01"))
    german = unfolded(calendar_file(client, "/de/events/calendar.ics?from=2021-01-01"))

    assert f"URL:https://events.example.org/en/{ALLIANCE}" in english
    assert "Registration (until Thursday 10 June 2021" in english
    assert f"URL:https://events.example.org/de/{ALLIANCE}" in german
    assert "Anmeldung (bis Donnerstag, 10. Juni 2021, 17:00 CEST): https://events.osce.org/" in german


@pytest.mark.parametrize(
    ("exported", "importing"), [("fr", "en"), ("de", "en"), ("ru", "de"), ("en", "fr"), ("es", "es")]
)
@pytest.mark.parametrize("path", ["events/calendar.ics?from=2000-01-01", ALLIANCE.rstrip("/") + ".ics"])
def test_importing_our_own_export_in_any_language_changes_nothing(seed, client, exported, importing, path):
    data = calendar_file(client, f"/{exported}/{path}")
    rows = list(Event.objects.order_by("pk").values())

    with translation.override(importing):  # the language of the editor who imports
        again = import_calendar(data)

    assert (again.created, again.updated) == ([], [])
    assert list(Event.objects.order_by("pk").values()) == rows


def test_the_sitemap_lists_every_page_in_every_language_with_its_alternates(seed, client):
    urls = xml_of(client.get("/sitemap-events.xml"))
    namespaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}

    pages = [url.find("s:loc", namespaces).text for url in urls.findall("s:url", namespaces)]
    assert f"http://testserver/ru/{ALLIANCE}" in pages
    assert len(pages) == 2 * len(settings.LANGUAGES)  # the seed's two events
    first = urls.find("s:url", namespaces)
    alternates = {link.get("hreflang"): link.get("href") for link in first.findall("x:link", namespaces)}
    page = first.find("s:loc", namespaces).text.split("/", 4)[4]
    assert alternates == {
        **{code: f"http://testserver/{code}/{page}" for code, _ in settings.LANGUAGES},
        "x-default": f"http://testserver/{page}",  # without a language: each visitor's
    }


def test_a_sitemap_page_reads_only_its_own_events(seed, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/sitemap-events.xml?p=1")


def test_content_not_yet_translated_is_marked_as_the_original_language_and_says_so(seed, client):
    french = client.get(f"/fr/{ALLIANCE}").content.decode()
    english = client.get(f"/en/{ALLIANCE}").content.decode()

    assert '<h1 lang="en">21st Conference of the Alliance against Trafficking in Persons</h1>' in french
    assert '<div class="description" lang="en">' in french
    assert "Cet événement est affiché dans la langue dans laquelle il a été rédigé." in text_of(
        client.get(f"/fr/{ALLIANCE}")
    )
    assert "original-language" not in english
