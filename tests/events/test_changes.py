"""The change record (``events.changes``): every write path records what a change implies.

For each way the site's content is written (the admin's change form, its actions, the import page,
``import_ics``, ``generate_events``, ``load_seed``, bulk writes, an article saved), one test shows
that the write stepped the content revision (feeds' validators), started a new generation of
cached pages and rewrote the stored calendar text of the events it touched, and what it did to
their SEQUENCE. None of these calls anything by hand: skipping the record is not possible.
"""

import contextlib
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from events import changes
from events.models import Category, ContentRevision, Event, EventFeedText, Session, Venue
from events_site import page_cache
from tests.events.admin_post_data import change_form_data
from tests.factories import ArticleFactory, EventFactory, SessionFactory, VenueFactory

SITE = "https://events.example.org"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def revision():
    return ContentRevision.objects.get().number


@pytest.fixture
def recorded(committed):
    """Run a write as if committed; return what it recorded: revision steps and a new generation."""

    @contextlib.contextmanager
    def watch():
        seen = {"revision": revision(), "generation": page_cache.current_generation()}
        with committed():
            yield seen
        seen["revision steps"] = revision() - seen.pop("revision")
        seen["new generation"] = page_cache.current_generation() != seen.pop("generation")

    return watch


def stored_text(event):
    return EventFeedText.objects.get(event=event).text


def ics_file(title, uid):
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nSUMMARY:{title}\r\nDTSTART:20310304T090000Z\r\n"
        "DTEND:20310304T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def test_admin_change_form_records_one_step_for_the_event_and_its_inlines(editor_client, recorded):
    event = EventFactory(title="Hearing")
    SessionFactory(event=event, title="Opening")
    data = change_form_data(event, title="Public hearing")
    data["sessions-0-title"] = "Opening remarks"

    with recorded() as seen:
        editor_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    event.refresh_from_db()
    assert seen == {"revision steps": 1, "new generation": True}
    assert event.sequence == 1
    assert "SUMMARY:Public hearing" in stored_text(event)
    assert "SUMMARY:Public hearing: Opening remarks" in stored_text(event)


def test_admin_venue_form_steps_every_event_at_the_venue(editor_client, recorded):
    venue = VenueFactory(name="Hofburg")
    events = [EventFactory(venue=venue), EventFactory(venue=venue)]
    form = editor_client.get(reverse("admin:events_venue_change", args=[venue.pk])).context["adminform"].form
    data = {"name": "Hofburg Palace", "slug": venue.slug, "city": "Vienna", "country": "AT"}
    data["loaded_as"] = form.initial["loaded_as"]  # the row as the editor's form loaded it

    with recorded() as seen:
        editor_client.post(reverse("admin:events_venue_change", args=[venue.pk]), data)

    assert Venue.objects.get().name == "Hofburg Palace"
    assert seen == {"revision steps": 1, "new generation": True}
    for event in events:
        event.refresh_from_db()
        assert event.sequence == 1
        assert "LOCATION:Hofburg Palace\\, Vienna\\, Austria" in stored_text(event)


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [
        ("publish", "is_published", True),
        ("unpublish", "is_published", False),
        ("cancel", "status", "cancelled"),
    ],
)
def test_admin_actions_record_their_change(editor_client, recorded, action, field, value):
    event = EventFactory(is_published=action != "publish")

    with recorded() as seen:
        editor_client.post(
            reverse("admin:events_event_changelist"), {"action": action, "_selected_action": [event.pk]}
        )

    event.refresh_from_db()
    assert (getattr(event, field), event.sequence) == (value, 1)
    assert seen == {"revision steps": 1, "new generation": True}


def test_admin_duplicate_action_records_a_new_event_at_sequence_zero(editor_client, recorded):
    event = EventFactory(title="Conference 2031")
    SessionFactory(event=event)

    with recorded() as seen:
        editor_client.post(
            reverse("admin:events_event_changelist"), {"action": "duplicate", "_selected_action": [event.pk]}
        )

    copy = Event.objects.exclude(pk=event.pk).get()
    assert seen == {"revision steps": 1, "new generation": True}
    assert (copy.sequence, copy.sessions.count()) == (0, 1)
    assert f"UID:{copy.ical_uid}" in stored_text(copy)


def test_admin_import_page_records_the_import(admin_client, recorded):
    upload = SimpleUploadedFile(
        "export.ics", ics_file("Imported hearing", "a@x"), content_type="text/calendar"
    )

    with recorded() as seen:
        admin_client.post("/admin/events/event/import/", {"file": upload})

    event = Event.objects.get(ical_uid="a@x")
    assert seen == {"revision steps": 1, "new generation": True}
    assert "SUMMARY:Imported hearing" in stored_text(event)


def test_import_command_records_the_import_and_steps_changed_events_once(tmp_path, recorded):
    path = tmp_path / "export.ics"
    path.write_bytes(ics_file("Hearing", "a@x"))
    call_command("import_ics", str(path), verbosity=0)
    path.write_bytes(ics_file("Hearing moved", "a@x"))

    with recorded() as seen:
        call_command("import_ics", str(path), verbosity=0)

    event = Event.objects.get()
    assert seen == {"revision steps": 1, "new generation": True}
    assert event.sequence == 1
    assert "SUMMARY:Hearing moved" in stored_text(event)


def test_generate_events_command_records_its_bulk_writes(recorded):
    with recorded() as seen:
        call_command("generate_events", "5", "--seed", "1", "--articles", "1", verbosity=0)

    assert seen == {"revision steps": 1, "new generation": True}
    assert EventFeedText.objects.count() == Event.objects.count() == 5
    assert set(Event.objects.values_list("sequence", flat=True)) == {0}


def test_load_seed_command_records_the_seed_keeping_its_sequences(recorded):
    with recorded() as seen:
        call_command("load_seed", verbosity=0)

    assert seen == {"revision steps": 1, "new generation": True}
    assert EventFeedText.objects.count() == Event.objects.count() == 2
    assert set(Event.objects.values_list("sequence", flat=True)) == {0}


def test_queryset_update_steps_the_events_it_changes(recorded):
    changed, other = EventFactory(title="Hearing"), EventFactory(title="Other")

    with recorded() as seen:
        Event.objects.filter(pk=changed.pk).update(title="Hearing (cancelled)")

    assert seen == {"revision steps": 1, "new generation": True}
    assert list(Event.objects.order_by("pk").values_list("sequence", flat=True)) == [1, 0]
    assert "SUMMARY:Hearing (cancelled)" in stored_text(changed)
    assert "SUMMARY:Other" in stored_text(other)


def test_update_of_a_shown_row_steps_the_events_showing_it(recorded):
    category = Category.objects.create(name="Hearings", slug="hearings")
    event = EventFactory()
    event.categories.add(category)
    sequence = Event.objects.get().sequence

    with recorded() as seen:
        Category.objects.update(name="Public hearings")

    event.refresh_from_db()
    assert (seen["revision steps"], event.sequence) == (1, sequence + 1)
    assert "CATEGORIES:Public hearings" in stored_text(event)


def test_bulk_create_and_bulk_update_of_sessions_are_recorded(recorded):
    event = EventFactory(title="Hearing")
    sessions = [
        Session(event=event, title="Part one", start=event.start, end=event.start + dt.timedelta(minutes=30))
    ]
    sessions[0].derive_schedule()  # bulk_create does not call save()

    with recorded() as created:
        (session,) = Session.objects.bulk_create(sessions)
    session.title = "Part 1"
    with recorded() as updated:
        Session.objects.bulk_update([session], ["title"])

    event.refresh_from_db()
    assert created == updated == {"revision steps": 1, "new generation": True}
    assert event.sequence == 1  # a new session adds its own VEVENT; editing one steps the event
    assert "SUMMARY:Hearing: Part 1" in stored_text(event)


def test_an_article_saved_or_deleted_is_recorded(recorded):
    with recorded() as saved:
        article = ArticleFactory()
    with recorded() as deleted:
        article.delete()

    assert saved == deleted == {"revision steps": 1, "new generation": True}
    assert not Article.objects.exists()


def test_one_edit_steps_an_event_once_however_many_of_its_rows_change(recorded):
    event = EventFactory()
    session = SessionFactory(event=event)

    with recorded() as seen, changes.edit():
        event.title = "Renamed"
        event.save()
        session.title = "Renamed session"
        session.save()
        Event.objects.filter(pk=event.pk).update(summary="Changed three times in one edit")

    event.refresh_from_db()
    assert (seen["revision steps"], event.sequence) == (1, 1)


def test_a_rolled_back_edit_records_nothing(recorded):
    event = EventFactory(title="Hearing")
    before = revision()

    def failing_edit():
        with changes.edit():
            Event.objects.filter(pk=event.pk).update(title="Never saved")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_edit()

    event.refresh_from_db()
    assert (event.title, event.sequence, revision()) == ("Hearing", 0, before)
