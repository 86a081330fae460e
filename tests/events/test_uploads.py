"""Event documents uploaded through the event admin: allowed types, content, size and file names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from events.models import Document
from tests.events.admin_post_data import change_form_data
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, event, name, content):
    data = change_form_data(event)
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "Agenda",
            "documents-0-url": "",
            "documents-0-position": "0",
            "documents-0-file": SimpleUploadedFile(name, content),
        }
    )
    return client.post(reverse("admin:events_event_change", args=[event.pk]), data)


def document_errors(response):
    return response.context["inline_admin_formsets"][1].formset.errors[0]["file"]


def test_pdf_upload_is_stored_under_a_safe_name(editor_client, media_in_tmp):
    event = EventFactory(slug="alliance")

    response = upload(editor_client, event, "Preliminary agenda (v2)!.pdf", PDF)

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.name == "documents/alliance/Preliminary_agenda_v2.pdf"
    assert (media_in_tmp / document.file.name).read_bytes() == PDF


def test_docx_upload_is_accepted(editor_client):
    response = upload(editor_client, EventFactory(), "report.docx", b"PK\x03\x04" + b"\0" * 40)

    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_upload_of_another_type_is_refused_with_a_message(editor_client):
    response = upload(editor_client, EventFactory(), "setup.exe", b"MZ\x90\x00")

    assert document_errors(response) == [
        "“setup.exe” is not an allowed type. Upload a PDF, Word, Excel, PowerPoint, OpenDocument "
        "(odt, ods, odp), PNG, JPEG, GIF or WebP file."
    ]
    assert not Document.objects.exists()


def test_upload_whose_content_does_not_match_its_name_is_refused(editor_client):
    response = upload(editor_client, EventFactory(), "agenda.pdf", b"<html><script>alert(1)</script>")

    assert document_errors(response) == [
        "“agenda.pdf” does not contain what its name says (.pdf). Check the file and upload it again."
    ]
    assert not Document.objects.exists()


def test_upload_over_the_size_limit_is_refused(editor_client, settings):
    settings.DOCUMENT_MAX_UPLOAD_SIZE = 1024

    response = upload(editor_client, EventFactory(), "agenda.pdf", PDF + b"0" * 2000)

    assert document_errors(response) == ["“agenda.pdf” is 2.0\xa0KB; the limit is 1.0\xa0KB."]
    assert not Document.objects.exists()


def test_refused_upload_does_not_save_the_event(editor_client):
    event = EventFactory(title="Alliance")
    data_title = "Alliance renamed"
    data = change_form_data(event, title=data_title)
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "Agenda",
            "documents-0-position": "0",
            "documents-0-file": SimpleUploadedFile("setup.exe", b"MZ"),
        }
    )

    response = editor_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Alliance", 0)
    assert response.context["adminform"].form["title"].value() == data_title


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>",
        b"%PDF-1.4\n%\xe2\xe3\n<!DOCTYPE HTML><body onload=alert(1)>",
        b"\x89PNG\r\n\x1a\n<svg onload=alert(1)>",
    ],
    ids=["pdf then html", "pdf then doctype", "png then svg"],
)
def test_a_file_that_holds_a_web_page_is_refused(editor_client, content):
    event = EventFactory(slug="alliance")
    name = "agenda.png" if content.startswith(b"\x89PNG") else "agenda.pdf"

    response = upload(editor_client, event, name, content)

    assert response.status_code == 200
    assert document_errors(response) == [
        f"“{name}” contains a web page, not a document. Upload the document itself."
    ]
