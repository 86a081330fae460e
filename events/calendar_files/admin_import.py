"""The admin's "Import .ics" page (kept apart from ``admin.py``): upload a file, see the summary.

Mounted in ``events_site/urls.py`` at ``admin/events/event/import/`` inside ``admin.site.admin_view``
(staff login); it also needs the permissions to add and change events. The work is done by
``events.calendar_files.importer``, exactly as for ``manage.py import_ics``.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from ..models import Event
from .importer import CalendarImportError, import_calendar
from .reading import MAX_FILE_BYTES

REQUIRED_PERMISSIONS = (
    "events.add_event",
    "events.change_event",
    "events.add_session",
    "events.change_session",
)


class CalendarImportForm(forms.Form):
    """An .ics file and whether new events start as drafts."""

    file = forms.FileField(label="Calendar file (.ics)")
    draft = forms.BooleanField(
        label="Import new events as drafts", required=False, help_text="Otherwise they are published at once."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_FILE_BYTES // 1_000_000} MB.", code="too_large"
            )
        return upload


def import_ics_view(request):
    """Upload an .ics file; on success go back to the event list with the import's summary."""
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied
    problems = []
    form = CalendarImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = import_calendar(
                form.cleaned_data["file"].read(), publish=not form.cleaned_data["draft"]
            )
        except CalendarImportError as error:
            problems = error.problems
        else:
            for line in str(summary).splitlines():
                messages.success(request, line)
            return redirect("admin:events_event_changelist")
    context = {
        **admin.site.each_context(request),
        "title": "Import events from an .ics file",
        "opts": Event._meta,
        "form": form,
        "problems": problems,
    }
    return TemplateResponse(request, "admin/events/event/import_ics.html", context)
