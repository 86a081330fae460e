"""Test data builders. Ends are derived from starts, never drawn independently."""

import datetime as dt
import zoneinfo

import factory
from django.utils.text import slugify

from articles.models import Article
from events.models import Category, Document, Event, Organizer, Session, Tag, Venue

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Hall {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    city = "Vienna"
    country = "AT"


class OrganizerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizer

    name = factory.Sequence(lambda n: f"Organizer {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class EventFactory(factory.django.DjangoModelFactory):
    """A published, timed, one-hour event in Vienna."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    is_published = True
    timezone = "Europe/Vienna"
    start = dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA)
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=1))


class AllDayEventFactory(EventFactory):
    """A published all-day event; give ``start_date`` and ``end_date`` (inclusive)."""

    all_day = True
    start = None
    end = None
    start_date = dt.date(2031, 6, 14)
    end_date = factory.LazyAttribute(lambda o: o.start_date)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    start = factory.LazyAttribute(lambda o: o.event.start)
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=45))


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Document {n}")
    url = "https://example.org/agenda.pdf"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    body = "<p>Body text.</p>"
    is_published = True
    published_at = dt.datetime(2020, 1, 1, 9, 0, tzinfo=dt.UTC)
