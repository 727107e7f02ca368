/**
 * Property tests of the parser (issue 7): for any string, `parseArticle` returns without
 * throwing, every span lies inside the text, quote and sentence texts equal their slices,
 * and parsing is deterministic. Bounded: ~200 runs per property, short strings plus
 * news-like strings assembled from invented fragments (quotes, names, cues, datelines).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseArticle, type ParsedArticle, type Span } from '../../src/parse/index.js';

const RUNS = 200;

/** Invented fragments a story is built from; the arbitraries glue them together at random. */
const NAMES = ['Amara Osei', 'Lena Fischer', 'Tomás Rivera', 'the minister', 'a senior official', 'Dr. Priya Nair', 'NATO', 'France'];
const CUES = ['said', 'told reporters', 'added', 'according to', 'warned', 'insisted on Tuesday'];
const MARKS = ['"', '“', '”', '‘', '’', "'", '«', '»', '„'];
const WORDS = ['the', 'budget', 'plan', 'was', '6,000', 'troops', '$4.2 billion', '12 percent', 'U.S.', 'Mr.', 'Jan.', 'reckless', 'on', 'Monday', '—', '(AP)', 'By', 'LONDON'];

/** Whole clauses a speaker might say (invented). */
const CLAUSES = ['the plan was reckless', 'we will not accept these terms', 'talks resume on Monday', 'nobody expected 6,000 troops at the border'];

const fragment = fc.oneof(
  fc.constantFrom(...NAMES, ...CUES, ...MARKS, ...WORDS),
  fc.constantFrom(' ', ' ', ' ', '\n', '\n\n', '. ', ', ', '? ', '! ', '…', ' -- '),
  fc.string({ maxLength: 6 }),
);
/** A news-like story: a headline line, then fragments in random order. */
const newsLike = fc
  .tuple(fc.array(fc.constantFrom(...WORDS, ...NAMES), { maxLength: 6 }), fc.array(fragment, { maxLength: 120 }))
  .map(([head, body]) => `${head.join(' ')}\n\n${body.join('')}`);
/** A well-formed quote with attribution, repeated with variations, so attribution paths are exercised. */
const quoted = fc
  .array(fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom('said', 'told reporters', 'added', 'warned'), fc.array(fc.constantFrom(...CLAUSES), { minLength: 1, maxLength: 3 }), fc.constantFrom(['"', '"'], ['“', '”'], ['‘', '’'], ['«', '»'])), { minLength: 1, maxLength: 6 })
  .map((items) =>
    'Headline About a Plan\n\nGENEVA (Reuters) — ' +
    items.map(([who, cue, words, [open, close]], i) => (i % 2 ? `${open}${words.join(' and ')},${close} ${who} ${cue}.` : `${who} ${cue} ${open}${words.join(' and ')}.${close}`)).join(i2sep(items.length)),
  );
function i2sep(n: number): string {
  return n % 2 ? ' ' : '\n\n';
}
const anyText = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), newsLike, quoted);

/** Every span the parse holds, with a label for failure messages. */
function spans(p: ParsedArticle): [string, Span][] {
  const out: [string, Span][] = [];
  if (p.titleSpan) out.push(['title', p.titleSpan]);
  if (p.dateline) out.push(['dateline', p.dateline]);
  p.paragraphs.forEach((s, i) => out.push([`paragraph ${i}`, s]));
  p.sentences.forEach((s, i) => out.push([`sentence ${i}`, s]));
  p.quotes.forEach((q, i) => out.push([`quote ${i}`, q], [`quote ${i} context`, q.context]));
  p.amounts.forEach((a, i) => out.push([`amount ${i}`, a]));
  p.entities.forEach((e) => e.mentions.forEach((m, i) => out.push([`${e.id} mention ${i}`, m])));
  return out;
}

describe('parseArticle properties', () => {
  it('never throws and every offset is inside the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const p = parseArticle(text);
        for (const [what, s] of spans(p)) {
          expect(Number.isInteger(s.start) && Number.isInteger(s.end), what).toBe(true);
          expect(s.start, what).toBeGreaterThanOrEqual(0);
          expect(s.end, what).toBeGreaterThanOrEqual(s.start);
          expect(s.end, what).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("direct quotes' text equals text.slice(start, end)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const q of parseArticle(text).quotes) {
          if (q.kind !== 'indirect') expect(q.text).toBe(text.slice(q.start, q.end));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("sentences' and mentions' text equals their slice", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const p = parseArticle(text);
        for (const s of p.sentences) expect(s.text).toBe(text.slice(s.start, s.end));
        for (const a of p.amounts) expect(a.text).toBe(text.slice(a.start, a.end));
        for (const e of p.entities) for (const m of e.mentions) expect(m.text).toBe(text.slice(m.start, m.end));
      }),
      { numRuns: RUNS },
    );
  });

  it('parsing twice gives deep-equal, JSON-serialisable results', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const a = parseArticle(text);
        const b = parseArticle(text);
        expect(b).toEqual(a);
        // Serialisable as the type promises (the index stores it as JSON).
        expect(JSON.parse(JSON.stringify(a))).toEqual(a);
      }),
      { numRuns: RUNS },
    );
  });

  // Fragments such as "Monday the." may fairly be read as terms, so these quotes are whole clauses.
  it('a story built from attributed whole-clause quotes yields at least one direct quote', () => {
    fc.assert(
      fc.property(quoted, (text) => {
        const direct = parseArticle(text).quotes.filter((q) => q.kind === 'direct');
        expect(direct.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('a 200 kB random string parses in bounded time (guard against regex blow-ups; speed is in bench)', () => {
    const t0 = performance.now();
    const p = parseArticle(randomText(200_000, PLAIN));
    expect(p.paragraphs.length).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 30_000);

  // Linear in input size on quote-dense text too: doubling the input must not much more than double
  // the time (a quadratic stage would quadruple it). Median of three runs against machine noise.
  it('quote-heavy random text scales linearly: twice the text takes well under 3x the time', () => {
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1]!;
    const half = randomText(40_000, QUOTE_HEAVY);
    const full = randomText(80_000, QUOTE_HEAVY);
    parseArticle(half); // warm-up
    // Interleaved, so load from parallel test files falls on both sizes alike.
    const halves: number[] = [];
    const fulls: number[] = [];
    for (let i = 0; i < 3; i++) {
      halves.push(timed(() => parseArticle(half)));
      fulls.push(timed(() => parseArticle(full)));
    }
    expect(median(fulls) / Math.max(median(halves), 20)).toBeLessThan(3);
  }, 120_000);

  it('quote-heavy text is no more than 20x slower than plain text of the same size (more quotes, entities and cues to read)', () => {
    const n = 100_000;
    const plainText = randomText(n, PLAIN);
    const heavyText = randomText(n, QUOTE_HEAVY);
    // Interleaved, best of three each: a busy machine (parallel test files) slows both alike.
    const plain: number[] = [];
    const quoteHeavy: number[] = [];
    for (let i = 0; i < 3; i++) {
      plain.push(timed(() => parseArticle(plainText)));
      quoteHeavy.push(timed(() => parseArticle(heavyText)));
    }
    expect(Math.min(...quoteHeavy) / Math.max(Math.min(...plain), 50)).toBeLessThan(20);
  }, 120_000);
});

const PLAIN = ['a', 'b', ' ', '.', '\n'];
const QUOTE_HEAVY = ['a', 'A', ' ', '.', '"', '“', '”', '\n', 'Mr', ',', 'said ', '1'];
/** A deterministic random string of `n` units drawn from `units`. */
function randomText(n: number, units: string[]): string {
  return fc.sample(fc.string({ minLength: n, maxLength: n, unit: fc.constantFrom(...units) }), { numRuns: 1, seed: 7 })[0]!;
}
function timed(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}
