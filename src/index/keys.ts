/**
 * Keys and folding for names, shared by the index (cross-story entity keys) and the core
 * (name resolution), so that both read "Zelenskyy", "ZELENSKYY" and "Zelénskyy" the same way.
 */
import { createHash } from 'node:crypto';
import type { EntityType } from '../parse/types.js';

/**
 * Folds a name for comparison: NFKD, diacritics and format characters (zero-width, bidi
 * controls) removed, lower case, possessive `'s` dropped, punctuation turned into spaces,
 * whitespace collapsed. `"Zakharova’s"` → `"zakharova"`, `"U.S."` → `"u s"`.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\p{Mn}\p{Cf}]/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The cross-story key of an entity: `${type}:${folded name with hyphens}`.
 * `entityKey('person', 'Maria Zakharova')` → `"person:maria-zakharova"`.
 */
export function entityKey(type: EntityType, name: string): string {
  return `${type}:${foldName(name).replace(/ /g, '-')}`;
}

/** One word of a quote: its folded form (for comparing) and its surface form and offsets (for showing). */
export interface QuoteToken {
  /** Folded: NFKD, marks and case gone, apostrophes and digit-group separators dropped (`Don’t` → `dont`, `6,000` → `6000`). */
  word: string;
  /** As written. */
  surface: string;
  /** Offsets in the text (UTF-16, end exclusive). */
  start: number;
  end: number;
}

/**
 * A word of a quote: a number with its group separators (`6,000`, `3.40`), or letters and digits
 * with inner apostrophes (`don’t`, `Russia’s`). Hyphens, dashes, quotation marks and every other
 * punctuation separate words.
 */
const QUOTE_TOKEN = /\p{N}+(?:[.,:]\p{N}+)*|[\p{L}\p{M}\p{N}]+(?:['’ʼ‘][\p{L}\p{M}\p{N}]+)*/gu;

/**
 * The words of quoted text, for comparing a claimed quote with stored ones: case, accents,
 * punctuation, quotation-mark and apostrophe styles do not matter.
 * `quoteTokens('“Don’t wait,” she said')` → words `dont`, `wait`, `she`, `said`.
 */
export function quoteTokens(text: string): QuoteToken[] {
  const out: QuoteToken[] = [];
  for (const m of text.matchAll(QUOTE_TOKEN)) {
    const word = m[0]
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/['’ʼ‘]/g, '')
      .replace(/(?<=\p{N})[.,:](?=\p{N})/gu, '');
    if (word) out.push({ word, surface: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * The key of a quote's words: a 52-bit integer (safe in JavaScript, a BIGINT in SQL) hashed from
 * its folded words (`quoteTokens`), equal for the same words whatever their punctuation, case or
 * quotation marks. Null for text without words.
 */
export function quoteKey(text: string): number | null {
  const words = quoteTokens(text).map((t) => t.word);
  if (words.length === 0) return null;
  return Number.parseInt(createHash('sha1').update(words.join(' ')).digest('hex').slice(0, 13), 16);
}

/**
 * Query parameters that only say how a reader arrived (campaign and click trackers), never which
 * story: Google Analytics' `utm_*` and `_ga`/`_gl`, ad click ids (`gclid`, `dclid`, `gbraid`,
 * `wbraid`, `fbclid`, `msclkid`, `yclid`, `twclid`, `ttclid`, `li_fat_id`), mail and social
 * trackers (`mc_cid`, `mc_eid`, `igshid`, `mkt_tok`, `ocid`, `cmpid`, `s_cid`). Matched case-insensitively.
 */
const TRACKING_PARAM = /^(utm_[a-z0-9_]*|_ga|_gl|gclid|gclsrc|dclid|gbraid|wbraid|fbclid|msclkid|yclid|twclid|ttclid|li_fat_id|mc_cid|mc_eid|igshid|mkt_tok|ocid|cmpid|s_cid)$/i;

/**
 * A story URL as it identifies the story: tracking parameters (see `TRACKING_PARAM`) and the
 * fragment removed, everything else as given (`https://n.example/a?id=7&utm_source=rss#top` →
 * `https://n.example/a?id=7`). A URL with neither, and text that is not an absolute URL, is
 * returned trimmed, exactly as given.
 */
export function storyUrl(url: string): string {
  const t = url.trim();
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return t;
  }
  const params = [...u.searchParams];
  const keep = params.filter(([k]) => !TRACKING_PARAM.test(k));
  // Untouched when there is nothing to drop, so identities stored before this rule stay as they were.
  if (keep.length === params.length && !u.hash && !t.endsWith('#')) return t;
  u.hash = '';
  if (keep.length !== params.length) {
    u.search = '';
    for (const [k, v] of keep) u.searchParams.append(k, v);
  }
  return u.href;
}
