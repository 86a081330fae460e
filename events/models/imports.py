"""An import of an .ics file started in the admin, run in the background (``events.tasks``).

The row holds the file until the run has read it, then what the run did: its stage, how far it got
and its result (the summary, or the problems that refused the file). The admin's progress page
(``events.calendar_files.admin_import``) reads nothing else, so any web worker can show it.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class CalendarImportQuerySet(models.QuerySet):
    def recent(self):
        return self.order_by("-created_at", "-pk")


class CalendarImport(models.Model):
    class Stage(models.TextChoices):
        QUEUED = "queued", _("Waiting for the background worker")
        READING = "reading", _("Reading the file")
        SAVING = "saving", _("Saving the events")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused: nothing was imported")
        FAILED = "failed", _("Stopped by an error: nothing was imported")

    FINISHED = (Stage.DONE, Stage.REFUSED, Stage.FAILED)
    # A run that has not moved for this long is shown as probably stopped (its worker ended).
    STALLED_AFTER = timedelta(minutes=15)

    source = models.CharField(
        max_length=2000, help_text=_("The file's name or the address it came from."), verbose_name=_("source")
    )
    publish = models.BooleanField(
        default=True, help_text=_("Whether new events are published at once."), verbose_name=_("publish")
    )
    data = models.BinaryField(
        editable=False, help_text=_("The file, until the run has read it."), verbose_name=_("data")
    )
    stage = models.CharField(
        max_length=10, choices=Stage.choices, default=Stage.QUEUED, verbose_name=_("stage")
    )
    events_read = models.PositiveIntegerField(default=0, verbose_name=_("events read"))
    events_in_file = models.PositiveIntegerField(default=0, verbose_name=_("events in file"))
    summary = models.TextField(
        blank=True, help_text=_("What the import did, one line each."), verbose_name=_("summary")
    )
    problems = models.JSONField(
        default=list, blank=True, help_text=_("Why the file was refused."), verbose_name=_("problems")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    objects = CalendarImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar import")

    def __str__(self):
        return gettext("Import of %(source)s") % {"source": self.source}

    @property
    def finished(self):
        return self.stage in self.FINISHED

    @property
    def stalled(self):
        """Unfinished and unchanged for a long while: its worker probably stopped (a stopped run
        writes nothing, the import being one transaction)."""
        last_heard = self.updated_at
        if self.stage == self.Stage.SAVING and (saved := self.saved_so_far):
            last_heard = max(last_heard, saved[2])
        return not self.finished and timezone.now() - last_heard > self.STALLED_AFTER

    # While a run saves, its row cannot show how far it got (the import's one transaction holds
    # what it writes until the end), so the count goes through the cache, shared by every machine
    # in production (Redis). With a cache of each process's own, the page shows saving without it.
    def _saved_key(self):
        return f"calendar-import-saved:{self.pk}"

    def note_saved(self, done, total):
        self.saved_so_far = (done, total, timezone.now())
        try:
            cache.set(self._saved_key(), self.saved_so_far, self.STALLED_AFTER.total_seconds())
        except Exception:  # a count for a page: never worth stopping the import for
            logger.debug("Could not note the progress of %s", self, exc_info=True)

    @functools.cached_property
    def saved_so_far(self):
        """(events and sessions saved, of how many, when) while the run saves, if the cache knows;
        read once per instance (a page asks for it in several places)."""
        try:
            return cache.get(self._saved_key())
        except Exception:
            return None

    # The most titles the run's page lists (a 20,000-event file would make a page of 20,000 lines).
    TITLES_SHOWN = 200

    def totals(self):
        """The summary's first line: "Created 3, updated 1, skipped 0."."""
        return self.summary.partition("\n")[0]

    def titles(self):
        """(the first ``TITLES_SHOWN`` lines naming what was created, updated or skipped, how many
        more there are)."""
        lines = self.summary.splitlines()[1:]
        return lines[: self.TITLES_SHOWN], max(0, len(lines) - self.TITLES_SHOWN)

    def advance(self, stage, **fields):
        """Record progress at once (outside any transaction the run holds open elsewhere)."""
        fields |= {"stage": stage, "updated_at": timezone.now()}
        if stage in self.FINISHED:
            fields |= {"finished_at": timezone.now(), "data": b""}
        for name, value in fields.items():
            setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(**fields)
