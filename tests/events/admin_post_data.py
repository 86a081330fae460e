"""Building the POST data of the event admin's change form the way a browser sends it."""

import datetime as dt

from events.models import Event
from events.recurrence_form import CUSTOM, choices_from_rule


def event_form_data(**overrides):
    """A valid timed event in Vienna, 14:00–16:00 on 4 March 2031, with optional inline rows."""
    sessions = overrides.pop("sessions", [])
    documents = overrides.pop("documents", [])
    changes = overrides.pop("occurrence_changes", [])
    data = {
        "title": "Annual Alliance Conference",
        "slug": "annual-alliance-conference",
        "summary": "",
        "description": "",
        "status": Event.Status.SCHEDULED,
        "timezone": "Europe/Vienna",
        "start_0": "2031-03-04",
        "start_1": "14:00",
        "end_0": "2031-03-04",
        "end_1": "16:00",
        "start_date": "",
        "end_date": "",
        "attendance_mode": Event.AttendanceMode.IN_PERSON,
        "online_platform": "",
        "online_url": "",
        "online_access": "",
        "registration_url": "",
        "registration_deadline_0": "",
        "registration_deadline_1": "",
        "contact_email": "",
        "hashtags": "",
        "cost_text": "",
        "cost_amount": "",
        "cost_currency": "",
        "version": "",
        "repeats": "",
        "interval": "1",
        "week_of_month": "",
        "weekday": "",
        "ends": "never",
        "until": "",
        "count": "",
        "recurrence_rule": "",
    }
    data.update(inline_rows("sessions", sessions))
    data.update(inline_rows("documents", documents))
    data.update(inline_rows("occurrence_changes", changes))
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def inline_rows(prefix, rows, initial=0):
    """Management form and fields of an inline formset; each row is a dict of field values."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def session_row(**overrides):
    """A timed session, 14:00–15:00 on 4 March 2031, in its event's timezone."""
    return {
        "title": "Opening",
        "start_0": "2031-03-04",
        "start_1": "14:00",
        "end_0": "2031-03-04",
        "end_1": "15:00",
        "start_date": "",
        "end_date": "",
        "location": "",
        "description": "",
        **overrides,
    }


def occurrence_change_row(**overrides):
    """A row of "Dates handled apart from the rule": skip 11 March 2031 (the time left empty)."""
    return {
        "kind": "skip",
        "original_start_0": "2031-03-11",
        "original_start_1": "",
        "start_0": "",
        "start_1": "",
        "end_0": "",
        "end_1": "",
        "title": "",
        "status": "",
        **overrides,
    }


def recurrence_fields(rule):
    """The "Repeats" fields as the change form shows a stored rule."""
    choices = choices_from_rule(rule)
    if choices is None:
        return {"repeats": CUSTOM, "recurrence_rule": rule}
    fields = {
        "repeats": choices.repeats,
        "interval": str(choices.interval),
        "week_of_month": "" if choices.week_of_month is None else str(choices.week_of_month),
        "weekday": choices.weekday,
        "ends": choices.ends,
        "until": choices.until.isoformat() if choices.until else "",
        "count": str(choices.count or ""),
        "recurrence_rule": rule,
    }
    if choices.weekdays:
        fields["weekdays"] = list(choices.weekdays)
    return fields


def change_form_data(event, **overrides):
    """What the change form of an existing event posts back unchanged, its inline rows included."""
    zone = event.zone

    def wall(value, part):
        if value is None:
            return ""
        local = value.astimezone(zone)
        return local.strftime("%Y-%m-%d") if part == 0 else local.strftime("%H:%M:%S")

    sessions = [
        {
            "id": str(session.pk),
            "event": str(event.pk),
            "title": session.title,
            "all_day": "on" if session.all_day else "",
            "start_0": wall(session.start, 0),
            "start_1": wall(session.start, 1),
            "end_0": wall(session.end, 0),
            "end_1": wall(session.end, 1),
            "start_date": session.start_date.isoformat(),
            "end_date": session.end_date.isoformat(),
            "location": session.location,
            "description": session.description,
        }
        for session in event.sessions.all()
    ]
    documents = [
        {
            "id": str(document.pk),
            "event": str(event.pk),
            "title": document.title,
            "url": document.url,
            "position": str(document.position),
        }
        for document in event.documents.all()
    ]
    data = event_form_data(
        title=event.title,
        slug=event.slug,
        summary=event.summary,
        status=event.status,
        timezone=event.timezone,
        start_0=wall(event.start, 0),
        start_1=wall(event.start, 1),
        end_0=wall(event.end, 0),
        end_1=wall(event.end, 1),
        start_date=event.start_date.isoformat(),
        end_date=event.end_date.isoformat(),
        attendance_mode=event.attendance_mode,
        online_url=event.online_url,
        version=str(event.sequence),
    )
    # The timezone's default is callable, so the form carries its initial value in a hidden input.
    data["initial-timezone"] = event.timezone
    data.update(recurrence_fields(event.recurrence_rule))
    changes = [
        {
            "id": str(change.pk),
            "event": str(event.pk),
            "kind": change.kind,
            **shown_change(event, change),
            "title": change.title,
            "status": change.status,
        }
        for change in event.occurrence_changes.all()
    ]
    data.update(inline_rows("sessions", sessions, initial=len(sessions)))
    data.update(inline_rows("documents", documents, initial=len(documents)))
    data.update(inline_rows("occurrence_changes", changes, initial=len(changes)))
    if event.all_day:
        data["all_day"] = "on"
    if event.is_published:
        data["is_published"] = "on"
    if event.venue_id:
        data["venue"] = str(event.venue_id)
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def shown_change(event, change):
    """A stored row's dates as the form shows them: the series' own time left empty."""
    zone = event.zone
    original = change.original_start.astimezone(zone)
    same_time = event.all_day or original.time() == event.local_start.time()
    fields = {
        "original_start_0": original.strftime("%Y-%m-%d"),
        "original_start_1": "" if same_time else original.strftime("%H:%M"),
    }
    for name in ("start", "end"):
        value = getattr(change, name)
        local = value.astimezone(zone) if value else None
        if local and event.all_day and name == "end":
            local -= dt.timedelta(days=1)  # an all-day end is shown as its last day
        fields[f"{name}_0"] = local.strftime("%Y-%m-%d") if local else ""
        fields[f"{name}_1"] = local.strftime("%H:%M") if local and not event.all_day else ""
    return fields
