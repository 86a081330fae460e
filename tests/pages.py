"""Reading rendered pages the way a visitor does."""

import html as html_lib
import re

INLINE_TAGS = r"</?(?:a|time|span|strong|em|abbr|code)\b[^>]*>"


def text_of(response):
    """The page's visible text: inline tags dropped, other tags as spaces, white space folded."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(INLINE_TAGS, "", html)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def xml_of(response):
    """A feed's or sitemap's parsed XML (our own output, so the standard parser is safe here)."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(response.content)
