"""News articles. Categories and tags are the calendar's own (``events.Category``/``events.Tag``)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _

from events.changes import RecordingQuerySet
from events.models import Category, EditorialRecord, Event, Tag
from events.models.images import Illustrated
from events.paths import slug_path
from events.postgres import trigram_index
from events_site.rich_text import RICH_TEXT_HELP, RichTextField, to_plain_text
from events_site.safe_urls import SafeUrls
from events_site.search import title_matches_first

EXCERPT_WORDS = 40


class ArticleQuerySet(RecordingQuerySet):
    """Which articles are shown, and in what order."""

    def published(self, now=None):
        """Published articles whose publish time (if any) has come."""
        now = now or timezone.now()
        return self.filter(is_published=True).filter(
            models.Q(published_at__isnull=True) | models.Q(published_at__lte=now)
        )

    def visible_to(self, user):
        """What ``user`` may see: published articles, and drafts and scheduled ones too for staff."""
        return self if user.is_staff else self.published()

    def search(self, text):
        """Articles whose title, excerpt or body contain every word."""
        condition = models.Q()
        for word in text.split():
            condition &= (
                models.Q(title__icontains=word)
                | models.Q(excerpt__icontains=word)
                | models.Q(body__icontains=word)
            )
        return self.filter(condition)

    def best_matches(self, text):
        """Articles matching every word of ``text``, best first (``events_site.search``): those
        whose title holds every word, then the others, the latest first within each. Every match
        is scored: the news is small beside the calendar."""
        words = text.split()
        return self.search(text).order_by(title_matches_first(words), *self.model._meta.ordering)

    def for_listing(self):
        return self.prefetch_related("categories", "tags", "related_events")


class Article(SafeUrls, Illustrated, EditorialRecord):
    """A news item, publication or video post."""

    title = models.CharField(max_length=300, verbose_name=_("title"))
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))
    excerpt = models.TextField(
        blank=True,
        help_text=format_lazy(
            _("Shown in lists. Leave empty to use the first {words} words of the body."), words=EXCERPT_WORDS
        ),
        verbose_name=_("excerpt"),
    )
    body = RichTextField(blank=True, help_text=RICH_TEXT_HELP, verbose_name=_("body"))
    published_at = models.DateTimeField(
        _("publish date"),
        null=True,
        blank=True,
        help_text=_("Set when the article is first published; a future date keeps it hidden until then."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="articles", verbose_name=_("categories")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    source_url = models.URLField(_("source link"), blank=True)
    related_events = models.ManyToManyField(
        Event, blank=True, related_name="articles", verbose_name=_("related events")
    )
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_at").desc(nulls_last=True), "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["is_published", "published_at"], name="articles_pub_date_idx"),
            # Search (ArticleQuerySet.search): trigram indexes for icontains, on PostgreSQL only.
            trigram_index("title", name="articles_article_title_trgm"),
            trigram_index("excerpt", name="articles_article_excerpt_trgm"),
            trigram_index("body", name="articles_article_body_trgm"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_path("articles:detail", self.slug)

    @property
    def summary(self):
        """The written excerpt, or the start of the body as plain text."""
        if self.excerpt:
            return self.excerpt
        return Truncator(to_plain_text(self.body)).words(EXCERPT_WORDS, truncate="…")

    def clean(self):
        super().clean()
        if errors := self.image_errors():
            raise ValidationError(errors)

    @property
    def is_cut_off(self):
        """Whether the body stops mid-sentence ("…"), as the excerpts the source page gave do."""
        return to_plain_text(self.body).rstrip().endswith(("…", "..."))

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        article._published_when_loaded = article.__dict__.get("is_published", False)
        return article

    def save(self, *args, **kwargs):
        """The publication date is set when the article is first published (not when an article
        that was published without one, such as the seed's, is saved again)."""
        first_publication = self.is_published and not getattr(self, "_published_when_loaded", False)
        if first_publication and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)
        self._published_when_loaded = self.is_published
