"""Load the seed content (fixtures/seed.json) once: a second run loads nothing."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article
from events import changes
from events.models import Event

SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "seed.json"


class Command(BaseCommand):
    help = "Load the seed events and articles taken from the original site, unless content exists."

    def handle(self, *args, **options):
        if Event.objects.exists() or Article.objects.exists():
            self.stdout.write("Content already present; seed not loaded again.")
            return
        with changes.edit():  # recorded: the events keep their SEQUENCE, feed texts written on commit
            call_command("loaddata", SEED_FIXTURE, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the seed: {Event.objects.count()} events, {Article.objects.count()} articles."
            )
        )
