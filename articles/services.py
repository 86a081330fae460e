"""Writes on articles, shared by the admin and anything else that saves them."""

from django.db import transaction


def article_save(*, article, user=None):
    """Validate and save an article, recording who created and last changed it."""
    with transaction.atomic():
        if user is not None:
            if article._state.adding:
                article.created_by = user
            article.updated_by = user
        article.full_clean()
        article.save()
    return article
