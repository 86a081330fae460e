"""Two saves of one event at the same moment, on PostgreSQL where rows are really locked."""

import threading

import pytest
from django.db import connection, transaction

from events.models import Event
from events.services import EventChangedMeanwhile, event_check_version, event_save
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (writes are serial)")
def test_save_racing_another_waits_for_it_and_is_then_refused():
    event = EventFactory(title="Alliance")
    first_holds_the_lock = threading.Event()
    outcome = {}

    def second_editor():
        try:
            stale = Event.objects.get(pk=event.pk)
            first_holds_the_lock.wait(timeout=5)
            stale.title = "Second"
            event_save(event=stale, expected_sequence=0)
            outcome["second"] = "saved"
        except EventChangedMeanwhile:
            outcome["second"] = "refused"
        finally:
            connection.close()

    second = threading.Thread(target=second_editor)
    second.start()
    with transaction.atomic():
        # The admin checks the version in the form's clean() and saves later, in one transaction.
        first = Event.objects.get(pk=event.pk)
        event_check_version(event=first, expected_sequence=0)
        first_holds_the_lock.set()
        second.join(timeout=0.5)
        assert second.is_alive()  # blocked on the row lock, not reading the old version
        first.title = "First"
        event_save(event=first, expected_sequence=0)
    second.join(timeout=5)

    assert outcome == {"second": "refused"}
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("First", 1)
