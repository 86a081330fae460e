"""The admin's "Import .ics" page (kept apart from ``admin.py``): upload a file, follow the import.

Mounted in ``events_site/urls.py`` at ``admin/events/event/import/`` inside ``admin.site.admin_view``
(staff login); it also needs the permissions to add and change events. The work is done in the
background (``events.tasks``: a request never waits for a large file) by
``events.calendar_files.importer``, exactly as for ``manage.py import_ics``; an address is fetched by
``events.calendar_files.fetching`` (public http(s) addresses only, a size and a time limit).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.validators import URLValidator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from ..models import CalendarImport, Event
from ..tasks import run_calendar_import
from .fetching import FETCH_SECONDS, CalendarFetchError, fetch_calendar, http_address
from .reading import import_size_limit, too_large_message

REQUIRED_PERMISSIONS = (
    "events.add_event",
    "events.change_event",
    "events.add_session",
    "events.change_session",
)


class CalendarImportForm(forms.Form):
    """An .ics file, or the address of one, and whether new events start as drafts."""

    file = forms.FileField(label=_("Calendar file (.ics)"), required=False)
    url = forms.CharField(
        label=_("Or its address"),
        required=False,
        max_length=2000,
    )
    draft = forms.BooleanField(
        label=_("Import new events as drafts"),
        required=False,
        help_text=_("Otherwise they are published at once."),
    )

    def __init__(self, *args, upload_too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        megabytes = number_format(import_size_limit() // 1_000_000, force_grouping=True)
        self.fields["file"].help_text = gettext("At most %(megabytes)s MB.") % {"megabytes": megabytes}
        self.fields["url"].help_text = gettext(
            "An http, https or webcal address on the public internet, such as another calendar's "
            "subscription link. At most %(megabytes)s MB, fetched within %(seconds)s seconds."
        ) % {"megabytes": megabytes, "seconds": FETCH_SECONDS}
        self.fields["url"].widget.attrs["size"] = 60

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url:
            return ""
        url = http_address(url)
        if "://" not in url:
            url = "https://" + url
        URLValidator(schemes=["http", "https"])(url)
        return url

    def clean_file(self):
        if self.upload_too_large:  # its reading stopped at the limit (ImportUploadLimit)
            raise forms.ValidationError(too_large_message(), code="too_large")
        return self.cleaned_data["file"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(
                _("Choose a file or give an address (one of the two)."), code="one_source"
            )
        return cleaned

    def source_name(self):
        return self.cleaned_data["file"].name if self.cleaned_data["file"] else self.cleaned_data["url"]

    def calendar_bytes(self):
        """The file's bytes, or the address's (CalendarFetchError when it may not or cannot be fetched)."""
        if self.cleaned_data["file"]:
            return self.cleaned_data["file"].read()
        return fetch_calendar(self.cleaned_data["url"])


class ImportUploadLimit(FileUploadHandler):
    """Reads an uploaded calendar only up to the import limit (``settings.ICS_IMPORT_MAX_BYTES``):
    past it, the rest of the file is skipped, not stored, and the form says it is too large."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > import_size_limit():
            self.request.calendar_upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handlers keep the file


@csrf_exempt  # checked below, once the upload's reading is limited (Django reads it for the check)
def import_ics_view(request):
    """Upload an .ics file (or give its address); the import runs in the background
    (``events.tasks.run_calendar_import``) and the editor is sent to its progress page."""
    request.upload_handlers.insert(0, ImportUploadLimit(request))
    return _import_ics_view(request)


@csrf_protect
def _import_ics_view(request):
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    form = CalendarImportForm()
    if request.method == "POST":
        posted, files = request.POST, request.FILES  # read here, through ImportUploadLimit
        too_large = getattr(request, "calendar_upload_too_large", False)
        form = CalendarImportForm(posted, files, upload_too_large=too_large)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.calendar_bytes()
        except CalendarFetchError as error:
            form.add_error("url", str(error))
        else:
            run = CalendarImport.objects.create(
                source=form.source_name(),
                publish=not form.cleaned_data["draft"],
                data=data,
                created_by=request.user,
            )
            run_calendar_import.enqueue(run.pk, translation.get_language())
            return redirect("events_event_import_progress", pk=run.pk)
    context = {
        **admin.site.each_context(request),
        "title": gettext("Import events from an .ics file"),
        "opts": Event._meta,
        "form": form,
        "recent": CalendarImport.objects.recent().defer("data")[:5],
    }
    return TemplateResponse(request, "admin/events/event/import_ics.html", context)


def import_progress_view(request, pk):
    """How far an import got, and its result; the page reloads itself (no script) until it ends."""
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    run = get_object_or_404(CalendarImport.objects.defer("data"), pk=pk)
    context = {
        **admin.site.each_context(request),
        "title": str(run),
        "opts": Event._meta,
        "run": run,
        "refresh_seconds": None if run.finished or run.stalled else 2,
    }
    return TemplateResponse(request, "admin/events/event/import_progress.html", context)
