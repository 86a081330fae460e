"""events.services.event_occurrence_changes_save: an editor's per-date rows of a series, at once."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from events import changes
from events.models import OccurrenceChange
from events.services import event_occurrence_changes_save, event_save
from tests.factories import EventFactory

VIENNA = zoneinfo.ZoneInfo("Europe/Vienna")
pytestmark = pytest.mark.django_db


def weekly_series(rule="FREQ=WEEKLY;COUNT=3"):
    return EventFactory(recurrence_rule=rule, start=dt.datetime(2031, 3, 4, 10, 0, tzinfo=VIENNA))


def test_event_occurrence_changes_save_marks_the_event_once_for_many_rows():
    event = weekly_series()
    rows = [
        OccurrenceChange(kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)),
        OccurrenceChange(
            kind="change",
            original_start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA),
            start=dt.datetime(2031, 3, 19, 10, 0, tzinfo=VIENNA),
        ),
    ]

    event_occurrence_changes_save(event=event, saved=rows)

    event.refresh_from_db()
    assert event.sequence == 1
    assert event.last_end.astimezone(VIENNA).isoformat() == "2031-03-19T11:00:00+01:00"
    assert [c.kind for c in event.occurrence_changes.all()] == ["skip", "change"]


def test_occurrence_changes_saved_in_the_edit_that_saved_the_event_step_it_once_and_update_the_last_end():
    event = weekly_series()
    row = OccurrenceChange.objects.create(
        event=event, kind="skip", original_start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA)
    )
    event.refresh_from_db()
    sequence = event.sequence

    with changes.edit():  # as the admin's change form: the event, then its rows
        event_save(event=event)
        event_occurrence_changes_save(event=event, deleted=[row])

    event.refresh_from_db()
    assert (event.sequence, event.occurrence_changes.count()) == (sequence + 1, 0)
    assert event.last_end.astimezone(VIENNA).isoformat() == "2031-03-18T11:00:00+01:00"


def test_event_occurrence_changes_save_refuses_an_invalid_row_and_saves_none():
    event = weekly_series()
    rows = [
        OccurrenceChange(kind="skip", original_start=dt.datetime(2031, 3, 11, 10, 0, tzinfo=VIENNA)),
        OccurrenceChange(
            kind="skip", original_start=dt.datetime(2031, 3, 18, 10, 0, tzinfo=VIENNA), title="x"
        ),
    ]

    with pytest.raises(ValidationError) as refused:
        event_occurrence_changes_save(event=event, saved=rows)

    assert refused.value.messages == ["Only a changed occurrence has its own times, title or status."]
    assert not OccurrenceChange.objects.exists()
    event.refresh_from_db()
    assert event.sequence == 0
