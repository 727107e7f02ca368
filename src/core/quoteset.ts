/**
 * Merging repeated quotes. A story often prints the same words twice (the lede and again
 * lower down), or a partial quote that is part of a longer one it also prints; a wire story
 * and its rewrite carry the same quote. Each distinct quote is shown once, with how often it appears.
 */
import { foldName } from '../index/keys.js';
import type { ArticleIndex, QuoteRecord } from '../index/types.js';
import { citeQuote } from './context.js';
import type { Block } from './types.js';

/**
 * A quote with the number of times its exact words appear: among the quotes merged into it
 * (`mergeQuotes`), or, once `withRepeatCounts` has run, in all the stories indexed.
 */
export interface MergedQuote {
  quote: QuoteRecord;
  occurrences: number;
}

/** Shortest partial quote, in words, merged into a longer quote of the same speaker containing it. */
export const MIN_CONTAINED_WORDS = 4;

const speakerOf = (q: QuoteRecord) => q.speakerKey ?? `name:${foldName(q.speakerName)}`;

/**
 * Merges quotes with the same speaker whose words are the same (case, punctuation and
 * accents aside), in any story, and, within one story, a quote of at least
 * `MIN_CONTAINED_WORDS` words that is part of a longer quote of the same speaker. The first
 * occurrence (input order) keeps its place; a contained quote yields to the longer one.
 * A direct quote lying inside the same speaker's reported speech in the same story is left
 * out: the reported speech shows it, marks and all. Linear in the number of quotes except for
 * the containment check, which is bounded by the quotes of one speaker in one story.
 */
export function mergeQuotes(quotes: QuoteRecord[]): MergedQuote[] {
  type Entry = MergedQuote & { folded: string; words: number };
  const out: Entry[] = [];
  const exact = new Map<string, Entry>();
  const perStory = new Map<string, Entry[]>();
  const reported = new Map<string, { starts: number[]; maxEnd: number[] }>();
  for (const q of [...quotes].filter((x) => x.kind === 'indirect').sort((a, b) => a.start - b.start)) {
    const k = `${q.storyId}\u0000${speakerOf(q)}`;
    const r = reported.get(k) ?? { starts: [], maxEnd: [] };
    r.starts.push(q.start);
    r.maxEnd.push(Math.max(q.end, r.maxEnd.at(-1) ?? -1));
    reported.set(k, r);
  }
  /** Whether reported speech of the same speaker and story spans `q`: some start ≤ q.start with end ≥ q.end. */
  const insideReported = (q: QuoteRecord, key: string) => {
    const r = reported.get(key);
    if (!r) return false;
    let lo = 0;
    let hi = r.starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (r.starts[mid]! <= q.start) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return at >= 0 && r.maxEnd[at]! >= q.end;
  };
  for (const q of quotes) {
    const speaker = speakerOf(q);
    const storyKey = `${q.storyId}\u0000${speaker}`;
    if (q.kind === 'direct' && insideReported(q, storyKey)) continue;
    const folded = foldName(q.text);
    if (!folded) continue;
    const words = folded.split(' ').length;
    const repeat = exact.get(`${speaker}\u0000${folded}`);
    const same =
      repeat ??
      (perStory.get(storyKey) ?? []).find(
        (m) =>
          (words >= MIN_CONTAINED_WORDS && ` ${m.folded} `.includes(` ${folded} `)) ||
          (m.words >= MIN_CONTAINED_WORDS && ` ${folded} `.includes(` ${m.folded} `)),
      );
    if (!same) {
      const entry: Entry = { quote: q, occurrences: 1, folded, words };
      out.push(entry);
      exact.set(`${speaker}\u0000${folded}`, entry);
      const list = perStory.get(storyKey);
      if (list) list.push(entry);
      else perStory.set(storyKey, [entry]);
      continue;
    }
    // Only the same words again count as another occurrence; a part of a longer quote is absorbed by it.
    if (repeat) same.occurrences++;
    if (folded.length > same.folded.length) {
      // The longer words now stand for the entry; the absorbed part is matched again only within its story.
      exact.delete(`${speaker}\u0000${same.folded}`);
      same.quote = q;
      same.folded = folded;
      same.words = words;
      exact.set(`${speaker}\u0000${folded}`, same);
    }
  }
  return out.map(({ quote, occurrences }) => ({ quote, occurrences }));
}

/** The reply block of a merged quote. */
export function quoteBlock(m: MergedQuote): Extract<Block, { type: 'quote' }> {
  const q = m.quote;
  return {
    type: 'quote',
    // A quote that ends its sentence's first clause keeps the comma inside the marks ("…target,” she said); it is not the speaker's.
    text: q.text.replace(/,\s*$/, ''),
    speaker: q.speakerName,
    kind: q.kind,
    context: q.context || null,
    cue: q.cue,
    citation: citeQuote(q),
    ...(m.occurrences > 1 ? { occurrences: m.occurrences } : {}),
  };
}

/**
 * The merged quotes with `occurrences` set to how often the same words from the same speaker
 * appear in all the stories indexed (`ArticleIndex.quoteRepeats`), so a quote "appears N times"
 * alike under `/quotes`, `/quotes NAME` and `/who`, whatever window of quotes each one merged.
 * Call it on the quotes shown (one index lookup each), not on every merged quote.
 */
export async function withRepeatCounts(index: ArticleIndex, merged: readonly MergedQuote[], now: Date): Promise<MergedQuote[]> {
  if (merged.length === 0) return [];
  const counts = await index.quoteRepeats(merged.map((m) => m.quote), now);
  // A quote is there at least once, even when its words fold to nothing the index keys.
  return merged.map((m, i) => ({ quote: m.quote, occurrences: Math.max(1, counts[i] ?? 0) }));
}
