/**
 * Merging repeated quotes. A story often prints the same words twice (the lede and again
 * lower down), or a partial quote that is part of a longer one it also prints; a wire story
 * and its rewrite carry the same quote. Each distinct quote is shown once, with how often it appears.
 */
import { foldName } from '../index/keys.js';
import type { QuoteRecord } from '../index/types.js';
import { citeQuote } from './context.js';
import type { Block } from './types.js';

/** A quote with the number of times its words appear among the quotes merged into it. */
export interface MergedQuote {
  quote: QuoteRecord;
  occurrences: number;
}

/** Shortest partial quote, in words, merged into a longer quote of the same speaker containing it. */
export const MIN_CONTAINED_WORDS = 4;

const speakerOf = (q: QuoteRecord) => q.speakerKey ?? `name:${foldName(q.speakerName)}`;

/**
 * Merges quotes with the same speaker whose words are the same (case, punctuation and
 * accents aside), or whose words (at least `MIN_CONTAINED_WORDS` of them) are contained in a
 * longer quote of the same speaker. The first occurrence (input order) is kept, except that a
 * contained quote yields to the longer one. Input order is preserved otherwise. A direct quote
 * lying inside the same speaker's reported speech in the same story is left out: the reported
 * speech shows it.
 */
export function mergeQuotes(quotes: QuoteRecord[]): MergedQuote[] {
  const out: (MergedQuote & { folded: string; speaker: string })[] = [];
  // A direct quote printed inside the same speaker's reported speech ("said the plan was “reckless”")
  // is shown by that reported speech, marks and all; listing it again would repeat it.
  const nested = (q: QuoteRecord) =>
    q.kind === 'direct' &&
    quotes.some(
      (p) => p !== q && p.kind === 'indirect' && p.storyId === q.storyId && speakerOf(p) === speakerOf(q) && p.start <= q.start && q.end <= p.end,
    );
  for (const q of quotes) {
    if (nested(q)) continue;
    const folded = foldName(q.text);
    const speaker = speakerOf(q);
    if (!folded) continue;
    const words = folded.split(' ').length;
    const same = out.find(
      (m) =>
        m.speaker === speaker &&
        (m.folded === folded ||
          (words >= MIN_CONTAINED_WORDS && ` ${m.folded} `.includes(` ${folded} `)) ||
          (m.folded.split(' ').length >= MIN_CONTAINED_WORDS && ` ${folded} `.includes(` ${m.folded} `))),
    );
    if (!same) {
      out.push({ quote: q, occurrences: 1, folded, speaker });
      continue;
    }
    same.occurrences++;
    if (folded.length > same.folded.length) {
      same.quote = q;
      same.folded = folded;
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
