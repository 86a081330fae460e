"""Where events happen and who runs them: venues and organizers."""

import functools
import operator
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events_site.safe_urls import SafeUrls

from .. import changes
from ..paths import slug_path
from ..zones import country_choices, country_names
from .constraints import CheckConstraint, ChecksInOneQuery


class PlaceQuerySet(changes.RecordingQuerySet):
    """Venues and organizers: the directory pages' rows."""

    def with_upcoming_counts(self, now=None):
        """By name, each with ``upcoming`` (its published events not yet over), in one query."""
        upcoming = models.Q(events__is_published=True, events__last_end__gt=now or timezone.now())
        return self.annotate(upcoming=models.Count("events", filter=upcoming)).order_by("name", "pk")


class VenueQuerySet(PlaceQuerySet):
    """Venues found by what they are called."""

    def ids_containing_each(self, words):
        """For each word, the ids of the venues whose name or city contain it: ``[[id, ...], ...]``,
        in one query whatever the number of words."""
        if not words:
            return []
        contains = [models.Q(name__icontains=word) | models.Q(city__icontains=word) for word in words]
        flags = {
            f"contains_{number}": models.ExpressionWrapper(condition, output_field=models.BooleanField())
            for number, condition in enumerate(contains)
        }
        matching = self.filter(functools.reduce(operator.or_, contains)).annotate(**flags).order_by("pk")
        rows = list(matching.values_list("pk", *flags))
        return [[pk for pk, *flags_of_row in rows if flags_of_row[number]] for number in range(len(words))]


class Venue(ChecksInOneQuery, SafeUrls, models.Model):
    """A physical place where events happen."""

    name = models.CharField(max_length=200, verbose_name=_("name"))
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))
    address = models.CharField(
        max_length=300, blank=True, help_text=_("Street and number."), verbose_name=_("address")
    )
    city = models.CharField(max_length=100, blank=True, verbose_name=_("city"))
    country = models.CharField(
        max_length=2,
        blank=True,
        choices=country_choices,
        help_text=_("ISO 3166 country."),
        verbose_name=_("country"),
    )
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, verbose_name=_("latitude")
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, verbose_name=_("longitude")
    )
    url = models.URLField(_("website"), blank=True)
    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            CheckConstraint(
                name="events_venue_coordinates_both_or_neither",
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
            ),
            CheckConstraint(
                name="events_venue_latitude_in_range",
                condition=models.Q(latitude__gte=-90, latitude__lte=90) | models.Q(latitude__isnull=True),
            ),
            CheckConstraint(
                name="events_venue_longitude_in_range",
                condition=models.Q(longitude__gte=-180, longitude__lte=180)
                | models.Q(longitude__isnull=True),
            ),
        ]

    def __str__(self):
        return ", ".join(part for part in (self.name, self.city) if part)

    def get_absolute_url(self):
        return slug_path("events:venue", self.slug)

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                {"longitude": "Give both latitude and longitude, or neither."}, code="half_coordinates"
            )

    @property
    def place_display(self):
        """Name, city and country in one line: "Hofburg, Vienna, Austria"."""
        country = country_names().get(self.country, self.country)
        return ", ".join(part for part in (self.name, self.city, country) if part)

    @property
    def postal_display(self):
        """Address, city and country in one line, for a map search: "Heldenplatz, Vienna, Austria"."""
        country = country_names().get(self.country, self.country)
        return ", ".join(part for part in (self.address, self.city, country) if part)

    @property
    def map_embed_url(self):
        """OpenStreetMap's embeddable map around the coordinates with a marker; empty without them."""
        if self.latitude is None or self.longitude is None:
            return ""
        lat, lon, margin = float(self.latitude), float(self.longitude), 0.004
        box = f"{lon - margin:.6f},{lat - margin:.6f},{lon + margin:.6f},{lat + margin:.6f}"
        return "https://www.openstreetmap.org/export/embed.html?" + urlencode(
            {"bbox": box, "layer": "mapnik", "marker": f"{lat:.6f},{lon:.6f}"}
        )

    @property
    def map_url(self):
        """An OpenStreetMap link: a pin at the coordinates, or a search for the address; empty otherwise."""
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        if self.address:
            return f"https://www.openstreetmap.org/search?{urlencode({'query': self.postal_display})}"
        return ""


class Organizer(SafeUrls, models.Model):
    """Who runs an event."""

    name = models.CharField(max_length=300, verbose_name=_("name"))
    slug = models.SlugField(max_length=200, unique=True, verbose_name=_("slug"))
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(blank=True, verbose_name=_("email"))
    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("events:organizer", self.slug)
