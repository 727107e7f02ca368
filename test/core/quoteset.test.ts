import { describe, expect, it } from 'vitest';
import type { QuoteRecord } from '../../src/index/types.js';
import { mergeQuotes, quoteBlock } from '../../src/core/quoteset.js';

let n = 0;
/** A quote record; `start` defaults to a fresh offset. */
function q(text: string, over: Partial<QuoteRecord> = {}): QuoteRecord {
  const start = over.start ?? (n += 100);
  return {
    storyId: 's1',
    storyTitle: 'Story one',
    storyDate: '2025-03-05T00:00:00.000Z',
    storyUrl: null,
    kind: 'direct',
    text,
    speakerName: 'Maria Zakharova',
    speakerKey: 'person:maria-zakharova',
    cue: 'said',
    context: `“${text}” she said.`,
    start,
    end: start + text.length,
    quoteId: `q${start}`,
    partial: false,
    sentence: start / 100,
    ...over,
  };
}

describe('mergeQuotes', () => {
  it('merges the same words from the same speaker, in any story, case and punctuation aside', () => {
    const out = mergeQuotes([
      q('An undisguised plan for intervention,'),
      q('Something else entirely'),
      q('an undisguised plan for intervention', { storyId: 's2' }),
      q('An undisguised plan for intervention,', { speakerKey: 'person:someone-else', speakerName: 'Someone Else' }),
    ]);
    expect(out.map((m) => [m.quote.text, m.occurrences])).toEqual([
      ['An undisguised plan for intervention,', 2],
      ['Something else entirely', 1],
      ['An undisguised plan for intervention,', 1],
    ]);
  });

  it('folds a part of a longer quote of the same story into it without counting it as a repeat', () => {
    const out = mergeQuotes([
      q('we will not accept troops on our border'),
      q('We will not accept troops on our border under any circumstances, and we have said so.'),
      q('we will not accept troops on our border', { storyId: 's2' }),
      q('not accept', {}),
    ]);
    expect(out.map((m) => [m.quote.text, m.occurrences])).toEqual([
      ['We will not accept troops on our border under any circumstances, and we have said so.', 1],
      ['we will not accept troops on our border', 1],
      ['not accept', 1],
    ]);
  });

  it('leaves out a direct quote printed inside the same speaker’s reported speech', () => {
    const reported = q('the plan was “categorically unacceptable” to Moscow', { kind: 'indirect', start: 1000 });
    const inner = q('categorically unacceptable', { start: 1013 });
    const other = q('categorically unacceptable', { start: 1013, speakerKey: 'person:x', speakerName: 'X' });
    const out = mergeQuotes([inner, reported, other]);
    expect(out.map((m) => m.quote)).toEqual([reported, other]);
  });

  it('makes a quote block without the comma the attribution left inside the marks', () => {
    const [m] = mergeQuotes([q('These troops will be targets,'), q('These troops will be targets,')]);
    expect(quoteBlock(m!)).toMatchObject({ type: 'quote', text: 'These troops will be targets', kind: 'direct', occurrences: 2, citation: { storyId: 's1', title: 'Story one' } });
  });
});
