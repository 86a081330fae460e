"""How well a row matches the words of a search, for ordering results (the same on SQLite and
PostgreSQL): each word scores the weight of every field that contains it, a title counting most."""

import functools
import operator

from django.db import models


def relevance(words, weights):
    """An expression: the sum, over ``words``, of the weights (``{field: weight}``) of the fields
    containing the word (case-insensitively, as the search's own filter matches)."""
    terms = [
        models.Case(
            models.When(**{f"{field}__icontains": word}, then=models.Value(weight)),
            default=models.Value(0),
        )
        for word in words
        for field, weight in weights.items()
    ]
    return functools.reduce(operator.add, terms, models.Value(0))
