"""The admin's import runs in the background: the request that uploads a file only queues it, and a
page shows how far the run got and what it did (issue 15: a 20,000-event file ended in a 500)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from events import tasks
from events.calendar_files import importer
from events.models import CalendarImport, Event
from tests.pages import text_of

IMPORT_PAGE = "/admin/events/event/import/"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def calendar(count):
    vevents = "".join(
        f"BEGIN:VEVENT\r\nUID:bulk-{n}@example.org\r\nSUMMARY:Webinar {n}\r\n"
        f"DTSTART:20310101T{10 + n % 8:02d}0000Z\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"
        for n in range(count)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n{vevents}END:VCALENDAR\r\n".encode()


def upload(data, name="bulk.ics"):
    return SimpleUploadedFile(name, data, content_type="text/calendar")


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_queued_and_a_worker_imports_it_while_the_page_follows(admin_client, settings):
    settings.TASKS = DATABASE_TASKS

    response = admin_client.post(IMPORT_PAGE, {"file": upload(calendar(30))}, follow=True)

    run = CalendarImport.objects.get()
    assert response.redirect_chain == [(f"{IMPORT_PAGE}{run.pk}/", 302)]
    assert Event.objects.count() == 0  # the request did not import
    assert "Waiting for the background worker…" in text_of(response)
    assert '<meta http-equiv="refresh" content="2">' in response.content.decode()

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    page = admin_client.get(f"{IMPORT_PAGE}{run.pk}/")
    assert "Imported Created 30, updated 0, skipped 0." in text_of(page)
    assert 'http-equiv="refresh"' not in page.content.decode()
    assert Event.objects.count() == 30
    run.refresh_from_db()
    assert (run.stage, run.events_in_file, bytes(run.data)) == ("done", 30, b"")


@pytest.mark.django_db
def test_a_run_reports_saving_then_how_many_it_saved_after_each_batch(monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 2)
    seen = []

    def progress(stage, done, total):
        seen.append((stage, done, total, Event.objects.count()))

    importer.import_calendar(calendar(5), progress=progress)

    assert seen == [
        ("saving", 0, 5, 0),  # before the transaction
        ("saved", 2, 5, 2),  # inside it, each batch written
        ("saved", 4, 5, 4),
        ("saved", 5, 5, 5),
    ]


@pytest.mark.django_db
def test_while_a_run_saves_its_page_shows_the_count_noted_in_the_cache(admin_client):
    run = CalendarImport.objects.create(
        source="partners.ics", data=b"", stage="saving", events_read=2000, events_in_file=2000
    )
    assert "Saving the events: 2,000 events, in one transaction…" in text_of(
        admin_client.get(f"{IMPORT_PAGE}{run.pk}/")
    )

    run.note_saved(1000, 2000)
    page = admin_client.get(f"{IMPORT_PAGE}{run.pk}/")

    assert "Saving the events: 1,000 of 2,000 saved, in one transaction…" in text_of(page)
    assert '<progress max="2000" value="1000">' in page.content.decode()


@pytest.mark.django_db
def test_a_long_save_that_still_notes_its_count_is_not_taken_for_a_stopped_one(admin_client):
    run = CalendarImport.objects.create(source="big.ics", data=b"", stage="saving", events_in_file=100000)
    CalendarImport.objects.filter(pk=run.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=40))
    run.refresh_from_db()
    assert run.stalled

    run.note_saved(60000, 100000)

    assert not run.stalled
    assert '<meta http-equiv="refresh"' in admin_client.get(f"{IMPORT_PAGE}{run.pk}/").content.decode()


@pytest.mark.django_db
def test_a_refused_file_shows_its_problems_on_the_run_page(admin_client):
    broken = calendar(2).replace(b"DTSTART:20310101T110000Z", b"DTSTART:99991231T110000Z")

    response = admin_client.post(IMPORT_PAGE, {"file": upload(broken)}, follow=True)

    text = text_of(response)
    assert "Refused: nothing was imported" in text
    assert (
        "Nothing was imported, because: Line 13 (event “Webinar 1”): DTSTART: 9999-12-31 is outside the "
        "dates this site can show (the years 1900 to 2200)."
    ) in text
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_an_unexpected_error_ends_the_run_with_a_message_and_no_500(admin_client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "import_calendar", broken)

    response = admin_client.post(IMPORT_PAGE, {"file": upload(calendar(2))}, follow=True)

    assert response.status_code == 200
    text = text_of(response)
    assert "Stopped by an error: nothing was imported" in text
    assert "An unexpected error stopped the import. The error has been logged." in text
    assert "disk full" not in text
    assert "disk full" in caplog.text


@pytest.mark.django_db
def test_a_run_that_stopped_moving_says_so_and_stops_reloading(admin_client, settings):
    settings.TASKS = DATABASE_TASKS
    admin_client.post(IMPORT_PAGE, {"file": upload(calendar(1))})
    run = CalendarImport.objects.get()
    CalendarImport.objects.filter(pk=run.pk).update(
        stage="saving", updated_at=timezone.now() - dt.timedelta(minutes=16)
    )

    page = admin_client.get(f"{IMPORT_PAGE}{run.pk}/")

    assert "its background worker has probably stopped" in text_of(page)
    assert 'http-equiv="refresh"' not in page.content.decode()


@pytest.mark.django_db
def test_the_run_page_needs_the_import_permissions(client, django_user_model, settings):
    settings.TASKS = DATABASE_TASKS
    run = CalendarImport.objects.create(source="x.ics", data=b"")
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))

    assert client.get(f"{IMPORT_PAGE}{run.pk}/").status_code == 403
    assert client.get(f"{IMPORT_PAGE}999999/").status_code == 403


@pytest.mark.django_db
def test_an_unknown_run_is_a_404_for_an_editor(admin_client):
    assert admin_client.get(f"{IMPORT_PAGE}999999/").status_code == 404


@pytest.mark.django_db
def test_the_import_page_lists_recent_runs(admin_client):
    admin_client.post(IMPORT_PAGE, {"file": upload(calendar(1), name="partners.ics")})

    text = text_of(admin_client.get(IMPORT_PAGE))

    assert "Recent imports" in text
    assert "partners.ics" in text
    assert text.endswith("by admin Imported")


@pytest.mark.django_db
def test_the_run_page_shows_how_far_reading_got(admin_client):
    run = CalendarImport.objects.create(
        source="partners.ics", data=b"", stage="reading", events_read=12000, events_in_file=20000
    )

    page = admin_client.get(f"{IMPORT_PAGE}{run.pk}/")

    assert "Reading the file: 12,000 of 20,000 events read…" in text_of(page)
    assert '<progress max="20000" value="12000">' in page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page.content.decode()


@pytest.mark.django_db
def test_a_large_runs_page_lists_a_few_hundred_titles_and_counts_the_rest(admin_client):
    summary = "Created 250, updated 0, skipped 0.\n" + "\n".join(f"Created: Webinar {n}" for n in range(250))
    run = CalendarImport.objects.create(source="big.ics", data=b"", stage="done", summary=summary)

    text = text_of(admin_client.get(f"{IMPORT_PAGE}{run.pk}/"))

    assert "Imported Created 250, updated 0, skipped 0. See the events" in text
    assert "Created: Webinar 199 … and 50 more." in text
    assert "Webinar 200" not in text


@pytest.mark.django_db
def test_the_background_run_notes_how_many_it_saved(admin_client, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 2)

    admin_client.post(IMPORT_PAGE, {"file": upload(calendar(5))})

    run = CalendarImport.objects.get()
    assert run.stage == "done"
    assert run.saved_so_far[:2] == (5, 5)
