"""Independent iCalendar parsers, each returning the same normalized JSON shape.

{"timezones": [TZID, ...], "events": [{"uid", "summary", "status", "related_to", "start", "end"}]}
with dates as "YYYY-MM-DD" and times as UTC "YYYY-MM-DDTHH:MM:SSZ". ical.js (Node) and libical
(the system Python's GObject bindings) run as subprocesses; where one is missing its tests skip,
saying why, except under ``CI=true``, where they fail.

``EXPANDERS`` expand recurring events instead: ``{"occurrences": [{"uid", "summary", "status",
"start", "end"}]}``, every occurrence overlapping a window, exceptions applied: ical.js
(``ICAL.Event``'s iterator and ``getOccurrenceDetails()``), libical (``RecurIterator`` for the rule,
EXDATE, RDATE and overrides applied by hand in ``libical_occurrences.py``) and the
``recurring-ical-events`` package (from ``requirements-parsers.txt``, in its own folder).
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
import vobject

from tests.calendar_cases import normalized

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SYSTEM_PYTHON = "/usr/bin/python3"


def require(available, reason):
    """Skip (or, under CI, fail) when a parser is not installed."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run every parser; .ci/run installs them)")
    pytest.skip(reason)


def _run(command, ics, tmp_path, *arguments, env=None):
    path = tmp_path / "calendar.ics"
    path.write_bytes(ics)
    result = subprocess.run(  # noqa: S603
        [*command, str(path), *arguments], capture_output=True, text=True, timeout=60, check=False, env=env
    )
    assert result.returncode == 0, result.stderr or result.stdout
    return json.loads(result.stdout)


def _node():
    node = shutil.which("node")
    require(node, "node is not installed")
    require((ROOT / "node_modules" / "ical.js").is_dir(), "ical.js is not installed (run npm ci)")
    return node


def icaljs(ics, tmp_path):
    """Mozilla ical.js, as Thunderbird parses."""
    return _run([_node(), str(HERE / "icaljs.mjs")], ics, tmp_path)


def libical_available():
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib"
    return subprocess.run([SYSTEM_PYTHON, "-c", probe], capture_output=True, check=False).returncode == 0  # noqa: S603


def _require_libical():
    require(
        libical_available(),
        "libical's Python bindings are missing (apt-get install gir1.2-ical-3.0 python3-gi)",
    )


def libical(ics, tmp_path):
    """libical, as Evolution and GNOME Calendar parse."""
    _require_libical()
    result = _run([SYSTEM_PYTHON, str(HERE / "libical.py")], ics, tmp_path)
    assert result["errors"] == [], result["errors"]
    return result


def _event_dict(uid, summary, status, related_to, start, end, url):
    return {
        "uid": uid,
        "summary": summary,
        "status": status,
        "related_to": related_to,
        "url": url,
        "start": normalized(start),
        "end": normalized(end),
    }


def python_icalendar(ics, tmp_path):
    """The Python icalendar library (which also wrote the file)."""
    calendar = icalendar.Calendar.from_ical(ics)
    events = []
    for event in calendar.walk("VEVENT"):
        related = event.get("RELATED-TO")
        events.append(
            _event_dict(
                str(event["UID"]),
                str(event["SUMMARY"]),
                str(event.get("STATUS")),
                str(related) if related is not None else None,
                event.decoded("DTSTART"),
                event.decoded("DTEND"),
                str(event["URL"]) if "URL" in event else None,
            )
        )
    return {"timezones": [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")], "events": events}


def python_vobject(ics, tmp_path):
    """vobject, an older Python parser with its own VTIMEZONE handling."""
    calendar = vobject.readOne(ics.decode("utf-8"))
    events = []
    for event in calendar.contents.get("vevent", []):
        start, end = event.dtstart.value, event.dtend.value
        for value in (start, end):
            assert not isinstance(value, dt.datetime) or value.tzinfo is not None, "floating time"
        events.append(
            _event_dict(
                event.uid.value,
                event.summary.value,
                event.status.value if hasattr(event, "status") else None,
                event.related_to.value if hasattr(event, "related_to") else None,
                start,
                end,
                event.url.value if hasattr(event, "url") else None,
            )
        )
    timezones = [tz.tzid.value for tz in calendar.contents.get("vtimezone", [])]
    return {"timezones": timezones, "events": events}


PARSERS = {"ical.js": icaljs, "libical": libical, "icalendar": python_icalendar, "vobject": python_vobject}


def _window(window):
    return [moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") for moment in window]


def icaljs_occurrences(ics, tmp_path, window):
    """ical.js expands the file's series, as Thunderbird shows them."""
    return _run([_node(), str(HERE / "icaljs_occurrences.mjs")], ics, tmp_path, *_window(window))


def libical_occurrences(ics, tmp_path, window):
    """libical's RecurIterator, with EXDATE, RDATE and overrides applied as Evolution does."""
    _require_libical()
    return _run([SYSTEM_PYTHON, str(HERE / "libical_occurrences.py")], ics, tmp_path, *_window(window))


RECURRING_ICAL_EVENTS = ROOT / ".venv" / "parsers"


def python_recurring_occurrences(ics, tmp_path, window):
    """The recurring-ical-events package, in its own folder with its own python-dateutil."""
    require(
        (RECURRING_ICAL_EVENTS / "recurring_ical_events").is_dir(),
        "recurring-ical-events is not installed (make test puts requirements-parsers.txt in .venv/parsers)",
    )
    env = {**os.environ, "PYTHONPATH": str(RECURRING_ICAL_EVENTS)}
    command = [sys.executable, str(HERE / "recurring.py")]
    return _run(command, ics, tmp_path, *_window(window), env=env)


EXPANDERS = {
    "ical.js": icaljs_occurrences,
    "libical": libical_occurrences,
    "recurring-ical-events": python_recurring_occurrences,
}
