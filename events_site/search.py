"""What makes one search result better than another: the same rule for events and articles.

A result whose title holds every word of the search comes first; within each of the two groups
the latest comes first. The words match as everywhere in search (``EventQuerySet.search``,
``ArticleQuerySet.search``): case-insensitive parts of words, so "traffic" finds "Trafficking".
"""

from django.db import models


def title_has_every_word(words):
    """The condition "the title holds every word" (``words``: the search text, split)."""
    condition = models.Q()
    for word in words:
        condition &= models.Q(title__icontains=word)
    return condition


def title_matches_first(words):
    """An ordering term that puts rows whose title holds every word first (for small tables:
    every match is scored)."""
    return models.Case(
        models.When(title_has_every_word(words), then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )
