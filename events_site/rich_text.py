"""Editors' formatted text: one definition for event descriptions, session descriptions and
article bodies.

What an editor may write (paragraphs, headings, lists, quotations, links, emphasis) is named once,
in ``EXTENSIONS``: the rich-text editor (django-prose-editor, its files served from the package, a
plain textarea without JavaScript) offers exactly that, and ``clean`` (nh3) keeps exactly that.
Text is cleaned when a form or an import saves it, and again when a page shows it, so a row
written any other way (a fixture, a bulk update, an old plain-text row) is never shown raw.

Calendar files, feeds and search results want plain text: ``to_plain_text`` turns the HTML into
paragraphs separated by blank lines, list items into "- " lines, links into "text (address)".
Plain text (from an imported DESCRIPTION, or a row written before descriptions were formatted)
becomes HTML with ``from_plain_text``: paragraphs, line breaks and links, as the page always
showed it.
"""

import re
from html.parser import HTMLParser

import nh3
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe
from django_prose_editor.config import allowlist_from_extensions, expand_extensions
from django_prose_editor.fields import ProseEditorField

EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "HTML": True,  # "edit the HTML" for an editor who pastes from elsewhere; still cleaned
}

RICH_TEXT_HELP = "Formatted text: paragraphs, headings, lists, quotations, links and emphasis."


def _cleaner():
    allowed = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    allowed["attributes"] = {
        tag: {name for name in names if name != "rel"} for tag, names in allowed["attributes"].items()
    }
    allowed["link_rel"] = "noopener noreferrer"
    return nh3.Cleaner(**allowed)


_CLEANER = _cleaner()
_EMPTY = re.compile(r"^(?:\s|<p>\s*(?:<br>)?\s*</p>)*$")
_TAG = re.compile(r"<[a-zA-Z][^>]*>")


def clean(html):
    """``html`` with only the allowed elements, attributes and link schemes; "" when it says nothing."""
    cleaned = _CLEANER.clean(html or "").strip()
    return "" if _EMPTY.match(cleaned) else cleaned


def is_html(text):
    return bool(_TAG.search(text or ""))


# Run on escaped text: an address ends at a space or at an escaped quote or angle bracket.
_ADDRESS = re.compile(r"\bhttps?://(?:(?!&quot;|&#x27;|&lt;|&gt;)\S)+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_TRAILING = ".,;:!?"


def _link(match):
    """A web or e-mail address as a link, leaving out punctuation that ends the sentence around it
    (a full stop, or a closing bracket with no opening one in the address). Django's ``urlize``
    is not used: it drops a full stop after "(address)."."""
    address, after = match.group(0), ""
    while address and (
        address[-1] in _TRAILING or (address[-1] == ")" and address.count(")") > address.count("("))
    ):
        address, after = address[:-1], address[-1] + after
    href = address if "://" in address else f"mailto:{address}"
    return f'<a href="{href}">{address}</a>{after}'


def from_plain_text(text):
    """Plain text as HTML: blank lines part paragraphs, line breaks stay, addresses become links.
    Every character of the text is kept (``to_plain_text`` gives it back)."""
    text = (text or "").strip()
    if not text:
        return ""
    return clean(linebreaks(_ADDRESS.sub(_link, escape(text)), autoescape=False))


def as_html(text):
    """Stored text as safe HTML for a page: cleaned HTML, or plain text (older rows) made HTML."""
    return mark_safe(clean(text) if is_html(text) else from_plain_text(text))  # noqa: S308 - cleaned


BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "div", "pre"}


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.line, self.links = [], [], []
        self.in_list = False

    def end_block(self):
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.line))
        text = "\n".join(part.strip() for part in text.split("\n")).strip()
        if text:
            if text.startswith("- ") and self.in_list and self.paragraphs:
                self.paragraphs[-1] += "\n" + text  # the items of a list are lines of one paragraph
            else:
                self.paragraphs.append(text)
            self.in_list = text.startswith("- ")
        self.line = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.end_block()
            if tag == "li":
                self.line.append("- ")
        elif tag == "br":
            self.line.append("\n")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.line)))

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.end_block()
            if tag in {"ul", "ol"}:
                self.in_list = False
        elif tag == "a" and self.links:
            href, first = self.links.pop()
            shown = "".join(self.line[first:]).strip()
            address = href.removeprefix("mailto:")
            if href and address != shown:
                self.line.append(f" ({address})")

    def handle_data(self, data):
        self.line.append(data.replace("\n", " "))


def to_plain_text(text):
    """Stored text (HTML, or older plain text) as plain text: paragraphs parted by blank lines."""
    if not is_html(text):
        return (text or "").strip()
    parser = _PlainText()
    parser.feed(clean(text))
    parser.close()
    parser.end_block()
    return "\n\n".join(parser.paragraphs)


class RichTextField(ProseEditorField):
    """A text field holding cleaned HTML, edited with the rich-text editor (see above).

    Migrations see a plain ``TextField`` (django-prose-editor's own choice): the editor's options
    are code, not schema."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("config", {"extensions": EXTENSIONS})
        kwargs.setdefault("sanitize", clean)
        super().__init__(*args, **kwargs)
