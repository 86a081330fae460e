"""Uploaded files on several machines: with ``DJANGO_MEDIA_BUCKET`` they go to an S3-compatible
bucket through django-storages, and pages link them there (issue 15: documents gave 404 in
production). The bucket is moto's S3 server, started by the test on a local port."""

import io
import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from events.models import Event
from tests.events.admin_post_data import change_form_data
from tests.factories import EventFactory

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
BUCKET = "event-files"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bucket(settings, monkeypatch):
    """An empty bucket on a local S3 server, and the site's files stored in it as the settings
    configure them for DJANGO_MEDIA_BUCKET; yields the server's address."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))  # as the README sets it up
    settings.STORAGES = settings.STORAGES | {"default": s3_storage_setting(endpoint)}
    yield endpoint
    server.stop()


def s3_storage_setting(endpoint):
    """STORAGES["default"] exactly as events_site.settings builds it from the environment."""
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; import json; "
         "print(json.dumps([settings.STORAGES['default'], settings.MEDIA_ORIGINS]))"],
        cwd=ROOT,
        env=os.environ | {
            "DJANGO_SETTINGS_MODULE": "events_site.settings",
            "DJANGO_MEDIA_BUCKET": BUCKET,
            "DJANGO_MEDIA_ENDPOINT_URL": endpoint,
        },
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    storage, origins = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert origins == [endpoint]
    return storage


def picture(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("hall.png", buffer.getvalue())


@pytest.mark.django_db
def test_an_editors_document_and_image_go_to_the_bucket_and_the_page_links_them_there(
    editor_client, client, bucket
):
    event = EventFactory(slug="alliance", is_published=True)
    data = change_form_data(event) | {
        "image": picture(900, 500),
        "image_alt": "The hall",
        "documents-TOTAL_FORMS": "1",
        "documents-0-title": "Agenda",
        "documents-0-url": "",
        "documents-0-position": "0",
        "documents-0-file": SimpleUploadedFile("agenda.pdf", PDF),
    }

    response = editor_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 302
    s3 = boto3.client("s3", endpoint_url=bucket)
    names = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert names == [
        "documents/alliance/agenda.pdf",
        "images/event/hall-400w.jpg",
        "images/event/hall-800w.jpg",
        "images/event/hall.png",
    ]
    page = client.get(Event.objects.get().get_absolute_url()).content.decode()
    document_url = f"{bucket}/{BUCKET}/documents/alliance/agenda.pdf"
    assert f'href="{document_url}"' in page
    assert f"{bucket}/{BUCKET}/images/event/hall-800w.jpg 800w" in page
    with urllib.request.urlopen(document_url) as answer:  # noqa: S310 (a local server): what a visitor gets
        assert answer.read() == PDF
