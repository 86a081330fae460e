"""Two editors on one article, venue, organizer, category or tag: the later save from a form loaded
before the earlier one is refused, input kept; saving again replaces the other version deliberately
(issue 15, in part; events have their own version check)."""

import re

import pytest

from articles.models import Article
from events.models import Category, Organizer, Venue
from tests.factories import ArticleFactory, CategoryFactory, OrganizerFactory, VenueFactory

pytestmark = pytest.mark.django_db


def form_of(client, url):
    """The change form's fields as a browser would post them (text inputs, selects, hidden)."""
    html = client.get(url).content.decode()
    data = {}
    for name, value in re.findall(
        r'<input type="(?:text|hidden|url|email|number)" name="([^"]+)" value="([^"]*)"', html
    ):
        data[name] = value
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.findall(r'<option value="([^"]*)" selected', options)
        data[name] = (
            chosen if name in ("categories", "tags", "related_events") else (chosen[0] if chosen else "")
        )
    return {k: v for k, v in data.items() if not k.startswith("csrfmiddlewaretoken")}


CASES = {
    "venue": (lambda: VenueFactory(name="Hofburg", slug="hofburg"), "venue", "name", Venue),
    "organizer": (lambda: OrganizerFactory(name="OSCE", slug="osce"), "organizer", "name", Organizer),
    "category": (lambda: CategoryFactory(name="Reports", slug="reports"), "category", "name", Category),
    "article": (lambda: ArticleFactory(title="Report", slug="report"), "article", "title", Article),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_later_of_two_saves_is_refused_and_keeps_its_input(admin_client, case):
    make, model_name, field, model = case
    row = make()
    app = "articles" if model_name == "article" else "events"
    url = f"/admin/{app}/{model_name}/{row.pk}/change/"
    first, second = form_of(admin_client, url), form_of(admin_client, url)
    assert first["loaded_as"]

    first[field] = "Saved first"
    assert admin_client.post(url, first).status_code == 302
    second[field] = "Saved second"
    response = admin_client.post(url, second)

    assert response.status_code == 200
    assert "Another editor saved this while you were editing it" in response.content.decode()
    assert 'value="Saved second"' in response.content.decode()  # the input is kept
    assert getattr(model.objects.get(pk=row.pk), field) == "Saved first"

    # Saving again from the refused form is a deliberate choice: it replaces the other version.
    again = form_of_response(response)
    again[field] = "Saved second"
    assert admin_client.post(url, {**second, **again}).status_code == 302
    assert getattr(model.objects.get(pk=row.pk), field) == "Saved second"


def form_of_response(response):
    html = response.content.decode()
    (fingerprint,) = re.findall(r'<input type="hidden" name="loaded_as" value="([^"]*)"', html)
    return {"loaded_as": fingerprint}


def test_an_unchanged_row_saves_as_usual(admin_client):
    venue = VenueFactory(name="Hofburg", slug="hofburg")
    url = f"/admin/events/venue/{venue.pk}/change/"
    data = form_of(admin_client, url)
    data["city"] = "Vienna"
    assert admin_client.post(url, data).status_code == 302
    assert Venue.objects.get(pk=venue.pk).city == "Vienna"
