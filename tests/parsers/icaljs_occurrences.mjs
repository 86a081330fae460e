// Expands every VEVENT of an .ics file with Mozilla's ical.js (Thunderbird's parser) and prints the
// occurrences that overlap a window as JSON: per occurrence its uid, summary, status and start and
// end ("YYYY-MM-DD" for dates, UTC "YYYY-MM-DDTHH:MM:SSZ" for times). ical.js does all of it itself:
// ICAL.Event's iterator applies RRULE, RDATE and EXDATE, and getOccurrenceDetails() swaps in the
// override VEVENT (same UID, RECURRENCE-ID) of a changed occurrence. Times are converted with the
// file's own VTIMEZONEs only.
// Usage: node tests/parsers/icaljs_occurrences.mjs FILE WINDOW_START WINDOW_END (UTC, ...Z)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [path, windowStartText, windowEndText] = process.argv.slice(2);
const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const windowStart = Date.parse(windowStartText);
const windowEnd = Date.parse(windowEndText);
// Expansion stops this long after the window (by original start), so an occurrence moved into the
// window from a little later is still found.
const MARGIN_MS = 400 * 24 * 3600 * 1000;

function moment(time) {
  if (time.isDate) {
    return time.toString();
  }
  if (time.zone === ICAL.Timezone.localTimezone) {
    throw new Error(`floating or unresolved time ${time.toString()}`);
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

// All-day items overlap the window by their dates read in UTC; the tests' windows keep away from edges.
function bounds(start, end) {
  return [start.toJSDate().getTime(), end.toJSDate().getTime()];
}

function occurrence(item, start, end) {
  return {
    uid: item.uid,
    summary: item.summary,
    status: item.component.getFirstPropertyValue("status"),
    start: moment(start),
    end: moment(end),
  };
}

const vevents = root.getAllSubcomponents("vevent");
const found = [];
for (const vevent of vevents) {
  if (vevent.hasProperty("recurrence-id")) {
    continue; // an override: expanded with its master
  }
  const uid = vevent.getFirstPropertyValue("uid");
  const exceptions = vevents.filter(
    (other) => other.hasProperty("recurrence-id") && other.getFirstPropertyValue("uid") === uid,
  );
  const event = new ICAL.Event(vevent, { exceptions, strictExceptions: true });
  if (!event.isRecurring()) {
    const [start, end] = bounds(event.startDate, event.endDate);
    if (end > windowStart && start < windowEnd) {
      found.push(occurrence(event, event.startDate, event.endDate));
    }
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    if (next.toJSDate().getTime() > windowEnd + MARGIN_MS) {
      break;
    }
    const details = event.getOccurrenceDetails(next);
    const [start, end] = bounds(details.startDate, details.endDate);
    if (end > windowStart && start < windowEnd) {
      found.push(occurrence(details.item, details.startDate, details.endDate));
    }
  }
}
console.log(JSON.stringify({ occurrences: found }));
