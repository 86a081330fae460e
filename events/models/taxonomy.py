"""The names that group events and articles: categories and tags."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import changes
from ..paths import slug_path


class Term(models.Model):
    """A name that groups events and articles, with its own page listing both."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))

    url_name = None  # the page of one term
    objects = changes.RecordingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path(self.url_name, self.slug)


class Category(Term):
    """A section shared by events and articles ("News & Analysis", "Publications", ...)."""

    url_name = "events:category"

    class Meta(Term.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Tag(Term):
    """A free keyword shared by events and articles ("Europe")."""

    url_name = "events:tag"

    class Meta(Term.Meta):
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
