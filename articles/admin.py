"""The editors' news admin: derived excerpts shown, related events by autocomplete, scheduling."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.admin import HttpsUrlsMixin
from events.stale_forms import StaleFormGuard

from .models import EXCERPT_WORDS, Article
from .services import article_save


class PublicationFilter(admin.SimpleListFilter):
    """Drafts, scheduled (published with a future date) and live articles."""

    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("live", _("Live"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(is_published=False)
        if self.value() == "scheduled":
            return queryset.filter(is_published=True, published_at__gt=now)
        if self.value() == "live":
            return queryset.published(now=now)
        return queryset


@admin.register(Article)
class ArticleAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    form = StaleFormGuard  # two editors at once: the later save never silently undoes the earlier
    list_display = ["title", "publication", "published_at", "updated_by"]
    list_select_related = ["updated_by"]
    list_filter = [PublicationFilter, "categories", "tags"]
    search_fields = ["title", "excerpt", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["categories", "tags", "related_events"]
    readonly_fields = ["excerpt_shown", "created_by", "created_at", "updated_by", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "body",
                    "image",
                    "image_alt",
                    "excerpt",
                    "excerpt_shown",
                    "source_url",
                    "loaded_as",  # hidden: the row as the form loaded it (events.stale_forms)
                ]
            },
        ),
        (_("Filed under"), {"fields": ["categories", "tags", "related_events"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "is_published",
                    "published_at",
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                ],
                "description": _("A published article with a future publish date stays hidden until then."),
            },
        ),
    ]

    @admin.display(description=_("excerpt shown in lists"))
    def excerpt_shown(self, article):
        """What lists show: the written excerpt, or the one derived from the body when it is empty."""
        if not article.pk:
            return gettext(
                "Saved articles show it here; left empty, it is the first %(words)s words of the body."
            ) % {"words": EXCERPT_WORDS}
        if article.excerpt:
            return article.excerpt
        return gettext("%(excerpt)s (derived from the body)") % {"excerpt": article.summary}

    @admin.display(description=_("publication"))
    def publication(self, article):
        if not article.is_published:
            return _("Draft")
        if article.published_at and article.published_at > timezone.now():
            return _("Scheduled")
        return _("Live")

    def save_model(self, request, obj, form, change):
        article_save(article=obj, user=request.user)
