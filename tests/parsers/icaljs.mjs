// Parses an .ics file with Mozilla's ical.js (Thunderbird's parser) and prints what it understood
// as JSON: the VTIMEZONE ids and, per VEVENT, uid, summary, status, related-to, url and the start and
// end ("YYYY-MM-DD" for dates, UTC "YYYY-MM-DDTHH:MM:SSZ" for times). Times are converted with the
// file's own VTIMEZONEs only (ical.js has no timezone database), so wrong VTIMEZONEs show here.
// Usage: node tests/parsers/icaljs.mjs FILE
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const root = new ICAL.Component(ICAL.parse(readFileSync(process.argv[2], "utf8")));
const timezones = root.getAllSubcomponents("vtimezone");
for (const vtimezone of timezones) {
  ICAL.TimezoneService.register(vtimezone);
}

function moment(time) {
  if (time.isDate) {
    return time.toString();
  }
  if (time.zone === ICAL.Timezone.localTimezone) {
    throw new Error(`floating or unresolved time ${time.toString()}`);
  }
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

const events = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    status: vevent.getFirstPropertyValue("status"),
    related_to: vevent.getFirstPropertyValue("related-to"),
    url: vevent.getFirstPropertyValue("url"),
    tzid: vevent.getFirstProperty("dtstart").getParameter("tzid") || null,
    start: moment(event.startDate),
    end: moment(event.endDate),
  };
});
console.log(JSON.stringify({ timezones: timezones.map((tz) => tz.getFirstPropertyValue("tzid")), events }));
