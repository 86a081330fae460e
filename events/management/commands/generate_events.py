"""Fill the database with a synthetic calendar of N events, for demos and the benchmark (bench/).

The mix follows issue 7: 70% timed events of 1–3 hours, 20% one-day all-day events and 10%
multi-day all-day events, spread over five years around the anchor date (today by default), with
venues in several timezones, organizers, categories, tags, sessions, documents and a few articles.
The same ``--seed`` and ``--anchor`` always give the same calendar.

Rows are written with ``bulk_create`` in batches, so 100,000 events take well under a minute or
two. ``bulk_create`` skips ``save()``, so the derived schedule fields are filled by the models' own
``derive_schedule()`` before writing, and every row gets its ``ical_uid`` here.
"""

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from events import changes
from events.models import Category, Document, Event, Organizer, Session, Tag, Venue

YEARS = 5

# (city, ISO country, IANA timezone, weight): most events are European, as on the original site.
CITIES = [
    ("Vienna", "AT", "Europe/Vienna", 30),
    ("Berlin", "DE", "Europe/Berlin", 8),
    ("Warsaw", "PL", "Europe/Warsaw", 6),
    ("Brussels", "BE", "Europe/Brussels", 8),
    ("Geneva", "CH", "Europe/Zurich", 6),
    ("London", "GB", "Europe/London", 8),
    ("Lisbon", "PT", "Europe/Lisbon", 3),
    ("Athens", "GR", "Europe/Athens", 3),
    ("Kyiv", "UA", "Europe/Kyiv", 3),
    ("New York", "US", "America/New_York", 8),
    ("Washington", "US", "America/New_York", 6),
    ("Los Angeles", "US", "America/Los_Angeles", 3),
    ("Bangkok", "TH", "Asia/Bangkok", 3),
    ("Nairobi", "KE", "Africa/Nairobi", 3),
    ("Mexico City", "MX", "America/Mexico_City", 2),
]
VENUE_KINDS = [
    "Conference Centre",
    "City Hall",
    "Congress Hall",
    "University Auditorium",
    "Civic Forum",
    "Library",
    "Community Centre",
    "Parliament Annex",
]
CATEGORIES = [
    "Events",
    "News & Analysis",
    "Publications",
    "Videos",
    "Conferences",
    "Webinars",
    "Trainings",
    "Hearings",
    "Workshops",
    "Campaigns",
    "Research",
    "Policy",
]
TAGS = [
    "Europe",
    "Americas",
    "Asia",
    "Africa",
    "Labour exploitation",
    "Supply chains",
    "Forced labour",
    "Child protection",
    "Victim identification",
    "Asylum",
    "Migration",
    "Technology",
    "Online exploitation",
    "Prosecution",
    "Prevention",
    "Partnerships",
    "Civil society",
    "Survivors",
    "Gender",
    "Data",
    "Financial investigations",
    "Prison labour",
    "Domestic work",
    "Agriculture",
    "Construction",
    "Fisheries",
    "Hospitality",
    "Public procurement",
    "Legislation",
    "Compensation",
]
ORGANIZER_KINDS = ["Office", "Network", "Coalition", "Institute", "Foundation", "Council", "Alliance"]
ORGANIZER_TOPICS = [
    "Anti-Trafficking",
    "Human Rights",
    "Migrant Workers",
    "Labour Standards",
    "Child Protection",
    "Survivor Support",
    "Fair Supply Chains",
    "Justice",
]
KINDS = ["Conference", "Workshop", "Webinar", "Roundtable", "Hearing", "Training", "Forum", "Briefing"]
ADJECTIVES = ["Regional", "International", "Annual", "Expert", "Open", "National", "Joint", "Public"]
TOPICS = [
    "Victim Identification",
    "Forced Labour in Supply Chains",
    "Technology and Exploitation",
    "Child Trafficking",
    "Labour Inspection",
    "Financial Investigations",
    "Survivor Leadership",
    "Prosecuting Traffickers",
    "Safe Migration",
    "Prison Labour",
    "Public Procurement",
    "Online Recruitment",
    "Domestic Servitude",
    "Data and Research",
]
SENTENCES = [
    "Practitioners, researchers and survivors share what has worked in {topic}.",
    "The programme combines short talks with discussion in small groups.",
    "Participants compare national approaches and agree on practical next steps.",
    "The session looks at recent cases and what they teach investigators and prosecutors.",
    "Speakers from government, business and civil society present their experience.",
    "Interpretation is provided in English, French and Russian.",
    "A report with the main findings will be published after the event.",
    "The discussion focuses on prevention, protection and partnership.",
    "Time is reserved for questions from the audience.",
    "Materials are shared with registered participants in advance.",
    "The meeting follows up on the recommendations adopted last year.",
    "Experts explain how {topic} connects with labour rights and migration policy.",
]
SESSION_TITLES = [
    "Opening",
    "Keynote",
    "Panel discussion",
    "Working groups",
    "Case studies",
    "Questions and answers",
    "Closing remarks",
    "Networking",
]
ONLINE_PLATFORMS = ["Zoom", "Microsoft Teams", "Webex", "YouTube Live"]
DURATIONS_MINUTES = [60, 90, 120, 150, 180]
START_MINUTES = [0, 15, 30, 45]


def weighted(rng, pairs):
    """One item of ``[(item, weight), ...]``."""
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights)[0]


def paragraph(rng, topic, sentences):
    return " ".join(rng.choice(SENTENCES).format(topic=topic.lower()) for _ in range(sentences))


class Generator:
    """Builds one batch of unsaved rows at a time from one seeded random stream."""

    def __init__(self, *, seed, first_number, anchor, site_zone):
        # Seeded by where numbering starts too, so a second run into the same database draws new UIDs.
        self.rng = random.Random(f"{seed}:{first_number}")  # noqa: S311 (reproducible data, not secrets)
        self.first_day = anchor - timedelta(days=YEARS * 365 // 2)
        self.days = YEARS * 365
        self.site_zone = site_zone

    def uid(self):
        return f"{uuid.UUID(int=self.rng.getrandbits(128), version=4)}@{settings.SITE_DOMAIN}"

    def event(self, number, venues, organizers):
        """One unsaved event, numbered ``number`` (which makes its slug unique)."""
        rng = self.rng
        topic = rng.choice(TOPICS)
        kind = rng.choice(KINDS)
        title = f"{rng.choice(ADJECTIVES)} {kind} on {topic}"
        mode = weighted(rng, [(Event.AttendanceMode.IN_PERSON, 60), (Event.AttendanceMode.ONLINE, 25)])
        if rng.random() < 0.15:
            mode = Event.AttendanceMode.MIXED
        venue = rng.choice(venues) if mode != Event.AttendanceMode.ONLINE else None
        zone_name = venue.zone_name if venue else rng.choice([self.site_zone, "America/New_York"])
        event = Event(
            title=title,
            slug=f"{slugify(title)[:180]}-{number}",
            summary=paragraph(rng, topic, 2),
            description="\n\n".join(
                paragraph(rng, topic, rng.randint(2, 4)) for _ in range(rng.randint(1, 3))
            ),
            status=weighted(
                rng,
                [
                    (Event.Status.SCHEDULED, 94),
                    (Event.Status.CANCELLED, 3),
                    (Event.Status.POSTPONED, 2),
                    (Event.Status.MOVED_ONLINE, 1),
                ],
            ),
            is_published=rng.random() < 0.95,
            timezone=zone_name,
            venue=venue,
            attendance_mode=mode,
            organizer=rng.choice(organizers) if rng.random() < 0.9 else None,
            ical_uid=self.uid(),
        )
        if event.is_online:
            event.online_platform = rng.choice(ONLINE_PLATFORMS)
            event.online_access = "upon registration"
        self.schedule(event)
        if rng.random() < 0.5:
            event.is_free = True
        elif rng.random() < 0.5:
            event.cost_amount = Decimal(rng.choice([20, 50, 80, 120, 250]))
            event.cost_currency = "EUR"
        if rng.random() < 0.4:
            event.registration_url = f"https://registration.example.org/{event.slug}"
            event.registration_deadline = event.start - timedelta(days=rng.randint(1, 14))
        if rng.random() < 0.3:
            event.contact_email = "info@example.org"
        return event

    def schedule(self, event):
        """70% timed 1–3 h, 20% one all-day date, 10% two to five all-day dates."""
        rng = self.rng
        day = self.first_day + timedelta(days=rng.randrange(self.days))
        shape = rng.random()
        if shape < 0.7:
            local_start = datetime.combine(
                day, time(rng.randint(8, 19), rng.choice(START_MINUTES)), event.zone
            )
            event.start = local_start
            event.end = local_start + timedelta(minutes=rng.choice(DURATIONS_MINUTES))
        else:
            event.all_day = True
            event.start_date = day
            event.end_date = day + timedelta(days=0 if shape < 0.9 else rng.randint(1, 4))
        event.derive_schedule()

    def sessions(self, event):
        """A programme for about one event in five (most multi-day ones): sessions inside the event."""
        rng = self.rng
        if rng.random() > (0.8 if event.is_multi_day else 0.15):
            return []
        sessions = []
        if event.all_day:
            day = event.start_date
            while day <= event.end_date:
                for hour in (9, 11, 14):
                    start = datetime.combine(day, time(hour), event.zone)
                    sessions.append(self.session(event, start, timedelta(minutes=90)))
                day += timedelta(days=1)
        else:
            parts = rng.randint(2, 4)
            length = (event.end - event.start) / parts
            sessions = [self.session(event, event.start + length * index, length) for index in range(parts)]
        return sessions

    def session(self, event, start, length):
        session = Session(
            event=event,
            title=self.rng.choice(SESSION_TITLES),
            start=start,
            end=start + length,
            location=self.rng.choice(["", "", "Room A", "Room B", "Main hall", "Online"]),
            ical_uid=self.uid(),
        )
        session.derive_schedule()
        return session


class Command(BaseCommand):
    help = (
        "Add N synthetic events (with venues, sessions, taxonomy and some articles) for demos and benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many events to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same seed, same calendar).")
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="Centre of the five years the events are spread over (YYYY-MM-DD; default today).",
        )
        parser.add_argument("--batch-size", type=int, default=2000, help="Rows per INSERT.")
        parser.add_argument(
            "--articles", type=int, default=None, help="News articles to add (default: one per 100 events)."
        )

    def handle(self, *args, count, seed, anchor, batch_size, articles, **options):
        if count < 0:
            raise CommandError("The number of events must not be negative.")
        anchor = anchor or timezone.localdate()
        # Numbers continue after existing rows, so a second run adds events instead of clashing.
        first_number = (Event.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        generator = Generator(
            seed=seed, first_number=first_number, anchor=anchor, site_zone=settings.TIME_ZONE
        )
        with changes.edit():  # one edit: the new events keep SEQUENCE 0
            categories, tags, venues, organizers = self.reference_rows(generator)
            for offset in range(0, count, batch_size):
                self.write_batch(
                    generator,
                    range(first_number + offset, first_number + min(offset + batch_size, count)),
                    categories=categories,
                    tags=tags,
                    venues=venues,
                    organizers=organizers,
                    batch_size=batch_size,
                )
                if options["verbosity"] > 1:
                    self.stdout.write(f"  {min(offset + batch_size, count)} events")
            added_articles = self.write_articles(
                generator, count // 100 if articles is None else articles, categories, tags
            )
        # The bulk writes were recorded (events.changes): the new events' feed texts were written
        # and a new generation of cached pages started when the transaction committed.
        last_day = generator.first_day + timedelta(days=generator.days - 1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {count} events and {added_articles} articles "
                f"(seed {seed}, {generator.first_day} to {last_day})."
            )
        )

    def reference_rows(self, generator):
        """Categories, tags, venues and organizers, created once and reused by later runs."""
        rng = generator.rng
        categories = [
            Category.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in CATEGORIES
        ]
        tags = [Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0] for name in TAGS]
        venues = []
        for city, country, zone_name, weight in CITIES:
            for index in range(weight):
                name = f"{city} {VENUE_KINDS[index % len(VENUE_KINDS)]}"
                if index >= len(VENUE_KINDS):
                    name += f" {index // len(VENUE_KINDS) + 1}"
                venue, _ = Venue.objects.get_or_create(
                    slug=f"generated-{slugify(name)}",
                    defaults={
                        "name": name,
                        "city": city,
                        "country": country,
                        "address": f"{rng.randint(1, 120)} Main Street",
                    },
                )
                venue.zone_name = zone_name
                venues.append(venue)
        organizers = []
        for kind in ORGANIZER_KINDS:
            for topic in ORGANIZER_TOPICS:
                name = f"{topic} {kind}"
                organizer, _ = Organizer.objects.get_or_create(
                    slug=f"generated-{slugify(name)}",
                    defaults={"name": name, "email": f"{slugify(name)}@example.org"},
                )
                organizers.append(organizer)
        return categories, tags, venues, organizers

    def write_batch(self, generator, numbers, *, categories, tags, venues, organizers, batch_size):
        rng = generator.rng
        events = [generator.event(number, venues, organizers) for number in numbers]
        Event.objects.bulk_create(events, batch_size=batch_size)
        sessions, documents, event_categories, event_tags = [], [], [], []
        for event in events:
            sessions.extend(generator.sessions(event))
            if rng.random() < 0.2:
                documents.extend(
                    Document(
                        event=event, title=title, url=f"https://example.org/{event.slug}/{slugify(title)}.pdf"
                    )
                    for title in rng.sample(
                        ["Agenda", "Concept note", "Speakers", "Report"], rng.randint(1, 2)
                    )
                )
            for category in rng.sample(categories, rng.choice([1, 1, 2])):
                event_categories.append(Event.categories.through(event_id=event.pk, category_id=category.pk))
            for tag in rng.sample(tags, rng.randint(0, 4)):
                event_tags.append(Event.tags.through(event_id=event.pk, tag_id=tag.pk))
        Session.objects.bulk_create(sessions, batch_size=batch_size)
        Document.objects.bulk_create(documents, batch_size=batch_size)
        Event.categories.through.objects.bulk_create(event_categories, batch_size=batch_size)
        Event.tags.through.objects.bulk_create(event_tags, batch_size=batch_size)

    def write_articles(self, generator, count, categories, tags):
        """Published news articles from the last half of the spread (no future publish dates)."""
        rng = generator.rng
        first_number = (Article.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        now = datetime.combine(generator.first_day + timedelta(days=generator.days // 2), time(12), UTC)
        rows = []
        for number in range(first_number, first_number + count):
            topic = rng.choice(TOPICS)
            title = f"{rng.choice(['New report', 'Analysis', 'Interview', 'Statement'])}: {topic}"
            rows.append(
                Article(
                    title=title,
                    slug=f"{slugify(title)[:180]}-{number}",
                    excerpt=paragraph(rng, topic, 2),
                    body="".join(f"<p>{paragraph(rng, topic, 4)}</p>" for _ in range(3)),
                    published_at=now
                    - timedelta(days=rng.randrange(1, YEARS * 365 // 2), hours=rng.randrange(24)),
                    is_published=True,
                )
            )
        Article.objects.bulk_create(rows)
        Article.categories.through.objects.bulk_create(
            Article.categories.through(article_id=article.pk, category_id=rng.choice(categories).pk)
            for article in rows
        )
        Article.tags.through.objects.bulk_create(
            Article.tags.through(article_id=article.pk, tag_id=tag.pk)
            for article in rows
            for tag in rng.sample(tags, 2)
        )
        return len(rows)
