import { describe, expect, it } from 'vitest';
import { layout } from '../../src/parse/layout.js';
import { findQuoteSpans } from '../../src/parse/quotemarks.js';
import { parseArticle } from '../../src/parse/index.js';

/** Quoted texts (marks excluded) with depth and closed flag, in order of their opening mark. */
function spans(text: string): { text: string; depth: number; closed: boolean; mark: string }[] {
  return findQuoteSpans(text, layout(text).paragraphs).map((s) => ({ text: text.slice(s.start, s.end), depth: s.depth, closed: s.closed, mark: s.mark }));
}

describe('quotemarks: conventions', () => {
  it('finds curly double quotes', () => {
    expect(spans('He called it “reckless” and left. “We are done,” he said.')).toEqual([
      { text: 'reckless', depth: 0, closed: true, mark: 'double' },
      { text: 'We are done,', depth: 0, closed: true, mark: 'double' },
    ]);
  });

  it('finds straight double quotes, including one opening the paragraph', () => {
    expect(spans('"I don\'t feel like celebrating," he said. She called it "simply too high."')).toEqual([
      { text: "I don't feel like celebrating,", depth: 0, closed: true, mark: 'double' },
      { text: 'simply too high.', depth: 0, closed: true, mark: 'double' },
    ]);
  });

  it('finds UK single quotes with doubles nested inside', () => {
    expect(spans('‘Everyone calls it “a managed decant”, as if that helps,’ she said.')).toEqual([
      { text: 'Everyone calls it “a managed decant”, as if that helps,', depth: 0, closed: true, mark: 'single' },
      { text: 'a managed decant', depth: 1, closed: true, mark: 'double' },
    ]);
  });

  it('finds straight singles nested in straight doubles', () => {
    expect(spans(`"She told me, 'Trust the process,' and I did," Kessler said.`)).toEqual([
      { text: "She told me, 'Trust the process,' and I did,", depth: 0, closed: true, mark: 'double' },
      { text: 'Trust the process,', depth: 1, closed: true, mark: 'single' },
    ]);
  });

  it('finds straight double quotes nested in straight UK singles', () => {
    expect(spans(`'I said to them, "Nobody is coming to save us." They listened,' he said.`)).toEqual([
      { text: 'I said to them, "Nobody is coming to save us." They listened,', depth: 0, closed: true, mark: 'single' },
      { text: 'Nobody is coming to save us.', depth: 1, closed: true, mark: 'double' },
    ]);
  });
});

describe('quotemarks: apostrophes', () => {
  it('does not take apostrophes inside words as marks', () => {
    expect(spans('‘Don’t blame Zelenskyy’s team,’ he said.').map((s) => s.text)).toEqual(['Don’t blame Zelenskyy’s team,']);
    expect(spans('Zelenskyy’s office said O’Brien won’t attend.')).toEqual([]);
  });

  it('does not close a UK quote at a plural possessive (the owners’ position)', () => {
    expect(spans('‘The owners’ position hasn’t changed,’ the source said.').map((s) => s.text)).toEqual(['The owners’ position hasn’t changed,']);
    expect(spans(`'The fans' money is in that boy's boots, and they know it,' she said.`).map((s) => s.text)).toEqual([
      "The fans' money is in that boy's boots, and they know it,",
    ]);
  });

  it('finds no quote in narrative plural possessives and elisions', () => {
    expect(spans('The tenants’ association met in the ’90s hall.')).toEqual([]);
    expect(spans("The players' union met the clubs' owners.")).toEqual([]);
  });
});

describe('quotemarks: multi-paragraph quotes', () => {
  it('runs a quote on when a paragraph ends open and the next opens with the same mark', () => {
    const text = 'She described the front:\n\n“The ice was gone. I checked twice.\n\n“It hadn’t failed. We had lost 600 meters.\n\n“I had no answer.”\n\nThe team left.';
    const s = findQuoteSpans(text, layout(text).paragraphs);
    expect(s).toHaveLength(1);
    expect(text.slice(s[0]!.start, s[0]!.end)).toBe('The ice was gone. I checked twice.\n\n“It hadn’t failed. We had lost 600 meters.\n\n“I had no answer.');
    expect(s[0]).toMatchObject({ closed: true, depth: 0, paragraphs: [1, 2, 3] });
  });

  it('is reported as one direct quote by parseArticle', () => {
    const text = 'Glacier retreats fast\n\nIngrid Solberg said:\n\n“The ice was gone.\n\n“I had no answer.”';
    const p = parseArticle(text);
    const direct = p.quotes.filter((q) => q.kind === 'direct');
    expect(direct.map((q) => q.text)).toEqual(['The ice was gone.\n\n“I had no answer.']);
  });
});

describe('quotemarks: unbalanced marks', () => {
  it('ends an unclosed quote at its paragraph and flags it', () => {
    const text = 'He said “this never ends.\n\nThe next paragraph is narrative.';
    expect(spans(text)).toEqual([{ text: 'this never ends.', depth: 0, closed: false, mark: 'double' }]);
  });

  it('ignores a stray closing mark', () => {
    expect(spans('The vote was 5-2” and the board left.')).toEqual([]);
  });

  it('warns and never throws in parseArticle', () => {
    const p = parseArticle('Headline here now\n\n“Open and never closed, he said.\n\n”“”‘’\'\'"""');
    expect(p.warnings.some((w) => /unbalanced/.test(w))).toBe(true);
  });
});
