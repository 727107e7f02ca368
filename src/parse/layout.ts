/**
 * Layout stage: headline, byline, dateline and paragraphs of an article text.
 * Pure; offsets are UTF-16 indexes into the text as given.
 */
import type { Dateline, Paragraph, Span } from './types.js';

/** Result of the layout stage. */
export interface Layout {
  title: string | null;
  titleSpan: Span | null;
  byline: string | null;
  dateline: Dateline | null;
  /** Body paragraphs in order; the headline and byline lines are not among them. */
  paragraphs: Paragraph[];
}

const LINE = /[^\n\r\u2028\u2029]+/g;

/**
 * Dateline at the start of the body, in the common wire forms:
 * `MOSCOW —`, `SANTIAGO, Chile (Wire) —`, `LONDON, March 3 (Reuters) -`, `KAMPALA, Uganda —`.
 * The place is in capitals (letters, spaces, dots, apostrophes, hyphens); an optional
 * region/country and date follow after commas; an optional wire name in parentheses;
 * then a dash (em, en or hyphen) or a colon.
 */
const DATELINE =
  /^\s*((?:[A-Z\u00C0-\u00DE][A-Z\u00C0-\u00DE.'’-]*)(?:[ \t]+(?:[A-Z\u00C0-\u00DE][A-Z\u00C0-\u00DE.'’-]*))*)((?:,[ \t]*[A-Z][\p{L}\d.' ]{1,40}?)*)(?:[ \t]*\(([^)\n]{1,40})\))?[ \t]*(?:—|–|--|-|:)[ \t]+/u;

const MONTH = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}$/;

/** True when a line looks like a headline: short, no sentence-final period unless it is a question, no dateline. */
function looksLikeHeadline(line: string, next: string | undefined): boolean {
  const t = line.trim();
  if (!t || t.length > 200 || next === undefined) return false;
  if (DATELINE.test(t)) return false;
  if (/[.:;,]$/.test(t) && !/\b[A-Z][a-z]{0,3}\.$/.test(t)) return false;
  if (/^["“‘']/.test(t)) return false;
  const words = t.split(/\s+/).length;
  return words >= 2 && words <= 30;
}

/** Parses a dateline at `offset` of `text`; returns it and the offset where the body text starts. */
export function parseDateline(text: string, offset: number): { dateline: Dateline; bodyStart: number } | null {
  const rest = text.slice(offset, offset + 160);
  const m = DATELINE.exec(rest);
  if (!m) return null;
  const place = m[1]!.trim();
  // A dateline place is written in capitals and is short; "A" or "I" alone is not one.
  if (place.length < 2 || place.split(/\s+/).length > 5 || !/[A-Z]{2}/.test(place)) return null;
  const extra = (m[2] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const date = extra.find((s) => MONTH.test(s)) ?? null;
  const lead = m[0].length - m[0].trimStart().length;
  return {
    dateline: { place, date, wire: m[3]?.trim() ?? null, start: offset + lead, end: offset + m[0].trimEnd().length },
    bodyStart: offset + m[0].length,
  };
}

/**
 * Splits an article into headline, byline, dateline and paragraphs.
 * A headline is taken from the first line when it is short, unpunctuated and is followed
 * by more text. A byline is a line starting with "By ". Paragraphs are non-empty lines.
 */
export function layout(text: string): Layout {
  const lines: Span[] = [];
  for (const m of text.matchAll(LINE)) {
    const raw = m[0];
    const s = m.index! + (raw.length - raw.trimStart().length);
    const e = m.index! + raw.trimEnd().length;
    if (e > s) lines.push({ start: s, end: e });
  }
  let i = 0;
  let title: string | null = null;
  let titleSpan: Span | null = null;
  let byline: string | null = null;
  const first = lines[0];
  if (first) {
    const firstText = text.slice(first.start, first.end);
    const second = lines[1] ? text.slice(lines[1].start, lines[1].end) : undefined;
    if (looksLikeHeadline(firstText, second)) {
      title = firstText;
      titleSpan = first;
      i = 1;
    }
  }
  const maybeBy = lines[i];
  if (maybeBy) {
    const t = text.slice(maybeBy.start, maybeBy.end);
    if (/^By\s+\p{Lu}[\p{L}.'’ -]{1,80}$/u.test(t) && t.split(/\s+/).length <= 8) {
      byline = t.replace(/^By\s+/, '');
      i++;
    }
  }
  const paragraphs: Paragraph[] = [];
  let dateline: Dateline | null = null;
  for (; i < lines.length; i++) {
    const ln = lines[i]!;
    let start = ln.start;
    if (paragraphs.length === 0 && !dateline) {
      const d = parseDateline(text, ln.start);
      if (d && d.bodyStart < ln.end) {
        dateline = d.dateline;
        start = d.bodyStart;
      }
    }
    paragraphs.push({ index: paragraphs.length, start, end: ln.end });
  }
  return { title, titleSpan, byline, dateline, paragraphs };
}
