"""The admin in the editor's language: Django's own words, and every word the site adds to it."""

from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from events.models import CalendarImport
from events.recurrence import describe_rule
from tests.pages import text_of

pytestmark = pytest.mark.django_db
GERMAN = {"accept-language": "de-DE,de;q=0.9"}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_event_form_speaks_the_editors_language(admin_client):
    response = admin_client.get("/admin/events/event/add/", headers=GERMAN)
    text = text_of(response)

    assert "Veranstaltung hinzufügen" in text  # Django's own
    assert "Allianz gegen Menschenhandel: Veranstaltungen und Neuigkeiten" in text  # the site's header
    assert "Veranstaltungskalender" in text  # the app's name, in the breadcrumbs
    assert 'value="Speichern und Vorschau"' in response.content.decode()  # the site's button
    assert "Ein oder zwei Sätze für Listen und Vorschauen." in text  # a help text
    assert "Wiederholt sich nicht" in text  # the "Repeats" choices
    assert "Teilnahmeart:" in text  # a field's name
    assert "Anmeldeschluss:" in text
    assert "Nur bei Änderung. „Abgesagt“ sagt diesen Termin ab; leer: der Status der Veranstaltung." in text


def test_the_event_list_speaks_the_editors_language(admin_client, seed):
    text = text_of(admin_client.get("/admin/events/event/", headers={"accept-language": "fr"}))

    assert "Publier les événements sélectionnés" in text  # a list action


@pytest.mark.django_db(transaction=True)
def test_a_background_import_reports_in_the_language_of_the_editor_who_started_it(admin_client, settings):
    settings.TASKS = DATABASE_TASKS
    broken = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:a@example.org\r\n"
        b"SUMMARY:Webinar\r\nDTSTART:99991231T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    upload = SimpleUploadedFile("broken.ics", broken, content_type="text/calendar")
    admin_client.post("/admin/events/event/import/", {"file": upload}, headers=GERMAN)

    # The worker runs in its own process and language; the run keeps the editor's.
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    run = CalendarImport.objects.get()
    assert run.problems == [
        "Zeile 7 (Veranstaltung „Webinar“): DTSTART: 9999-12-31 liegt außerhalb der Daten, die diese Website "
        "zeigen kann (die Jahre 1900 bis 2200)."
    ]
    page = text_of(admin_client.get(f"/admin/events/event/import/{run.pk}/", headers=GERMAN))
    assert "Abgelehnt: nichts wurde importiert" in page
    assert "Nichts wurde importiert, denn:" in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Every month on the second Tuesday, 10 times"),
        ("fr", "Tous les mois le deuxième mardi, 10 fois"),
        ("de", "Jeden Monat am zweiten Dienstag, 10 Mal"),
        ("it", "Ogni mese il secondo martedì, 10 volte"),
        ("ru", "Каждый месяц по вторым вторникам, 10 раз"),
        ("es", "Cada mes el segundo martes, 10 veces"),
    ],
)
def test_a_repeat_rule_reads_in_every_language(language, expected):
    series = SimpleNamespace(
        recurrence_rule="FREQ=MONTHLY;BYDAY=2TU;COUNT=10", zone=ZoneInfo("UTC"), all_day=False
    )

    with translation.override(language):
        assert describe_rule(series) == expected


def test_every_language_has_its_plural_forms_for_a_count():
    series = SimpleNamespace(
        recurrence_rule="FREQ=WEEKLY;INTERVAL=2;COUNT=21", zone=ZoneInfo("UTC"), all_day=False
    )

    with translation.override("ru"):
        assert describe_rule(series) == "Каждые 2 недели, 21 раз"
    with translation.override("de"):
        assert describe_rule(series) == "Alle 2 Wochen, 21 Mal"
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr", "de", "it", "ru", "es"]
