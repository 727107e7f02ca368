import { describe, expect, it } from 'vitest';
import { layout } from '../../src/parse/layout.js';
import { findQuoteSpans } from '../../src/parse/quotemarks.js';
import { splitSentences } from '../../src/parse/sentences.js';

/** Sentences of a text whose first line is a sentence (so no headline is taken), as index.ts computes them. */
function split(text: string): string[] {
  const l = layout(text);
  const quotes = findQuoteSpans(text, l.paragraphs).filter((q) => q.depth === 0 && q.closed);
  return splitSentences(text, l.paragraphs, quotes).map((s) => s.text);
}

describe('sentences: abbreviations and initials', () => {
  it('does not split after U.S. followed by a noun, or after Gen. and Sept.', () => {
    expect(split('The U.S. Army said Gen. Mark Ellis will visit Sept. 12 with aides. Officials confirmed the trip.')).toEqual([
      'The U.S. Army said Gen. Mark Ellis will visit Sept. 12 with aides.',
      'Officials confirmed the trip.',
    ]);
  });

  it('splits after a quotation closed by a period even when its last word is an abbreviation-like word or a title follows', () => {
    expect(split('Asked again, Sen. Rob Iler said: “No.” Sen. Ann Wu said: “Yes.”')).toEqual(['Asked again, Sen. Rob Iler said: “No.”', 'Sen. Ann Wu said: “Yes.”']);
  });
  it('splits after U.S. when the next word opens a sentence', () => {
    expect(split('He moved his family to the U.S. The job paid well.')).toEqual(['He moved his family to the U.S.', 'The job paid well.']);
  });

  it('does not split after Dr., Mr., Mrs. or Ms.', () => {
    expect(split('Dr. Ana Ruiz met Mr. Tom Ford and Mrs. Eva Ford. Ms. Lindqvist was not there.')).toEqual([
      'Dr. Ana Ruiz met Mr. Tom Ford and Mrs. Eva Ford.',
      'Ms. Lindqvist was not there.',
    ]);
  });

  it('does not split after middle initials or dotted initials', () => {
    expect(split('Marcus T. Hollis III and R.J. Whitcombe Jr. attended the hearing. The talks ended at noon.')).toEqual([
      'Marcus T. Hollis III and R.J. Whitcombe Jr. attended the hearing.',
      'The talks ended at noon.',
    ]);
  });

  it('keeps decimals and times whole', () => {
    expect(split('Revenue rose 3.5 percent to $4.2 billion. Alerts went out at 4:12 p.m. on Friday.')).toEqual([
      'Revenue rose 3.5 percent to $4.2 billion.',
      'Alerts went out at 4:12 p.m. on Friday.',
    ]);
  });

  it('splits on ! and ? outside quotations', () => {
    expect(split('Where did the money go? Nobody knows! The audit starts Monday.')).toEqual(['Where did the money go?', 'Nobody knows!', 'The audit starts Monday.']);
  });
});

describe('sentences: quotations', () => {
  it('does not end a sentence at ! or ? inside a quotation followed by the attribution', () => {
    expect(split('“Stop!” she shouted. Nobody did.')).toEqual(['“Stop!” she shouted.', 'Nobody did.']);
    expect(split('“Is this it?” he asked. She shrugged.')).toEqual(['“Is this it?” he asked.', 'She shrugged.']);
  });

  it('keeps a multi-sentence quotation in one sentence with its attribution', () => {
    expect(split('“We lost. We will be back,” he said. Then he left.')).toEqual(['“We lost. We will be back,” he said.', 'Then he left.']);
    expect(split('"Where did the money go? Ask her. She knows," de la Fuente said. The jury left.')).toEqual([
      '"Where did the money go? Ask her. She knows," de la Fuente said.',
      'The jury left.',
    ]);
  });

  it('splits after a quotation that ends a sentence when a new sentence follows', () => {
    expect(split('Ortega said: “I built that house. I was not leaving.” He left at midnight.')).toEqual([
      'Ortega said: “I built that house. I was not leaving.”',
      'He left at midnight.',
    ]);
  });

  it('never crosses a paragraph break and reports the paragraph of each sentence', () => {
    const text = 'Board votes on fares\nThe board met. It voted\n\nagainst the plan. Fares rise.';
    const l = layout(text);
    const s = splitSentences(text, l.paragraphs);
    expect(s.map((x) => [x.text, x.paragraph])).toEqual([
      ['The board met.', 0],
      ['It voted', 0],
      ['against the plan.', 1],
      ['Fares rise.', 1],
    ]);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
    expect(s.map((x) => x.index)).toEqual([0, 1, 2, 3]);
  });
});
