"""Emitting schema.org JSON-LD with ``json_script``'s escaping (safe inside ``<script>``)."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events import structured_data

register = template.Library()

# The same escapes as django.utils.html.json_script: nothing in the data can close the script.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def event_json_ld(context, event):
    """``<script type="application/ld+json">`` with the event's schema.org Event."""
    return json_ld(structured_data.event_data(event, context["request"].build_absolute_uri("/")))


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """``<script type="application/ld+json">`` with the article's schema.org NewsArticle."""
    return json_ld(structured_data.article_data(article, context["request"].build_absolute_uri("/")))
