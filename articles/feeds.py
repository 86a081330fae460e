"""RSS and Atom feeds of published articles, newest first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .models import Article

FEED_ITEMS = 20


class LatestArticlesFeed(Feed):
    """The latest published articles (drafts and scheduled articles never appear)."""

    title = _("News · Alliance against Trafficking")
    description = _("News and publications of the anti-trafficking network.")
    link = reverse_lazy("articles:list")

    def items(self):
        return Article.objects.published().for_listing()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """HTML, as feed readers read it: the summary is plain text, so it is escaped."""
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """The same feed as Atom."""

    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
