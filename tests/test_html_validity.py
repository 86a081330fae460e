"""The main pages pass the Nu HTML Checker (vnu-jar, the W3C validator) with no errors."""

import json
import subprocess

import pytest

from tests.tools import VNU_JAR, require, require_java

pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/en/",
    "calendar": "/en/events/calendar/2021/06/",
    "calendar-day": "/en/events/calendar/2021/06/14/",
    "calendar-week": "/en/events/calendar/2021/week/24/",
    "list": "/en/events/past/?category=events",
    "upcoming": "/en/events/",
    "event": "/en/events/21st-conference-alliance-against-trafficking-in-persons/",
    "timed-event": "/en/events/congressional-hearing-role-of-technology-in-countering-trafficking/",
    "article": "/en/news/congressional-hearing-role-of-technology-in-countering-trafficking/",
    "news": "/en/news/",
    "search": "/en/search/?q=trafficking",
    "venue": "/en/venues/hofburg-vienna/",
    "organizer": "/en/organizers/osce-cthb/",
    "venues": "/en/venues/",
    "organizers": "/en/organizers/",
    "not-found": "/en/events/calendar/2021/13/",
}


def test_main_pages_have_no_nu_html_checker_errors(seed, client, tmp_path, frozen_now):
    java, jar = require_java(), require(VNU_JAR, "The Nu HTML Checker (npm package vnu-jar)")
    files = []
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not-found" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )

    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error" or message.get("subType") == "fatal"
    ]
    assert "\n".join(errors) == ""
