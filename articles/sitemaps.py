"""Sitemap section for the news."""

from events.sitemaps import PagedSitemap

from .models import Article


class ArticleSitemap(PagedSitemap):
    """Every published article (drafts and scheduled articles never)."""

    def items(self):
        return Article.objects.published().order_by("-pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at
