"""News articles: excerpts, scheduled publishing, sanitized bodies and their pages."""

import datetime as dt

import pytest
import time_machine

from articles.models import Article
from tests.factories import ArticleFactory
from tests.pages import text_of

pytestmark = pytest.mark.django_db


def test_excerpt_falls_back_to_the_first_words_of_the_body():
    body = "<p>" + " ".join(f"word{n}" for n in range(60)) + "</p>"
    article = ArticleFactory.build(excerpt="", body=body)

    assert article.summary == " ".join(f"word{n}" for n in range(40)) + "…"


def test_written_excerpt_wins_over_the_body():
    assert ArticleFactory.build(excerpt="Short.", body="<p>Long body</p>").summary == "Short."


def test_future_publish_date_hides_the_article_until_then():
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    due = ArticleFactory(published_at=now)
    scheduled = ArticleFactory(published_at=now + dt.timedelta(minutes=1))
    ArticleFactory(is_published=False)

    assert list(Article.objects.published(now=now)) == [due]
    assert scheduled in Article.objects.published(now=now + dt.timedelta(minutes=1))


def test_articles_are_newest_first_and_undated_ones_last():
    older = ArticleFactory(published_at=dt.datetime(2019, 1, 1, tzinfo=dt.UTC))
    undated = ArticleFactory()
    Article.objects.filter(pk=undated.pk).update(published_at=None)  # as the seed's, published undated
    newer = ArticleFactory(published_at=dt.datetime(2019, 6, 1, tzinfo=dt.UTC))

    assert list(Article.objects.published()) == [newer, older, undated]


def test_body_is_sanitized_on_the_page(client):
    article = ArticleFactory(
        body='<p onclick="steal()">Hi <a href="javascript:alert(1)">x</a><script>alert(2)</script>'
        '<a href="https://example.org">ok</a></p>'
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<script" not in html.split('<div class="body" lang="en">')[1]
    assert "onclick" not in html
    assert "javascript:" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html


def test_article_list_shows_excerpt_and_read_more(seed, client):
    text = text_of(client.get("/en/news/"))

    assert (
        "At Risk: Exploitation and the UK Asylum System News & Analysis Publications "
        "The British Red Cross and UNHCR report" in text
    )
    assert "Read more about At Risk: Exploitation and the UK Asylum System" in text
    assert "Tags: Europe" in text


def test_hearing_article_card_shows_the_event_time_in_site_time_like_the_original(seed, client):
    text = text_of(client.get("/en/news/"))

    assert "When: July 28, 2020 @ 4:00 pm – 5:00 pm CEST" in text


def test_article_detail_links_its_related_event(seed, client):
    response = client.get("/en/news/congressional-hearing-role-of-technology-in-countering-trafficking/")

    assert "The event this article is about Congressional Hearing" in text_of(response)
    assert 'href="/en/events/congressional-hearing-role-of-technology-in-countering-trafficking/"' in (
        response.content.decode()
    )


def test_draft_and_scheduled_articles_are_404_for_visitors(client):
    draft = ArticleFactory(is_published=False)
    scheduled = ArticleFactory(published_at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    assert client.get("/en/news/nope/").status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_article_list_query_count_does_not_grow(client, django_assert_num_queries, count, seed):
    for _ in range(count):
        ArticleFactory()

    # count, articles, categories, tags, related events
    with django_assert_num_queries(5):
        client.get("/en/news/")


def test_an_article_gets_its_publication_date_when_first_published(db):
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC), tick=False):
        draft = ArticleFactory(is_published=False, published_at=None)
        assert draft.published_at is None
        draft.is_published = True
        draft.save()
    assert Article.objects.get(pk=draft.pk).published_at == dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)


def test_the_seeds_undated_articles_stay_undated_when_edited(seed):
    article = Article.objects.get(slug="still-in-chains")
    article.title = "Still in chains (edited)"
    article.save()
    assert Article.objects.get(pk=article.pk).published_at is None


def test_the_publication_date_is_on_the_list_the_page_and_the_feed(client, db):
    ArticleFactory(
        title="Dated",
        slug="dated",
        is_published=True,
        published_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
    )
    assert "March 2, 2026" in text_of(client.get("/en/news/"))
    assert "March 2, 2026" in text_of(client.get("/en/news/dated/"))
    assert (
        "<pubDate>Mon, 02 Mar 2026 10:00:00 +0000</pubDate>"
        in client.get("/en/news/feed.rss").content.decode()
    )


def test_a_cut_off_body_says_it_is_only_the_opening(seed, client):
    text = text_of(client.get("/en/news/still-in-chains/"))
    assert "This is only the opening of the article, as the original site's listing gave it" in text


def test_a_whole_body_has_no_such_note(client, db):
    ArticleFactory(slug="whole", is_published=True, body="<p>A complete article.</p>")
    assert "only the opening" not in text_of(client.get("/en/news/whole/"))


def test_an_event_and_the_articles_about_it_link_each_other(seed, client):
    hearing = "/en/events/congressional-hearing-role-of-technology-in-countering-trafficking/"
    article = "/en/news/congressional-hearing-role-of-technology-in-countering-trafficking/"
    event_html = client.get(hearing).content.decode()
    article_html = client.get(article).content.decode()
    assert "News about this event" in event_html
    assert f'href="{article}"' in event_html
    assert f'href="{hearing}"' in article_html
