"""Paths of slug-named pages are reverse()'s, without resolving the pattern for every object."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from events.paths import slug_path


@pytest.mark.parametrize(
    "url_name", ["events:detail", "events:detail_ics", "events:venue", "events:category", "articles:detail"]
)
@pytest.mark.parametrize("slug", ["hearing-2021", "Conference_1", "x"])
def test_slug_path_is_what_reverse_gives(url_name, slug):
    assert slug_path(url_name, slug) == reverse(url_name, kwargs={"slug": slug})


@pytest.mark.parametrize("slug", ["ünïcode-slug", "a b", "", "a/b"])
def test_slug_the_url_pattern_refuses_is_refused_as_reverse_refuses_it(slug):
    with pytest.raises(NoReverseMatch):
        reverse("events:detail", kwargs={"slug": slug})
    with pytest.raises(NoReverseMatch):
        slug_path("events:detail", slug)


def test_slug_path_follows_the_script_prefix_of_the_request():
    plain = slug_path("events:detail", "hearing")
    set_script_prefix("/calendar/")
    try:
        under_prefix = slug_path("events:detail", "hearing")
    finally:
        set_script_prefix("/")

    assert (plain, under_prefix) == ("/en/events/hearing/", "/calendar/en/events/hearing/")


def test_slug_path_is_the_path_in_the_language_in_use():
    english = slug_path("events:detail", "hearing")
    with translation.override("de"):
        german = slug_path("events:detail", "hearing")

    assert (english, german) == ("/en/events/hearing/", "/de/events/hearing/")
    assert slug_path("events:detail", "hearing") == "/en/events/hearing/"
