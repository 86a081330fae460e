"""Editors' formatted text (events_site.rich_text): what is kept, what is removed, and plain text
in and out without losing a character."""

import pytest

from events_site.rich_text import as_html, clean, from_plain_text, to_plain_text


@pytest.mark.parametrize(
    "html",
    [
        "<h2>The Alliance</h2>",
        "<p>An <strong>annual</strong> <em>gathering</em>.</p>",
        "<ul><li>Demand</li><li>Prevention</li></ul>",
        "<ol><li>First</li></ol>",
        "<blockquote><p>Quoted</p></blockquote>",
        '<p><a href="https://www.osce.org/" rel="noopener noreferrer">OSCE</a></p>',
        "<p>Line one<br>line two</p>",
    ],
)
def test_what_editors_write_is_kept(html):
    assert clean(html) == html


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
        ('<p onclick="steal()">Hi</p>', "<p>Hi</p>"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<img src="https://tracker.example/x.png">', ""),
        ("<h1>Too big</h1>", "Too big"),
        ('<p style="color:red">Red</p>', "<p>Red</p>"),
        ("<p></p>", ""),
        ("<p><br></p>", ""),
    ],
)
def test_anything_else_is_removed(html, kept):
    assert clean(html) == kept


@pytest.mark.parametrize(
    "text",
    [
        "One paragraph.",
        "First.\n\nSecond, after a blank line.",
        "Date: Tuesday\nLocation: online",
        "See the OSCE page (https://www.osce.org/cthb).",
        "Mail info@osce.org. Or https://en.wikipedia.org/wiki/Foo_(bar), fine?",
        'Quote "https://example.org/a?b=1&c=2" here',
        "a < b & c > d",
        "Paid\xa0to\xa0traffickers",
        "- Demand\n- Prevention",
    ],
)
def test_plain_text_goes_in_and_comes_out_unchanged(text):
    assert to_plain_text(from_plain_text(text)) == text


def test_plain_text_addresses_become_links():
    html = from_plain_text("Register at https://events.osce.org/register or write to info@osce.org.")
    assert '<a href="https://events.osce.org/register" rel="noopener noreferrer">' in html
    assert '<a href="mailto:info@osce.org" rel="noopener noreferrer">info@osce.org</a>.' in html


def test_formatted_text_as_plain_text_keeps_its_shape():
    html = (
        "<h2>The Alliance</h2><p>An <strong>annual</strong> gathering, "
        '<a href="https://www.osce.org/">the OSCE</a>.</p><ul><li>Demand</li><li>Prevention</li></ul>'
        "<p>Line one<br>line two</p>"
    )
    assert to_plain_text(html) == (
        "The Alliance\n\nAn annual gathering, the OSCE (https://www.osce.org/).\n\n"
        "- Demand\n- Prevention\n\nLine one\nline two"
    )


def test_a_page_shows_old_plain_rows_as_paragraphs_and_html_cleaned():
    assert as_html("Hello\n\nhttps://x.org") == (
        '<p>Hello</p>\n\n<p><a href="https://x.org" rel="noopener noreferrer">https://x.org</a></p>'
    )
    assert as_html("<p>Hi<script>x</script></p>") == "<p>Hi</p>"
