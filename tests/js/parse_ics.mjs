// Parses an iCalendar file with Mozilla's ical.js and prints every event's occurrences as JSON.
//
//   node parse_ics.mjs [FILE|-] [--from ISO] [--to ISO]
//
// Reads stdin when FILE is "-" or absent. Occurrences overlapping [from, to) are listed with UTC
// times (ISO 8601, "Z") or, for all-day events, dates ("YYYY-MM-DD"). Exit status 2 on a parse error.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function parseArgs(argv) {
  const args = { file: "-", from: "1970-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--from") args.from = argv[++i];
    else if (argv[i] === "--to") args.to = argv[++i];
    else args.file = argv[i];
  }
  return args;
}

function asJson(time) {
  if (time.isDate) return time.toString();
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const text = readFileSync(args.file === "-" ? 0 : args.file, "utf8");
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== "vcalendar") throw new Error(`top component is ${root.name}`);

  // Times carrying a TZID resolve through the TimezoneService, so the feed's own VTIMEZONE must be
  // registered before any event property is read (and nothing else is registered: no silent fallback).
  const timezones = root.getAllSubcomponents("vtimezone");
  for (const vtz of timezones) ICAL.TimezoneService.register(vtz);

  const windowStart = Date.parse(args.from);
  const windowEnd = Date.parse(args.to);
  const masters = new Map();
  const exceptions = [];
  for (const comp of root.getAllSubcomponents("vevent")) {
    const uid = comp.getFirstPropertyValue("uid");
    if (comp.hasProperty("recurrence-id")) exceptions.push(comp);
    else if (masters.has(uid)) throw new Error(`two master VEVENTs share UID ${uid}`);
    else masters.set(uid, comp);
  }
  // Overrides are related by UID here: left to itself, ICAL.Event relates every RECURRENCE-ID
  // component in the calendar to every master.
  const overrides = new Map();
  for (const uid of masters.keys()) overrides.set(uid, []);
  for (const comp of exceptions) {
    const uid = comp.getFirstPropertyValue("uid");
    if (!overrides.has(uid)) throw new Error(`RECURRENCE-ID override without a master: ${uid}`);
    overrides.get(uid).push(comp);
  }
  const events = new Map();
  for (const [uid, comp] of masters) {
    events.set(uid, new ICAL.Event(comp, { strictExceptions: true, exceptions: overrides.get(uid) }));
  }

  const out = [];
  for (const [uid, event] of events) {
    const occurrences = [];
    const describe = (details) => {
      const item = details.item;
      return {
        start: asJson(details.startDate),
        end: asJson(details.endDate),
        recurrence_id: item.isRecurrenceException() ? asJson(details.recurrenceId) : null,
        status: item.component.getFirstPropertyValue("status") || null,
        summary: item.summary,
      };
    };
    const inWindow = (occ) => {
      if (occ.start.length === 10) return true;  // all-day: the caller filters dates
      return Date.parse(occ.end) > windowStart && Date.parse(occ.start) < windowEnd;
    };
    if (event.isRecurring()) {
      const it = event.iterator();
      let next;
      while ((next = it.next())) {
        if (!next.isDate && next.toJSDate().getTime() >= windowEnd) break;
        const occ = describe(event.getOccurrenceDetails(next));
        if (inWindow(occ)) occurrences.push(occ);
      }
      // An override moved to a time the rule does not produce is still reached through its
      // RECURRENCE-ID above; one moved into the window from outside it is added here.
      for (const comp of overrides.get(uid)) {
        const occ = describe(event.getOccurrenceDetails(comp.getFirstPropertyValue("recurrence-id")));
        if (inWindow(occ) && !occurrences.some((o) => o.recurrence_id === occ.recurrence_id)) {
          occurrences.push(occ);
        }
      }
    } else {
      const occ = {
        start: asJson(event.startDate),
        end: asJson(event.endDate),
        recurrence_id: null,
        status: event.component.getFirstPropertyValue("status") || null,
        summary: event.summary,
      };
      if (inWindow(occ)) occurrences.push(occ);
    }
    occurrences.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    out.push({
      uid,
      status: event.component.getFirstPropertyValue("status") || null,
      summary: event.summary,
      sequence: event.sequence,
      recurring: event.isRecurring(),
      occurrences,
    });
  }
  process.stdout.write(JSON.stringify({ timezones: timezones.length, events: out }, null, 1) + "\n");
}

try {
  main();
} catch (err) {
  process.stderr.write(`ical.js: ${err && err.stack ? err.stack : err}\n`);
  process.exit(2);
}
