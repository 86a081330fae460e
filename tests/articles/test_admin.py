"""The editors' news admin: derived excerpt shown, related events, scheduling, who changed what."""

import datetime as dt

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, EventFactory

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:articles_article_add")


def article_form_data(**overrides):
    data = {
        "title": "Report published",
        "slug": "report-published",
        "body": "<p>The network published its annual report on demand.</p>",
        "excerpt": "",
        "source_url": "",
        "published_at_0": "",
        "published_at_1": "",
    }
    return {**data, **overrides}


def test_article_add_records_the_editor_and_derives_the_excerpt(editor_client, editor):
    response = editor_client.post(ADD_URL, article_form_data(is_published="on"))

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.created_by, article.updated_by) == (editor, editor)
    assert article.excerpt == ""
    assert article.summary == "The network published its annual report on demand."


def test_article_form_shows_the_derived_excerpt_when_the_excerpt_is_empty(editor_client):
    article = ArticleFactory(excerpt="", body="<p>First words of the <b>body</b>.</p>")

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert "First words of the body. (derived from the body)" in response.content.decode()


def test_article_form_shows_the_written_excerpt(editor_client):
    article = ArticleFactory(excerpt="Our own words.")

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert '<div class="readonly">Our own words.</div>' in response.content.decode()


def test_article_links_related_events(editor_client):
    event = EventFactory()

    editor_client.post(ADD_URL, article_form_data(related_events=[str(event.pk)]))

    assert list(Article.objects.get().related_events.all()) == [event]


def test_article_with_a_future_publish_date_stays_hidden_until_then(editor_client, client, frozen_now):
    editor_client.post(
        ADD_URL, article_form_data(is_published="on", published_at_0="2021-06-02", published_at_1="09:00")
    )
    article = Article.objects.get()
    client.logout()

    assert client.get(article.get_absolute_url()).status_code == 404
    frozen_now.move_to(dt.datetime(2021, 6, 2, 8, 0, tzinfo=dt.UTC))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_article_change_list_shows_the_publication_state(editor_client, frozen_now):
    ArticleFactory(title="Draft", is_published=False)
    ArticleFactory(title="Scheduled", published_at=dt.datetime(2021, 7, 1, tzinfo=dt.UTC))
    ArticleFactory(title="Live", published_at=dt.datetime(2021, 5, 1, tzinfo=dt.UTC))

    scheduled = editor_client.get(reverse("admin:articles_article_changelist"), {"publication": "scheduled"})

    assert [a.title for a in scheduled.context["cl"].result_list] == ["Scheduled"]
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    for state in ("Draft", "Scheduled", "Live"):
        assert f'<td class="field-publication">{state}</td>' in html


def test_article_body_reaches_the_page_sanitized(client):
    article = ArticleFactory(
        body='<p onclick="steal()">Hi <a href="javascript:alert(1)">link</a></p><script>alert(2)</script>'
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert '<p>Hi <a rel="noopener noreferrer">link</a></p>' in html
    assert "steal()" not in html
    assert "alert(" not in html
