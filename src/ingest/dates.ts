import type { ArticleInput } from '../index/types.js';
import type { ParsedArticle } from '../parse/types.js';

/**
 * Lenient date parsing for feeds, pages and wire JSON. Feeds in the wild write RFC 822 dates
 * with zone abbreviations (`EST`, `BST`, `CEST`), two-digit years, wrong weekdays, ISO 8601 with
 * or without a zone, US and European numeric dates, `2:30 PM ET`, and worse. A date that cannot
 * be read is reported as null so that the item is kept without it; it is never guessed.
 *
 * Formats: RFC 822 §5 and RFC 2822 §3.3 (obsolete zones included), ISO 8601 / RFC 3339.
 */

/** Offsets in minutes east of UTC for zone abbreviations newsrooms and feeds use. */
const ZONES: Record<string, number> = {
  Z: 0,
  UT: 0,
  UTC: 0,
  GMT: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  IST: 330, // India Standard Time, the most common reading in feeds
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  GST: 240,
  PKT: 300,
  ICT: 420,
  WIB: 420,
  HKT: 480,
  SGT: 480,
  AWST: 480,
  JST: 540,
  KST: 540,
  ACST: 570,
  ACDT: 630,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  AST: -240,
  ADT: -180,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  AKST: -540,
  AKDT: -480,
  HST: -600,
  BRT: -180,
  ART: -180,
};

/** US generic zones ("2:30 PM ET"): standard offset in minutes; daylight time adds an hour under US rules. */
const US_GENERIC: Record<string, number> = { ET: -300, CT: -360, MT: -420, PT: -480 };

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

/** Day of month of the n-th Sunday (n ≥ 1) of `month` (1-12) in `year`. */
function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + 7 * (n - 1);
}

/** Whether a local wall-clock time falls in US daylight time (second Sunday of March to first Sunday of November, 2 a.m.). */
function usDaylight(y: number, mo: number, d: number, h: number): boolean {
  if (mo < 3 || mo > 11) return false;
  if (mo > 3 && mo < 11) return true;
  if (mo === 3) {
    const s = nthSunday(y, 3, 2);
    return d > s || (d === s && h >= 2);
  }
  const s = nthSunday(y, 11, 1);
  return d < s || (d === s && h < 2);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function fullYear(y: number, digits: number): number {
  if (digits > 2) return y;
  // RFC 2822 §4.3: two-digit years 00-49 are 2000-2049, 50-99 are 1950-1999.
  return y < 50 ? 2000 + y : 1900 + y;
}

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

/** Reads a zone token: `Z`, `+01:00`, `-0500`, `GMT+1`, `UTC-03:30`, an abbreviation, a US generic zone. */
function zoneOffset(tok: string | undefined, p: Parts): number | null {
  if (!tok) return null;
  const t = tok.replace(/[()]/g, '').toUpperCase();
  const num = /^(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(t);
  if (num) {
    const hh = Number(num[2]);
    const mm = Number(num[3] ?? 0);
    if (hh > 14 || mm > 59) return null;
    return (num[1] === '-' ? -1 : 1) * (hh * 60 + mm);
  }
  if (t in ZONES) return ZONES[t]!;
  if (t in US_GENERIC) return US_GENERIC[t]! + (usDaylight(p.y, p.mo, p.d, p.h) ? 60 : 0);
  return null;
}

function build(p: Parts, offsetMin: number): string | null {
  if (p.y < 1900 || p.y > 2200 || p.mo < 1 || p.mo > 12 || p.d < 1 || p.d > daysInMonth(p.y, p.mo)) return null;
  if (p.h > 24 || p.mi > 59 || p.s > 60 || (p.h === 24 && (p.mi > 0 || p.s > 0))) return null;
  const t = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, Math.min(p.s, 59), p.ms) - offsetMin * 60_000;
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

const ISO =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5})?$/;

/**
 * Parses a date-time as feeds, pages and wire JSON write it.
 * A missing zone is read as UTC; an unknown zone abbreviation makes the date unreadable (null)
 * rather than silently off by hours.
 * @param input e.g. "Tue, 05 Mar 2024 14:30:00 EST", "2024-03-05T14:30:00+01:00", "March 5, 2024 2:30 PM ET"
 * @param opts.dayFirst read an ambiguous slashed or dashed date ("05/03/2024") as day/month, as most of the
 *   world writes it; default false (US month/day). Dotted dates are always day.month.year.
 * @returns an ISO 8601 UTC string ("2024-03-05T19:30:00.000Z"), or null when the input is empty or unreadable
 */
export function parseLooseDate(input: string | null | undefined, opts: { dayFirst?: boolean } = {}): string | null {
  if (input == null) return null;
  let s = String(input).trim().replace(/\s+/g, ' ');
  if (!s) return null;
  if (/^\d{9,10}$/.test(s)) return new Date(Number(s) * 1000).toISOString(); // Unix seconds
  if (/^\d{12,13}$/.test(s)) return new Date(Number(s)).toISOString(); // Unix milliseconds

  const iso = ISO.exec(s);
  if (iso) {
    const p: Parts = {
      y: Number(iso[1]),
      mo: Number(iso[2]),
      d: Number(iso[3]),
      h: Number(iso[4] ?? 0),
      mi: Number(iso[5] ?? 0),
      s: Number(iso[6] ?? 0),
      ms: iso[7] ? Number(iso[7].slice(0, 3).padEnd(3, '0')) : 0,
    };
    const off = iso[8] ? zoneOffset(iso[8], p) : 0;
    return off === null ? null : build(p, off);
  }

  // Drop weekday names (right or wrong), "at", ordinal suffixes and commas.
  s = s
    .replace(/\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|rsday|urday)?\b\.?,?/gi, ' ')
    .replace(/\bat\b/gi, ' ')
    .replace(/(\d)(?:st|nd|rd|th)\b/gi, '$1')
    .replace(/,/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

  let y: number | undefined;
  let mo: number | undefined;
  let d: number | undefined;
  let rest = s;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => boolean): boolean => {
    const m = re.exec(rest);
    if (!m || !fn(m)) return false;
    rest = (rest.slice(0, m.index) + ' ' + rest.slice(m.index + m[0].length)).trim();
    return true;
  };
  const dmy = new RegExp(`\\b(\\d{1,2})[ -]${MONTH_RE}[ -](\\d{4}|\\d{2})\\b`, 'i');
  const mdy = new RegExp(`\\b${MONTH_RE} (\\d{1,2}) (\\d{4}|\\d{2})\\b`, 'i');
  const ymd = /\b(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b/;
  const numeric = /\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b/;
  const matched =
    take(dmy, (m) => {
      d = Number(m[1]);
      mo = MONTHS[m[2]!.toLowerCase().slice(0, 3)];
      y = fullYear(Number(m[3]), m[3]!.length);
      return true;
    }) ||
    take(mdy, (m) => {
      mo = MONTHS[m[1]!.toLowerCase().slice(0, 3)];
      d = Number(m[2]);
      y = fullYear(Number(m[3]), m[3]!.length);
      return true;
    }) ||
    take(ymd, (m) => {
      y = Number(m[1]);
      mo = Number(m[2]);
      d = Number(m[3]);
      return true;
    }) ||
    take(numeric, (m) => {
      const a = Number(m[1]);
      const b = Number(m[3]);
      y = fullYear(Number(m[4]), m[4]!.length);
      // Dots are European (day.month.year); slashes and dashes are read as US month/day (unless
      // `dayFirst`) when the first number can be a month.
      if (m[2] === '.' || a > 12 || (opts.dayFirst && b <= 12)) {
        d = a;
        mo = b;
      } else {
        mo = a;
        d = b;
      }
      return true;
    });
  if (!matched || y === undefined || mo === undefined || d === undefined) {
    return null;
  }

  let h = 0;
  let mi = 0;
  let sec = 0;
  const ampm = (hour: number, mer: string | undefined): number | null => {
    if (!mer) return hour;
    if (hour < 1 || hour > 12) return null;
    const pm = mer.toLowerCase().startsWith('p');
    return (hour % 12) + (pm ? 12 : 0);
  };
  let bad = false;
  take(/\b(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?(?: ?([ap])\.?m\b\.?)?/i, (m) => {
    const hh = ampm(Number(m[1]), m[4]);
    if (hh === null) bad = true;
    h = hh ?? 0;
    mi = Number(m[2]);
    sec = Number(m[3] ?? 0);
    return true;
  }) ||
    take(/\b(\d{1,2}) ?([ap])\.?m\b\.?/i, (m) => {
      const hh = ampm(Number(m[1]), m[2]);
      if (hh === null) bad = true;
      h = hh ?? 0;
      return true;
    }) ||
    take(/\b(\d{2})(\d{2})\b(?= ?(?:[A-Z]{1,5}|[+-]\d{4})?$)/, (m) => {
      // Military style "1430 GMT".
      h = Number(m[1]);
      mi = Number(m[2]);
      return true;
    });
  if (bad) return null;
  const p: Parts = { y, mo, d, h, mi, s: sec, ms: 0 };

  const left = rest.replace(/[()]/g, ' ').trim();
  if (!left) return build(p, 0);
  // "GMT +1" → "GMT+1"; in "-0500 (EST)" the abbreviation is an RFC 2822 comment after the offset.
  const tokens = left.replace(/\b(GMT|UTC|UT) (?=[+-])/i, '$1').split(/\s+/);
  const numericFirst = /^(?:GMT|UTC|UT)?[+-]\d{1,2}(?::?\d{2})?$/i.test(tokens[0]!);
  if (tokens.length > (numericFirst ? 2 : 1)) return null;
  if (!numericFirst && !/^[A-Za-z]{1,5}$/.test(tokens[0]!)) return null;
  const off = zoneOffset(tokens[0], p);
  return off === null ? null : build(p, off);
}

// ─── Dates inside the story: the byline block, the dateline, the lede ──────────────────────────

/** A publication date found in a story's own words. */
export interface FoundDate {
  /** ISO 8601 UTC, or null when the date could not be placed (no year, and none is clear). */
  iso: string | null;
  /** The date as written ("July 10, 2015", "March 3"). */
  raw: string;
}

/** Words that announce a date in a byline block ("Published 10 July 2015", "Updated: …"). */
const DATE_LABEL = /^(?:published|posted|first published|updated|last updated|modified)\b[:\s]*/i;

/**
 * Splits a byline block that also holds the date, as pages print it: `Dana Whitlock July 10,
 * 2015`, `By Dana Whitlock | Published 10 July 2015, 14:05 BST`, `Dana Whitlock · Updated 3:15 PM
 * ET Fri July 10, 2015`. The name is what comes before the first word from which the rest reads
 * as a date (`parseLooseDate`).
 * @returns the name without "By" and separators, the date (`updated` when labelled "Updated"), or
 *   null when the block holds no readable date (a plain byline)
 */
export function splitBylineDate(block: string): { byline: string | null; date: FoundDate; updated: boolean } | null {
  const t = block.replace(/\s+/g, ' ').trim();
  if (!/\d/.test(t) || t.length > 200) return null;
  const starts = [...t.matchAll(/(?:^|[\s|·•,;–—-])(?=\S)/g)].map((m) => m.index! + m[0].length);
  for (const at of starts) {
    const rest = t.slice(at).replace(/^[|·•,;–—-]\s*/, '');
    const updated = /^(?:updated|last updated|modified)\b/i.test(rest);
    const dateText = rest.replace(DATE_LABEL, '').trim();
    if (!dateText || !/\d/.test(dateText)) continue;
    const iso = parseLooseDate(dateText);
    if (!iso) continue;
    const byline = t
      .slice(0, at)
      .replace(/^by[:\s]+/i, '')
      .replace(/[\s|·•,;–—-]+$/, '')
      .trim();
    return { byline: byline || null, date: { iso, raw: dateText }, updated };
  }
  return null;
}

const MONTH_DAY = new RegExp(`\\b${MONTH_RE}\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?\\b`, 'i');
const DAY_MONTH = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH_RE}(?:,?\\s+(\\d{4}))?\\b`, 'i');

/** How far back of its reference time a year-less date may lie (days); later than the reference by at most 2 days. */
const YEARLESS_BACK_DAYS = 300;

/**
 * Reads a day-and-month (with or without a year) as newsrooms write it in datelines and ledes:
 * `March 3`, `Sept. 14`, `3 March`, `March 3, 2016`.
 * @param reference an ISO time the story is known to be close to (a live feed's fetch time). A
 *   date without a year gets the year that puts it within the 300 days before the reference (or up
 *   to 2 days after); without a reference, or when neither year fits, it stays unplaced (iso null).
 * @returns the date (midnight UTC of that day), or null when the text holds no day and month
 */
export function readDayMonth(text: string, reference: string | null = null): FoundDate | null {
  const md = MONTH_DAY.exec(text);
  const dm = md ? null : DAY_MONTH.exec(text);
  const m = md ?? dm;
  if (!m) return null;
  const mo = MONTHS[(md ? m[1]! : m[2]!).toLowerCase().slice(0, 3)]!;
  const d = Number(md ? m[2] : m[1]);
  const year = m[3] ? Number(m[3]) : null;
  const raw = m[0].trim();
  const at = (y: number): string | null => build({ y, mo, d, h: 0, mi: 0, s: 0, ms: 0 }, 0);
  if (year !== null) {
    const iso = at(year);
    return iso ? { iso, raw } : null;
  }
  const ref = reference ? Date.parse(reference) : NaN;
  if (!Number.isFinite(ref)) return { iso: null, raw };
  const refYear = new Date(ref).getUTCFullYear();
  for (const y of [refYear, refYear - 1, refYear + 1]) {
    const iso = at(y);
    if (!iso) continue;
    const t = Date.parse(iso);
    if (t <= ref + 2 * 86_400_000 && t >= ref - YEARLESS_BACK_DAYS * 86_400_000) return { iso, raw };
  }
  return { iso: null, raw };
}

/** What `storyTextDate` reads: the parse's dateline and its first body sentence. */
export interface StoryTextDateInput {
  /** The dateline as the parser found it (its span in `text`), or null. */
  dateline: { start: number; end: number } | null;
  /** The first body sentence, or null. */
  lede: string | null;
  /** The story text the dateline's offsets point into. */
  text: string;
}

/**
 * A publication date from the story's own opening: a dated dateline (`LONDON, March 3 (Wire) -`,
 * `LISBON, 3 March 2016 -`) or a lede that opens on its date (`On Sept. 14, …`,
 * `On Monday, Sept. 14, 2015, …`), the wire conventions for when the story was filed. See
 * `readDayMonth` for how a year-less date is placed.
 * @returns the date found (iso null when it could not be placed in a year), or null when the opening holds none
 */
export function storyTextDate(input: StoryTextDateInput, reference: string | null = null): FoundDate | null {
  if (input.dateline) {
    const found = readDayMonth(input.text.slice(input.dateline.start, input.dateline.end), reference);
    if (found) return found;
  }
  const lede = input.lede?.trim() ?? '';
  const opening = new RegExp(`^On\\s+(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\\s+)?(?=${MONTH_RE}\\s+\\d|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH_RE})`, 'i').exec(lede);
  if (opening) return readDayMonth(lede.slice(opening[0].length, opening[0].length + 40), reference);
  return null;
}

/**
 * The story with its publication time completed from its own opening (`storyTextDate`) when no
 * source gave one: the parse's dateline and first sentence are read, the year placed with the
 * story's `fetchedAt` (a live fetch) or `updatedAt`. A date that cannot be placed in a year is kept
 * as `publishedRaw` (when the source left none), so the ingest summary counts it.
 * @returns `input` itself when nothing changes, else a copy
 */
export function withStoryDate(input: ArticleInput, parsed: Pick<ParsedArticle, 'dateline' | 'sentences'>): ArticleInput {
  if (input.publishedAt && input.publishedAt.trim()) return input;
  const found = storyTextDate({ dateline: parsed.dateline, lede: parsed.sentences[0]?.text ?? null, text: input.text }, input.fetchedAt ?? input.updatedAt ?? null);
  if (!found) return input;
  if (found.iso) return { ...input, publishedAt: found.iso, publishedRaw: null };
  return input.publishedRaw ? input : { ...input, publishedRaw: found.raw };
}
