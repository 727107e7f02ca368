/**
 * Small text helpers of the core: cleaning what users type, and short plain-text forms for
 * replies. Plain text only; renderers do each platform's escaping.
 */
import { eng as engStopWords } from 'stopword';

/**
 * Cleans a command argument: Unicode NFKC, control characters and invisible format characters
 * (zero-width spaces and joiners, bidi overrides, the BOM: categories Cc and Cf) removed,
 * whitespace collapsed, trimmed. Letters of every script, right-to-left ones included, are kept.
 */
export function cleanArgument(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\p{Cf}]/gu, '')
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

/**
 * `text` cut to at most `max` characters (UTF-16 units) on a word boundary when possible, with an
 * ellipsis; never between the two halves of a surrogate pair (an emoji), which would leave a
 * broken character.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(1, max - 1);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  const cut = text.slice(0, end);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** What the user typed, quoted for a reply: curly quotes, at most 60 characters. */
export function echo(text: string): string {
  return `“${clip(text, 60)}”`;
}

/** `1 story`, `2 stories`: a count with its noun, pluralised the English way. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}

/** The calendar day of an ISO time, `YYYY-MM-DD`, or null. */
export function day(iso: string | null | undefined): string | null {
  return iso ? iso.slice(0, 10) : null;
}

/**
 * How a reply shows a story's date: `2026-11-29`, or for an undated story `undated, first seen
 * 2026-11-29` (never a first-seen date passed off as a publication date). Null without a date.
 */
export function storyDay(iso: string | null | undefined, undated = false): string | null {
  const d = day(iso);
  return d && undated ? `undated, first seen ${d}` : d;
}

/** Joins names the English way: `A`, `A and B`, `A, B and C`. */
export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** English words too common to pick a story by (`stopword`'s English list, plus a few that list lacks). */
const STOP_WORDS: ReadonlySet<string> = new Set([...engStopWords, 'also', 'yet', 'us', 'its', 'it’s', 'it\'s']);

/**
 * The words of a query that can pick a story: letters and digits kept, stop words ("in", "the",
 * "of"; English, from the `stopword` package) dropped. `bananas in space` → `['bananas', 'space']`.
 */
export function meaningfulWords(query: string): string[] {
  return query
    .split(/[^\p{L}\p{N}'’.-]+/u)
    .map((w) => w.replace(/^[.'’-]+|[.'’-]+$/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w) && !STOP_WORDS.has(w.toLowerCase()));
}

/** True when `text` holds at least one letter or digit (`*`, `???` and `--` do not). */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
