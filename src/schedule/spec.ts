/**
 * Digest schedule specs: which days, what local time, which IANA time zone. Read from chat
 * (`daily 08:00 Europe/London`, `weekdays 5:30pm America/New_York`, `mon,thu 07:15 Asia/Tokyo`)
 * and from the config file, turned into a cron pattern, and evaluated with croner in the
 * schedule's zone.
 *
 * Daylight-saving changes follow croner's rules for fixed-time jobs (one minute and one hour
 * value, as every pattern built here has; croner README, "DST handling", after Vixie cron):
 * a local time that does not exist on a spring-forward day runs at the first valid time after
 * the gap (02:30 in Europe/Berlin on the last Sunday of March runs at 03:00), and a local time
 * that occurs twice on a fall-back day runs once, at its first occurrence. So a midnight job in
 * America/Santiago, where the clocks jump from 24:00 to 01:00, runs at 01:00 and no date is
 * skipped. On top of that each run is keyed by its local calendar date (`slotKey`), and the
 * outbox allows one row per (schedule, date).
 */
import { Cron } from 'croner';

/** Day-of-week abbreviations, Sunday first (cron numbering: sun = 0). */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type DayName = (typeof DAY_NAMES)[number];

/** A schedule as stored: canonical days, `HH:MM` (24-hour), canonical IANA zone name. */
export interface ScheduleSpec {
  /** `daily`, `weekdays` (Monday to Friday), `weekends`, or a list such as `mon,wed,fri` (Sunday first). */
  days: string;
  /** Local time, `HH:MM`, 00:00–23:59. */
  time: string;
  /** IANA time zone ("Europe/London"), as Intl spells it. */
  timeZone: string;
}

/** The result of reading a spec: the spec, or a message saying what is wrong. */
export type SpecResult<T> = { ok: true; value: T } | { ok: false; error: string };

const DAY_WORDS: Record<string, DayName> = {
  sun: 'sun', sunday: 'sun', sundays: 'sun',
  mon: 'mon', monday: 'mon', mondays: 'mon',
  tue: 'tue', tues: 'tue', tuesday: 'tue', tuesdays: 'tue',
  wed: 'wed', wednesday: 'wed', wednesdays: 'wed',
  thu: 'thu', thur: 'thu', thurs: 'thu', thursday: 'thu', thursdays: 'thu',
  fri: 'fri', friday: 'fri', fridays: 'fri',
  sat: 'sat', saturday: 'sat', saturdays: 'sat',
};
const WEEKDAYS: DayName[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const WEEKENDS: DayName[] = ['sun', 'sat'];

/** The set of days a canonical `days` value stands for, Sunday first. */
export function daySet(days: string): DayName[] {
  if (days === 'daily') return [...DAY_NAMES];
  if (days === 'weekdays') return [...WEEKDAYS];
  if (days === 'weekends') return [...WEEKENDS];
  return days.split(',').filter((d): d is DayName => (DAY_NAMES as readonly string[]).includes(d));
}

/**
 * Reads the days of a schedule: `daily` (or `every day`), `weekdays`, `weekends`, or day names
 * separated by commas or spaces (`mon,wed,fri`, `Monday Thursday`), ranges allowed (`mon-fri`).
 * @returns the canonical form (`daily`, `weekdays`, `weekends`, or day abbreviations Sunday first)
 */
export function parseDays(text: string): SpecResult<string> {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === '' || t === 'daily' || t === 'every day' || t === 'everyday' || t === 'each day') return { ok: true, value: 'daily' };
  if (t === 'weekdays' || t === 'weekday' || t === 'workdays') return { ok: true, value: 'weekdays' };
  if (t === 'weekends' || t === 'weekend') return { ok: true, value: 'weekends' };
  const picked = new Set<DayName>();
  for (const part of t.split(/[\s,]+/).filter(Boolean)) {
    const range = /^([a-z]+)-([a-z]+)$/.exec(part);
    if (range) {
      const a = DAY_WORDS[range[1]!];
      const b = DAY_WORDS[range[2]!];
      if (!a || !b) return { ok: false, error: `“${part.slice(0, 30)}” is not a range of days (e.g. mon-fri)` };
      for (let i = DAY_NAMES.indexOf(a), n = 0; n < 7; i = (i + 1) % 7, n++) {
        picked.add(DAY_NAMES[i]!);
        if (DAY_NAMES[i] === b) break;
      }
      continue;
    }
    const d = DAY_WORDS[part];
    if (!d) return { ok: false, error: `“${part.slice(0, 30)}” is not a day: use daily, weekdays, weekends or day names such as mon,wed,fri` };
    picked.add(d);
  }
  const list = DAY_NAMES.filter((d) => picked.has(d));
  if (list.length === 7) return { ok: true, value: 'daily' };
  if (list.join(',') === WEEKDAYS.join(',')) return { ok: true, value: 'weekdays' };
  if (list.join(',') === WEEKENDS.join(',')) return { ok: true, value: 'weekends' };
  return { ok: true, value: list.join(',') };
}

/**
 * Reads a local time: `08:00`, `8:00`, `0800`, `17.30`, `8am`, `5:30 pm`, `12am` (midnight).
 * @returns `HH:MM` in 24-hour form
 */
export function parseTime(text: string): SpecResult<string> {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?(am|pm)?$/.exec(t);
  const bad = { ok: false as const, error: `“${text.trim().slice(0, 20)}” is not a time of day: use HH:MM, e.g. 08:00 or 17:30` };
  if (!m) return bad;
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (m[2] === undefined && !m[3] && m[1]!.length < 3) return bad; // "8" alone is too vague; "8am" or "08:00"
  if (m[3]) {
    if (h < 1 || h > 12) return bad;
    h = (h % 12) + (m[3] === 'pm' ? 12 : 0);
  }
  if (h > 23 || min > 59) return bad;
  return { ok: true, value: `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` };
}

/**
 * Checks an IANA time zone name and returns it as Intl spells it (`europe/london` → `Europe/London`).
 * `UTC`, `GMT` and `Etc/…` zones are accepted; fixed offsets such as `+02:00` are not (they know no
 * daylight saving time, so a schedule in one would drift by an hour twice a year).
 */
export function parseTimeZone(text: string): SpecResult<string> {
  const t = text.trim();
  const bad = { ok: false as const, error: `“${t.slice(0, 40)}” is not an IANA time zone: use a name such as Europe/London or America/New_York` };
  if (!t || t.length > 64 || /^[+-]/.test(t) || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(t)) return bad;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
    return { ok: true, value: resolved };
  } catch {
    return bad;
  }
}

/**
 * Reads a schedule as typed in chat: `<days> <time> [<time zone>]`, e.g. `daily 08:00 Europe/London`,
 * `weekdays 17:30 America/New_York`, `mon,thu 7am`. The zone defaults to `defaultTimeZone`.
 */
export function parseScheduleText(text: string, defaultTimeZone = 'UTC'): SpecResult<ScheduleSpec> {
  const tokens = text.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return { ok: false, error: 'say when, e.g. “daily 08:00 Europe/London”' };
  let zone = defaultTimeZone;
  const last = tokens[tokens.length - 1]!;
  if (tokens.length >= 2 && (last.includes('/') || /^(utc|gmt|z)$/i.test(last))) {
    const tz = parseTimeZone(/^z$/i.test(last) ? 'UTC' : last);
    if (!tz.ok) return tz;
    zone = tz.value;
    tokens.pop();
  }
  // The time is the last token that reads as one ("5:30 pm" is two tokens).
  let time: SpecResult<string> | null = null;
  for (let i = tokens.length - 1; i >= 0 && !time; i--) {
    const two = i > 0 && /^(am|pm)$/i.test(tokens[i]!) ? `${tokens[i - 1]}${tokens[i]}` : null;
    const candidate = two ? parseTime(two) : parseTime(tokens[i]!);
    if (candidate.ok) {
      time = candidate;
      tokens.splice(two ? i - 1 : i, two ? 2 : 1);
    }
  }
  if (!time) {
    // Say what is wrong with the token that was meant as a time ("25:00", "8:75pm").
    const meant = tokens.find((t) => /^\d{1,2}[:.h]\d{1,2}(am|pm)?$/i.test(t) || /^\d{1,2}(am|pm)$/i.test(t));
    const why = meant ? parseTime(meant) : null;
    if (why && !why.ok) return why;
    return { ok: false, error: 'no time of day found: use HH:MM, e.g. “daily 08:00 Europe/London”' };
  }
  const days = parseDays(tokens.join(' '));
  if (!days.ok) return days;
  const tz = parseTimeZone(zone);
  if (!tz.ok) return tz;
  return { ok: true, value: { days: days.value, time: time.value, timeZone: tz.value } };
}

/** The cron pattern of a spec (`30 17 * * 1-5`); minute and hour are single values, so croner treats it as a fixed-time job. */
export function cronPattern(spec: ScheduleSpec): string {
  const [h, m] = spec.time.split(':').map(Number);
  const dow = spec.days === 'daily' ? '*' : daySet(spec.days).map((d) => DAY_NAMES.indexOf(d)).join(',');
  return `${m} ${h} * * ${dow || '*'}`;
}

const crons = new Map<string, Cron>();

/** A croner evaluator for the spec (no timer: croner starts none without a callback). Cached. */
function cronFor(spec: ScheduleSpec): Cron {
  const key = `${cronPattern(spec)}|${spec.timeZone}`;
  let c = crons.get(key);
  if (!c) {
    c = new Cron(cronPattern(spec), { timezone: spec.timeZone, mode: '5-part' });
    if (crons.size > 1000) crons.clear();
    crons.set(key, c);
  }
  return c;
}

/** The first run strictly after `after`, or null when there is none (never for these patterns). */
export function nextRun(spec: ScheduleSpec, after: Date): Date | null {
  return cronFor(spec).nextRun(after);
}

/** The last run strictly before `before`, or null. */
export function previousRun(spec: ScheduleSpec, before: Date): Date | null {
  const runs = cronFor(spec).previousRuns(1, before);
  return runs[0] ?? null;
}

/** The runs in `(after, until]`, oldest first, at most `max` of them (the latest ones when there are more). */
export function runsBetween(spec: ScheduleSpec, after: Date, until: Date, max = 1000): Date[] {
  const out: Date[] = [];
  let t: Date | null = after;
  // Bounded: a daily schedule has about 366 runs a year; callers pass short windows.
  for (let i = 0; i < 100_000; i++) {
    t = nextRun(spec, t);
    if (!t || t.getTime() > until.getTime()) break;
    out.push(t);
    if (out.length > max) out.shift();
  }
  return out;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (`YYYY-MM-DD`) of `at` in `timeZone`: the key of a run in the outbox. */
export function slotKey(timeZone: string, at: Date): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (dateFormats.size > 1000) dateFormats.clear();
    dateFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** `daily at 08:00 (Europe/London)`, `weekdays at 17:30 (America/New_York)`, `Mon, Thu at 07:15 (UTC)`. */
export function describeSpec(spec: ScheduleSpec): string {
  const days = ['daily', 'weekdays', 'weekends'].includes(spec.days)
    ? spec.days
    : daySet(spec.days).map((d) => d[0]!.toUpperCase() + d.slice(1)).join(', ');
  return `${days} at ${spec.time} (${spec.timeZone})`;
}

/** The identity of a schedule: one active schedule per platform, channel, days, time and zone. */
export function specKey(platform: string, channelId: string, spec: ScheduleSpec): string {
  return [platform, channelId, spec.days, spec.time, spec.timeZone].join('|');
}
