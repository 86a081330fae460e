"""What is recorded about the content rather than content itself: who changed a row and when, the
content revision, and each event's stored calendar text."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EditorialRecord(models.Model):
    """Who created and last changed a row, and when (events and articles)."""

    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        abstract = True


class EventFeedText(models.Model):
    """An event's VEVENTs (its own, its changed dates' and its sessions') in one language, written as
    a feed in that language writes them whenever the event or anything its VEVENTs show changes
    (``events.calendar_files.stored``).

    A feed of 100,000 events copies these texts instead of building every VEVENT again: derived
    data, rebuilt at will by ``manage.py refresh_feed_text``; ``key`` says for which file format it
    was written, and a feed uses only texts of its own key and language.
    """

    # No index of its own: the unique (event, language) index leads with the event.
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="feed_texts",
        db_index=False,
        verbose_name=_("event"),
    )
    language = models.CharField(max_length=10, verbose_name=_("language"))
    key = models.CharField(max_length=300, verbose_name=_("key"))
    text = models.TextField(verbose_name=_("text"))

    class Meta:
        verbose_name = _("event's feed text")
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="events_feedtext_one_per_language")
        ]

    def __str__(self):
        return f"Feed text of event {self.event_id} ({self.language})"


class ContentRevision(models.Model):
    """How often the site's content has changed, and when it last did: one row, stepped in the same
    transaction as every change (``events.changes.record``).

    Calendar feeds build their ETag and Last-Modified from it: a feed's body depends on events,
    venues, organizers, categories, sessions and more, and any change of any of them steps this row.
    Kept in the database, so it commits or rolls back with the change itself.
    """

    ROW = 1

    number = models.PositiveBigIntegerField(default=0, verbose_name=_("number"))
    changed_at = models.DateTimeField(default=timezone.now, verbose_name=_("changed at"))

    class Meta:
        verbose_name = _("content revision")

    def __str__(self):
        return f"Revision {self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @classmethod
    def row(cls):
        """The one row, as a queryset."""
        return cls._base_manager.filter(pk=cls.ROW)

    @classmethod
    def read_along(cls):
        """(number, changed_at) as subqueries, to read the revision in the same query, and so the
        same snapshot, as the rows it validates (0 and None before the first change)."""
        row = cls.row()
        return Coalesce(models.Subquery(row.values("number")), 0), models.Subquery(row.values("changed_at"))

    @classmethod
    def step(cls, *, using="default"):
        """One more change, now (``changed_at`` at least a second after the last one, so that
        Last-Modified, in whole seconds, grows with every change)."""
        later = Greatest(models.Value(timezone.now()), models.F("changed_at") + timedelta(seconds=1))
        if not cls.row().using(using).update(number=models.F("number") + 1, changed_at=later):
            cls._base_manager.using(using).get_or_create(pk=cls.ROW, defaults={"number": 1})
