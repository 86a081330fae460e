"""Work done outside the request: Django's tasks framework (``django_tasks``, Django 6's API
backported), queued in the database by default and worked by ``manage.py db_worker``.

A web request only queues the work and answers at once; a page shows how far it got (see
``settings.TASKS``).
"""

import logging

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from .calendar_files import stored
from .calendar_files.importer import CalendarImportError, import_calendar
from .models import CalendarImport

logger = logging.getLogger(__name__)
UNEXPECTED = gettext_lazy("An unexpected error stopped the import. The error has been logged.")


@task()
def run_calendar_import(import_id, language=None):
    """Import the file an editor gave the admin: the same import as ``manage.py import_ics`` (one
    transaction, all or nothing), recording its stage and result on the ``CalendarImport`` row, in
    ``language`` (the editor's: its problems and summary are theirs to read)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        _run_calendar_import(import_id)


def _run_calendar_import(import_id):
    run = CalendarImport.objects.get(pk=import_id)
    if run.finished:
        return
    Stage = CalendarImport.Stage

    def progress(stage, done, total):
        if stage == "saved":  # inside the import's transaction: a row written now would not show
            run.note_saved(done, total)
        else:
            run.advance(
                Stage.READING if stage == "reading" else Stage.SAVING, events_read=done, events_in_file=total
            )

    try:
        summary = import_calendar(bytes(run.data), publish=run.publish, progress=progress)
    except CalendarImportError as error:
        run.advance(Stage.REFUSED, problems=error.problems)
    except Exception:
        logger.exception("The calendar import %s stopped", import_id)
        run.advance(Stage.FAILED, problems=[str(UNEXPECTED)])
        raise
    else:
        run.advance(Stage.DONE, summary=str(summary))


@task()
def write_missing_feed_texts(using="default", language=None):
    """Write the stored texts a large change left to the worker (``events.changes``), or a feed in
    another language asked for (``stored.request_missing``): every event without a current one in
    ``language`` (default: the site's)."""
    stored.refresh_missing(language=language, using=using)
