/**
 * Finding stored quotes that resemble a claimed one (`/check`), the same way on both backends.
 * Each backend keeps the words of every direct quote and reported speech in a full-text index
 * (SQLite: the FTS5 table `quotes_fts`; PostgreSQL: a `tsvector` on `quote_search`) and gives
 * the three look-ups below; this module decides which to run, so the cost stays bounded however
 * common the claim's words are:
 *
 * 1. The rarest few words of the claim together (`allWords`): a quote that kept them is found
 *    whatever else changed. The engines walk the rarest word's list and skip through the others.
 * 2. When a rare word may be the one that changed: quotes holding any two of the claim's rare
 *    words (each held by fewer than `COMMON_QUOTES` quotes), every pair asked for together, so a
 *    quote sharing more of them is hit by more pairs and comes first; with one rare word, its quotes.
 * 3. When neither finds anything: the rarest words together, each left out in turn (when one of
 *    them is rare).
 *
 * Words held by no quote are left out of every look-up (a changed word finds nothing).
 * Document frequencies are counted up to `COMMON_QUOTES` and cached (they drift slowly).
 * What comes back are candidates only: the core aligns each with the claim and gives the verdict.
 */

/** How a backend searches its quotes' words. Ids are the backend's quote-search row ids. */
export interface QuoteWordIndex {
  /** Quotes holding `word`, counted up to `cap`. */
  wordCount(word: string, cap: number): Promise<number>;
  /** Ids of quotes holding every word in `words`, lowest id (first stored) first, at most `limit`. */
  allWords(words: readonly string[], limit: number): Promise<number[]>;
  /** Ids of quotes holding `word`, at most `limit`. */
  withWord(word: string, limit: number): Promise<number[]>;
}

/** Stories carrying one quote counted at most (a quote repeated in more is "1,000+"): counting stays bounded. */
export const MAX_COUNTED_STORIES = 1000;
/** Quotes holding a word at which it counts as common: it is then only used together with rarer words. */
export const COMMON_QUOTES = 2000;
/** Words of a claim looked at, at most. */
const MAX_WORDS = 40;
/** Rarest words asked for together. */
const STRONG_WORDS = 4;
/** Rare words paired, at most (15 pairs). */
const RARE_WORDS = 6;
/** Quotes one pair of rare words may bring. */
const PAIR_LIMIT = 20;
/** How long a counted document frequency is reused, in milliseconds. */
const DF_CACHE_MS = 10 * 60_000;

/**
 * The search words of a claim: runs of letters and digits, lower-cased, distinct, at most
 * `MAX_WORDS` (how both engines' tokenizers split text; neither gives a word operator meaning).
 */
export function claimWords(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    out.add(m[0]);
    if (out.size >= MAX_WORDS) break;
  }
  return [...out];
}

/** Document frequencies of words, counted up to `COMMON_QUOTES`, cached for a while. */
export class WordCounts {
  private readonly cache = new Map<string, { n: number; at: number }>();
  constructor(private readonly index: QuoteWordIndex) {}

  async of(word: string): Promise<number> {
    const hit = this.cache.get(word);
    const t = Date.now();
    if (hit && t - hit.at < DF_CACHE_MS) return hit.n;
    const n = await this.index.wordCount(word, COMMON_QUOTES);
    if (this.cache.size >= 20_000) this.cache.clear();
    this.cache.set(word, { n, at: t });
    return n;
  }

  /** Forgets every count (the quotes changed a lot, or a test wants fresh counts). */
  clear(): void {
    this.cache.clear();
  }
}

/**
 * Ids of quotes that may be `text` or a variant of it (see the module docstring), at most `limit`,
 * those sharing the rarest words first.
 * @param thorough false: stop after step 1 (the caller tries again
 *   thoroughly when those candidates do not match)
 */
export async function candidateIds(index: QuoteWordIndex, counts: WordCounts, text: string, limit: number, thorough = true): Promise<number[]> {
  const words = claimWords(text);
  const dfs = await Promise.all(words.map((w) => counts.of(w)));
  // Rarest first; words counted only up to the cap tie, and among them a longer word is likelier rarer
  // (four common short words together make the engine walk four long lists).
  const present = words.map((w, i) => ({ w, df: dfs[i]! })).filter((x) => x.df > 0).sort((a, b) => a.df - b.df || b.w.length - a.w.length || a.w.localeCompare(b.w));
  if (present.length === 0) return [];
  const out: number[] = [];
  const seen = new Set<number>();
  const add = (ids: number[]) => {
    for (const id of ids) if (!seen.has(id) && out.length < limit) (seen.add(id), out.push(id));
  };
  const strong = present.slice(0, STRONG_WORDS).map((x) => x.w);
  add(await index.allWords(strong, Math.ceil(limit / 2)));
  if (!thorough) return out;
  const rare = present.filter((x) => x.df < COMMON_QUOTES).slice(0, RARE_WORDS).map((x) => x.w);
  if (rare.length === 1) add(await index.withWord(rare[0]!, limit));
  if (rare.length >= 2) {
    // Quotes sharing two rare words or more: every pair of them together (each an AND the engine
    // answers by skipping through both lists), quotes hit by more pairs first.
    const hits = new Map<number, number>();
    for (let i = 0; i < rare.length; i++) {
      for (let j = i + 1; j < rare.length; j++) {
        for (const id of await index.allWords([rare[i]!, rare[j]!], PAIR_LIMIT)) hits.set(id, (hits.get(id) ?? 0) + 1);
      }
    }
    add([...hits.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id));
  }
  // Each of the rarest words left out in turn; only when one of them is rare, so that every such
  // AND walks a short list (four common words together cost as much as reading them all).
  if (out.length === 0 && strong.length > 1 && present[0]!.df < COMMON_QUOTES) {
    for (let i = 0; i < strong.length; i++) add(await index.allWords(strong.filter((_, j) => j !== i), Math.ceil(limit / strong.length)));
  }
  return out;
}
