"""Sitemap section for the news."""

from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    """Every published article (drafts and scheduled articles never)."""

    def items(self):
        return Article.objects.published().order_by("-pk")

    def lastmod(self, item):
        return item.updated_at
