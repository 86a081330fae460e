"""The editors' calendar admin: sectioned event form, inlines, filters, actions, warnings.

The admin stays thin: validation lives in the models and forms (``admin_forms.py``), writes go
through ``services.py``, which the actions and ``save_model`` call.
"""

import zoneinfo

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import changes, services
from .admin_forms import DocumentAdminForm, EventAdminForm, SessionAdminForm
from .admin_series_forms import OccurrenceChangeAdminForm, OccurrenceChangeFormSet
from .models import Category, Document, Event, OccurrenceChange, Organizer, Session, Tag, Venue
from .recurrence_form import upcoming_occurrences
from .stale_forms import StaleFormGuard
from .timefmt import when

NEXT_DATES_SHOWN = 5


class HttpsUrlsMixin:
    """URL inputs assume https when the editor leaves out the scheme."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SessionInline(admin.StackedInline):
    model = Session
    form = SessionAdminForm
    extra = 0
    fields = ["title", "all_day", ("start", "end"), ("start_date", "end_date"), "location", "description"]


class DocumentInline(HttpsUrlsMixin, admin.TabularInline):
    model = Document
    form = DocumentAdminForm
    extra = 0
    fields = ["title", "file", "url", "position"]


class OccurrenceChangeInline(admin.StackedInline):
    """Dates of a series handled apart from its rule: skipped, added, changed or cancelled."""

    model = OccurrenceChange
    form = OccurrenceChangeAdminForm
    formset = OccurrenceChangeFormSet
    extra = 0
    verbose_name = _("date handled apart from the rule")
    verbose_name_plural = _("Dates handled apart from the rule")
    fields = ["kind", "original_start", ("start", "end"), ("title", "status")]

    def get_queryset(self, request):
        # Each row reads its event's timezone: fetched with the rows, not once per row.
        return super().get_queryset(request).select_related("event")

    # A date of a series is part of the event: whoever may change the event may change its dates.
    def _event_permission(self, request, action):
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")

    def has_add_permission(self, request, obj=None):
        return self._event_permission(request, "change")

    def has_change_permission(self, request, obj=None):
        return self._event_permission(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._event_permission(request, "change")

    def has_view_permission(self, request, obj=None):
        return self._event_permission(request, "view") or self._event_permission(request, "change")


class UpcomingPastFilter(admin.SimpleListFilter):
    """Upcoming (not ended yet) or past events, by the same rule as the public lists."""

    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


@admin.register(Event)
class EventAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    form = EventAdminForm
    list_display = ["title", "dates", "state", "venue"]
    list_display_links = ["title"]
    list_filter = [
        UpcomingPastFilter,
        "status",
        "is_published",
        "all_day",
        "attendance_mode",
        "categories",
        "tags",
    ]
    list_select_related = ["venue"]
    search_fields = ["title", "summary", "slug", "venue__name", "venue__city", "organizer__name"]
    date_hierarchy = "start"
    ordering = ["-start", "-pk"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "organizer", "categories", "tags"]
    readonly_fields = ["next_dates", "sequence", "created_by", "created_at", "updated_by", "updated_at"]
    save_on_top = True
    inlines = [SessionInline, DocumentInline, OccurrenceChangeInline]
    actions = ["publish", "unpublish", "cancel", "duplicate", "duplicate_next_year"]
    fieldsets = [
        (
            _("What"),
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "description",
                    "image",
                    "image_alt",
                    "status",
                    "organizer",
                    "categories",
                    "tags",
                ]
            },
        ),
        (
            _("When"),
            {
                "fields": ["timezone", "all_day", ("start", "end"), ("start_date", "end_date")],
                "description": _(
                    "Timed events: give the start and end times in the event's own timezone. "
                    "All-day events: give the first and last day."
                ),
            },
        ),
        (
            _("Repeats"),
            {
                "fields": [
                    "repeats",
                    "interval",
                    "weekdays",
                    ("week_of_month", "weekday"),
                    "ends",
                    ("until", "count"),
                    "recurrence_rule",
                    "next_dates",
                ],
                "description": _(
                    "A series repeats the event's start and length by a pattern. Dates handled "
                    "apart from the pattern (skipped, added, changed or cancelled) are listed further down."
                ),
            },
        ),
        (
            _("Where"),
            {"fields": ["attendance_mode", "venue", "online_platform", "online_url", "online_access"]},
        ),
        (
            _("Registration and cost"),
            {
                "fields": [
                    "registration_url",
                    "registration_deadline",
                    "contact_email",
                    "hashtags",
                    "is_free",
                    "cost_text",
                    ("cost_amount", "cost_currency"),
                ]
            },
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "is_published",
                    "version",
                    ("created_by", "created_at"),
                    ("updated_by", "updated_at"),
                    "sequence",
                ]
            },
        ),
    ]

    class Media:
        js = [
            "events/admin/all_day_switch.js",
            "events/admin/repeats.js",
            "events/admin/fields_that_apply.js",
        ]
        css = {"all": ["events/admin/event_form.css"]}

    @admin.display(description=_("status"), ordering="is_published")
    def state(self, event):
        """Published or draft, and the event's status when it is not simply scheduled: one column."""
        shown = _("Published") if event.is_published else _("Draft")
        if event.status != Event.Status.SCHEDULED:
            shown += f" · {event.get_status_display()}"
        return shown

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return self.preview(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return self.preview(request, obj)
        return super().response_change(request, obj)

    def preview(self, request, event):
        """Saved: the public page as visitors will see it (staff see drafts there, marked as such)."""
        self.message_user(
            request,
            gettext("“%(event)s” was saved. This is its page as visitors will see it.") % {"event": event},
        )
        return HttpResponseRedirect(event.get_absolute_url())

    @admin.display(description=_("dates"), ordering="start")
    def dates(self, event):
        """The event's range as its visitors read it: in its own timezone."""
        return str(when(event))

    @admin.display(description=_("next dates"))
    def next_dates(self, event):
        """What the rule means: the next few dates, with the changed and cancelled ones marked.

        The form's event: the stored one, or the one as typed when the form came back with errors.
        """
        if event.pk is None:
            return _("Shown once the event is saved.")
        if not event.recurrence_rule:
            return _("The event does not repeat.")
        try:
            found = upcoming_occurrences(event, count=NEXT_DATES_SHOWN)
        except (TypeError, ValueError, AttributeError, zoneinfo.ZoneInfoNotFoundError):
            return _("Shown once the errors in the form are fixed.")  # no start, an unknown timezone, ...
        if not found:
            return _("No dates after today: the series has ended.")
        return format_html(
            "<ol>{}</ol>",
            format_html_join("", "<li>{}{}</li>", ((when(item), self.marks(event, item)) for item in found)),
        )

    @staticmethod
    def marks(event, occurrence):
        notes = []
        if occurrence.is_cancelled:
            notes.append(gettext("cancelled"))
        elif occurrence.changed:
            notes.append(gettext("changed"))
        if occurrence.title != event.title:
            notes.append(f"“{occurrence.title}”")
        return f" ({', '.join(notes)})" if notes else ""

    def changeform_view(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().changeform_view(request, *args, **kwargs)
        with changes.edit():  # the event with its inlines: one edit, one step of its SEQUENCE
            return super().changeform_view(request, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        services.event_save(event=obj, user=request.user, expected_sequence=form.cleaned_data.get("version"))

    def save_formset(self, request, form, formset, change):
        if formset.model is not OccurrenceChange:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        services.event_occurrence_changes_save(
            event=form.instance,
            saved=[*formset.new_objects, *(change for change, _ in formset.changed_objects)],
            deleted=formset.deleted_objects,
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in services.event_warnings(form.instance):
            messages.warning(request, warning)

    def _apply(self, request, queryset, service, done, message):
        """``service`` on every event chosen; ``message``: the report of how many, by count."""
        count = 0
        for event in queryset:
            try:
                service(event=event, user=request.user)
            except ValidationError as error:
                self._refused(request, event, error)
                continue
            # Actions bypass the change form, so they write the admin history themselves.
            self.log_change(request, event, f"{done.capitalize()} (list action).")
            count += 1
        if count:
            self.message_user(request, message(count) % {"count": count})

    def _refused(self, request, event, error):
        """An event whose stored data no longer passes validation: name it and what to fix."""
        url = reverse("admin:events_event_change", args=[event.pk])
        self.message_user(
            request,
            format_html(
                gettext("“{event}” was left unchanged: {errors}"),
                event=format_html('<a href="{}">{}</a>', url, event),
                errors=" ".join(error.messages),
            ),
            messages.ERROR,
        )

    @admin.action(description=_("Publish selected events"), permissions=["change"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.event_publish,
            "published",
            lambda count: ngettext("%(count)d event published.", "%(count)d events published.", count),
        )

    @admin.action(description=_("Unpublish selected events (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.event_unpublish,
            "unpublished",
            lambda count: ngettext("%(count)d event unpublished.", "%(count)d events unpublished.", count),
        )

    @admin.action(
        description=_("Cancel selected events (they stay listed, marked cancelled)"),
        permissions=["change"],
    )
    def cancel(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.event_cancel,
            "marked cancelled",
            lambda count: ngettext(
                "%(count)d event marked cancelled.", "%(count)d events marked cancelled.", count
            ),
        )

    @admin.action(description=_("Duplicate selected events as drafts"), permissions=["add"])
    def duplicate(self, request, queryset):
        self._duplicate(request, queryset, shift_years=0)

    @admin.action(description=_("Duplicate selected events as drafts, one year later"), permissions=["add"])
    def duplicate_next_year(self, request, queryset):
        self._duplicate(request, queryset, shift_years=1)

    def _duplicate(self, request, queryset, *, shift_years):
        for event in queryset:
            try:
                copy = services.event_duplicate(event=event, user=request.user, shift_years=shift_years)
            except ValidationError as error:
                self._refused(request, event, error)
                continue
            self.log_addition(request, copy, f"Duplicated from “{event}” (list action).")
            url = reverse("admin:events_event_change", args=[copy.pk])
            message = format_html(
                'Created the draft “{}” ({}): <a href="{}">edit it</a>.', copy, when(copy), url
            )
            self.message_user(request, message, messages.SUCCESS)
            # Shifted by a year, a weekday rule may no longer match the start: say so at once.
            for warning in services.event_warnings(copy):
                self.message_user(request, warning, messages.WARNING)


@admin.register(Venue)
class VenueAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    form = StaleFormGuard
    list_display = ["name", "city", "country"]
    list_filter = ["country"]
    search_fields = ["name", "city", "address"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organizer)
class OrganizerAdmin(HttpsUrlsMixin, admin.ModelAdmin):
    form = StaleFormGuard
    list_display = ["name", "email", "url"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category, Tag)
class TaxonomyAdmin(admin.ModelAdmin):
    form = StaleFormGuard
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
