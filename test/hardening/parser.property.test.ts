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

  it('a 200 kB random string parses (guard against regex blow-ups; its speed is in npm run bench)', () => {
    const p = parseArticle(randomText(200_000, PLAIN));
    expect(p.paragraphs.length).toBeGreaterThan(0);
  }, 60_000);

  // Linear work in input size, counted rather than timed (timings belong to npm run bench): the
  // attribution stage's work is its candidates and their features, bounded per quotation by the
  // candidate window, so twice the quote-dense text gives about twice the work, never four times.
  it('attribution work grows linearly with quote-dense text: candidates and features per quotation stay bounded', () => {
    const work = (text: string): { quotes: number; candidates: number; features: number } => {
      const w = { quotes: 0, candidates: 0, features: 0 };
      parseArticle(text, { attribution: { trace: (t) => {
        w.quotes++;
        w.candidates += t.candidates.length;
        w.features += t.features.reduce((n, f) => n + f.length, 0);
      } } });
      return w;
    };
    const half = work(randomText(40_000, QUOTE_HEAVY));
    const full = work(randomText(80_000, QUOTE_HEAVY));
    expect(half.quotes).toBeGreaterThan(100);
    expect(full.quotes / half.quotes).toBeGreaterThan(1.5);
    expect(full.candidates / half.candidates).toBeLessThan(2.6);
    expect(full.features / half.features).toBeLessThan(2.6);
    expect(full.candidates / full.quotes).toBeLessThan(40);
  }, 120_000);
});

const PLAIN = ['a', 'b', ' ', '.', '\n'];
const QUOTE_HEAVY = ['a', 'A', ' ', '.', '"', '“', '”', '\n', 'Mr', ',', 'said ', '1'];
/** A deterministic random string of `n` units drawn from `units`. */
function randomText(n: number, units: string[]): string {
  return fc.sample(fc.string({ minLength: n, maxLength: n, unit: fc.constantFrom(...units) }), { numRuns: 1, seed: 7 })[0]!;
}

