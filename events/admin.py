"""A basic admin for the calendar (the full editors' workflow builds on it)."""

from django.contrib import admin

from .models import Category, Document, Event, Organizer, Session, Tag, Venue


class SessionInline(admin.StackedInline):
    model = Session
    extra = 0
    fields = ["title", "all_day", ("start", "end"), ("start_date", "end_date"), "location", "description"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["title", "file", "url", "position"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "end", "all_day", "venue", "status", "is_published"]
    list_filter = ["is_published", "status", "all_day", "attendance_mode"]
    search_fields = ["title", "summary", "description"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories", "tags"]
    inlines = [SessionInline, DocumentInline]
    fieldsets = [
        ("What", {"fields": ["title", "slug", "summary", "description", "status", "categories", "tags"]}),
        ("When", {"fields": ["timezone", "all_day", ("start", "end"), ("start_date", "end_date")]}),
        (
            "Where",
            {"fields": ["attendance_mode", "venue", "online_platform", "online_url", "online_access"]},
        ),
        ("Who and cost", {"fields": ["organizer", "is_free", "cost_text", ("cost_amount", "cost_currency")]}),
        (
            "Registration and contact",
            {"fields": ["registration_url", "registration_deadline", "contact_email", "hashtags"]},
        ),
        ("Publishing", {"fields": ["is_published"]}),
    ]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "country"]
    search_fields = ["name", "city", "address"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organizer)
class OrganizerAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "url"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Category, Tag)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "start", "end"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "position"]
    list_select_related = ["event"]
