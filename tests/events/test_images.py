"""Images of events and articles: a checked upload with alt text, resized renditions made by
Pillow, used on cards, on the page (srcset), in Open Graph and in JSON-LD."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from events.models import Event
from tests.events.admin_post_data import event_form_data
from tests.factories import ArticleFactory, EventFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db
ADD_URL = "/admin/events/event/add/"


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(width=1000, height=600, kind="PNG", name=None):
    buffer = io.BytesIO()
    Image.new(
        "RGBA" if kind == "PNG" else "RGB", (width, height), (200, 30, 30, 255)[: 4 if kind == "PNG" else 3]
    ).save(buffer, kind)
    return SimpleUploadedFile(name or f"hofburg hall.{kind.lower()}", buffer.getvalue())


def errors_of(response):
    return {
        name: [str(m) for m in messages]
        for name, messages in response.context["adminform"].form.errors.items()
    }


def test_an_uploaded_image_gets_renditions_for_every_width_it_reaches(
    editor_client, media_in_a_temporary_folder
):
    data = event_form_data(image=picture(1000, 600), image_alt="The Hofburg's hall", is_published="on")

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    event = Event.objects.get()
    assert event.image.name == "images/event/hofburg-hall.png"
    assert (event.image_width, event.image_height) == (1000, 600)
    written = sorted(p.name for p in (media_in_a_temporary_folder / "images" / "event").iterdir())
    assert written == ["hofburg-hall-400w.jpg", "hofburg-hall-800w.jpg", "hofburg-hall.png"]
    with Image.open(media_in_a_temporary_folder / "images/event/hofburg-hall-800w.jpg") as rendition:
        assert (rendition.format, rendition.size) == ("JPEG", (800, 480))


def test_the_page_offers_the_renditions_and_describes_the_image(client, editor_client):
    editor_client.post(
        ADD_URL, event_form_data(image=picture(), image_alt="The Hofburg's hall", is_published="on")
    )
    event = Event.objects.get()

    html = client.get(event.get_absolute_url()).content.decode()

    img = re.search(r'<figure class="page-image"><img ([^>]+)>', html).group(1)
    assert 'src="/media/images/event/hofburg-hall-800w.jpg"' in img
    srcset = "/media/images/event/hofburg-hall-400w.jpg 400w, /media/images/event/hofburg-hall-800w.jpg 800w"
    assert f'srcset="{srcset}"' in img
    assert 'alt="The Hofburg&#x27;s hall"' in img
    assert 'width="800" height="480"' in img
    assert (
        '<meta property="og:image" content="http://testserver/media/images/event/hofburg-hall-800w.jpg">'
        in html
    )
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["image"] == [
        "http://testserver/media/images/event/hofburg-hall-800w.jpg",
        "http://testserver/media/images/event/hofburg-hall-400w.jpg",
    ]


def test_cards_show_the_small_rendition(client, editor_client):
    editor_client.post(
        ADD_URL,
        event_form_data(
            image=picture(), image_alt="Hall", is_published="on", start_0="2099-03-04", end_0="2099-03-04"
        ),
    )
    html = client.get("/en/events/").content.decode()
    assert '<figure class="card-image"><img src="/media/images/event/hofburg-hall-800w.jpg"' in html
    assert 'loading="lazy"' in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"this is text, not a picture"), "Upload a valid image."),
        (picture(300, 200), "“hofburg hall.png” is only 300 pixels wide; at least 400, please"),
        (
            picture(1000, 600, kind="BMP", name="scan.bmp"),
            "“scan.bmp” is a BMP image. Upload a JPEG, PNG, WebP or GIF.",
        ),
    ],
    ids=["not an image", "too small", "another format"],
)
def test_a_bad_upload_is_a_form_error_and_nothing_is_saved(editor_client, upload, message):
    response = editor_client.post(ADD_URL, event_form_data(image=upload, image_alt="Something"))

    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)["image"])
    assert Event.objects.count() == 0


def test_a_huge_image_is_refused_before_it_is_opened(editor_client, settings):
    settings.IMAGE_MAX_UPLOAD_SIZE = 1000
    response = editor_client.post(ADD_URL, event_form_data(image=picture(), image_alt="Hall"))
    assert "the limit is 1000" in " ".join(errors_of(response)["image"])


def test_an_image_needs_its_description(editor_client):
    response = editor_client.post(ADD_URL, event_form_data(image=picture(), image_alt=""))
    assert errors_of(response)["image_alt"] == ["Describe the image for people who cannot see it."]


def test_an_article_image_works_the_same_way(client, admin_client, media_in_a_temporary_folder):
    article = ArticleFactory(slug="report", is_published=True)
    article.image = picture(2000, 1000)
    article.image_alt = "The report's cover"
    article.save()

    html = client.get("/en/news/report/").content.decode()

    assert "/media/images/article/hofburg-hall-1600w.jpg 1600w" in html
    assert (
        '<meta property="og:image" content="http://testserver/media/images/article/hofburg-hall-1600w.jpg">'
        in html
    )
    assert Article.objects.get().image_width == 2000


def test_an_event_without_an_image_shows_none(client):
    event = EventFactory()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<figure" not in html
    assert "og:image" not in html
    assert "Hall" not in text_of(client.get("/en/events/"))


def test_renditions_are_not_written_again_when_the_image_is_unchanged(
    editor_client, media_in_a_temporary_folder
):
    editor_client.post(ADD_URL, event_form_data(image=picture(), image_alt="Hall"))
    event = Event.objects.get()
    rendition = Path(media_in_a_temporary_folder / "images/event/hofburg-hall-400w.jpg")
    before = rendition.stat().st_mtime_ns
    event = Event.objects.get()
    event.title = "Renamed"
    event.save()
    assert rendition.stat().st_mtime_ns == before
