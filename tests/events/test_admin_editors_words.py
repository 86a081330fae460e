"""The event admin as an editor meets it: the site's name, editors' words, one status column, every
error of a form at once, and "Save and preview" for a draft."""

import re

import pytest
from django.urls import reverse

from events.models import Event
from tests.events.admin_post_data import event_form_data
from tests.factories import EventFactory, VenueFactory
from tests.pages import text_of

ADD_URL = reverse("admin:events_event_add")
pytestmark = pytest.mark.django_db


def errors_by_field(response):
    return {
        name: [str(message) for message in messages]
        for name, messages in response.context["adminform"].form.errors.items()
    }


def test_the_admin_names_the_site(editor_client):
    text = text_of(editor_client.get("/admin/"))
    assert "Alliance against Trafficking: events and news" in text
    assert "Django administration" not in text


def test_the_form_speaks_the_editors_words(editor_client):
    event = EventFactory()
    text = text_of(editor_client.get(f"/admin/events/event/{event.pk}/change/"))
    assert "Registration URL:" in text
    assert "SEQUENCE" not in text
    assert "iCalendar" not in text
    assert "Version:" in text


def test_the_change_list_has_one_status_column(editor_client):
    EventFactory(title="Live talk", is_published=True)
    EventFactory(title="Draft talk", is_published=False)
    EventFactory(title="Called off", is_published=True, status=Event.Status.CANCELLED)

    html = editor_client.get("/admin/events/event/").content.decode()

    headers = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', html)
    assert headers == ["title", "dates", "state", "venue"]
    states = re.findall(r'<td class="field-state">([^<]*)</td>', html)
    assert sorted(states) == ["Draft", "Published", "Published · Cancelled"]


def test_every_error_of_the_form_shows_at_once(editor_client):
    data = event_form_data(
        title="",  # a form error
        registration_deadline_0="2031-03-05",  # after the end (4 March, 16:00)
        registration_deadline_1="10:00",
        is_free="on",
        cost_amount="20",  # a free event with a price
        cost_currency="",
    )

    errors = errors_by_field(editor_client.post(ADD_URL, data))

    assert errors.keys() >= {"title", "registration_deadline", "cost_amount"}
    assert errors["registration_deadline"] == [
        "Registration must close before the event ends (Tuesday 4 March 2031, 16:00 CET)."
    ]


def test_save_and_preview_shows_a_draft_as_visitors_will_see_it(editor_client):
    data = event_form_data(title="Draft forum", slug="draft-forum", _preview="Save and preview")

    response = editor_client.post(ADD_URL, data, follow=True)

    assert response.redirect_chain[-1][0] == "/en/events/draft-forum/"
    text = text_of(response)
    assert "Draft forum" in text
    assert "Draft: only staff can see this page." in text
    assert not Event.objects.get(slug="draft-forum").is_published
    assert editor_client.get("/admin/events/event/add/").status_code == 200


def test_save_and_preview_is_offered_beside_save(editor_client):
    html = editor_client.get(ADD_URL).content.decode()
    assert '<input type="submit" value="Save and preview" name="_preview"' in html


def test_the_form_carries_the_scripts_that_hide_what_does_not_apply(editor_client):
    html = editor_client.get(ADD_URL).content.decode()
    assert "events/admin/fields_that_apply.js" in html
    assert "events/admin/event_form.css" in html  # hides the server-time note, fits 1280 px


def test_a_venue_in_the_form_suggests_its_zone(editor_client):
    event = EventFactory(venue=VenueFactory(country="AT"), timezone="America/New_York")
    html = editor_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    suggested = html.split('<optgroup label="Suggested">')[1].split("</optgroup>")[0]
    assert re.findall(r'<option value="([^"]+)"', suggested)[:2] == ["Europe/Vienna", "America/New_York"]
