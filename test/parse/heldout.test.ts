/**
 * Held-out corpus: eight invented stories (test/fixtures/corpus) written after the parser was
 * tuned, never used to tune it. Runs each through `parseArticle` and checks floors on the
 * shared scorer's figures, computed with the scorer's own matching rules (see helpers.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nameMatches, nth, overlap, parseArticle } from './helpers.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/corpus');

interface GoldQuote {
  text: string;
  occurrence?: number;
  speaker: string[] | null;
}
interface Gold {
  id: string;
  file: string;
  dateline: string | null;
  quotes: GoldQuote[];
  not_quotes?: string[];
}

const golds: Gold[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.gold.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Gold);

interface Tally {
  quotes: number;
  found: number;
  attributed: number;
  scareAttributed: number;
  spurious: number;
  wrong: string[];
}

/** Scores one article's direct quotes as score.mjs does. */
function scoreArticle(g: Gold): Tally {
  const text = fs.readFileSync(path.join(DIR, g.file), 'utf8');
  const parsed = parseArticle(text);
  const direct = parsed.quotes.filter((q) => q.kind === 'direct');
  const t: Tally = { quotes: 0, found: 0, attributed: 0, scareAttributed: 0, spurious: 0, wrong: [] };
  const goldSpans: [number, number][] = [];
  for (const q of g.quotes) {
    const s = nth(text, q.text, q.occurrence ?? 1);
    if (s < 0) throw new Error(`${g.id}: gold quote not in text: ${q.text}`);
    const gs: [number, number] = [s, s + q.text.length];
    goldSpans.push(gs);
    t.quotes++;
    const hits = direct.filter((d) => overlap(gs[0], gs[1], d.start, d.end) > 0);
    const covered = hits.reduce((n, d) => n + overlap(gs[0], gs[1], d.start, d.end), 0);
    if (covered < 0.8 * (gs[1] - gs[0])) {
      t.wrong.push(`${g.id}: missed ${q.text.slice(0, 50)}`);
      continue;
    }
    t.found++;
    const best = hits.sort((a, b) => overlap(gs[0], gs[1], b.start, b.end) - overlap(gs[0], gs[1], a.start, a.end))[0]!;
    const said = best.speaker?.name ?? null;
    const ok = q.speaker === null ? said === null : nameMatches(said, q.speaker);
    if (ok) t.attributed++;
    else t.wrong.push(`${g.id}: ${q.text.slice(0, 50)} -> ${said} (gold ${q.speaker?.[0] ?? 'none'})`);
  }
  const notSpans: [number, number][] = [];
  for (const n of g.not_quotes ?? []) for (let i = text.indexOf(n); i !== -1; i = text.indexOf(n, i + 1)) notSpans.push([i, i + n.length]);
  for (const d of direct) {
    if (goldSpans.some(([a, b]) => overlap(a, b, d.start, d.end) > 0)) continue;
    if (notSpans.some(([a, b]) => overlap(a, b, d.start, d.end) > 0)) {
      if (d.speaker) t.scareAttributed++;
    } else t.spurious++;
  }
  return t;
}

describe('held-out corpus', () => {
  it('has fourteen articles (two sets written after the parser was tuned), each with gold quotes', () => {
    expect(golds.map((g) => g.id)).toHaveLength(14);
    for (const g of golds) expect(g.quotes.length, g.id).toBeGreaterThanOrEqual(7);
  });

  const datelineOf = (g: Gold): string | null => parseArticle(fs.readFileSync(path.join(DIR, g.file), 'utf8')).dateline?.place ?? null;
  const dated = (g: Gold): boolean => g.id === 'boise-foothills-wildfire';

  it('reads every undated gold dateline', () => {
    const undated = golds.filter((g) => !dated(g));
    expect(undated.map(datelineOf)).toEqual(undated.map((g) => g.dateline));
  });

  // Parser bug (reported): "BOISE, Idaho, Aug. 14 (Wire) -" (a dateline with a date) is not read.
  it('reads the dated dateline BOISE, Idaho, Aug. 14 (Wire) -', () => {
    const g = golds.find(dated)!;
    expect(datelineOf(g)).toBe('BOISE');
  });

  const tallies = golds.map(scoreArticle);
  const sum = (k: 'quotes' | 'found' | 'attributed' | 'scareAttributed' | 'spurious'): number => tallies.reduce((n, t) => n + t[k], 0);
  const wrong = tallies.flatMap((t) => t.wrong).join('\n');

  it('finds at least 95% of the gold direct quotes', () => {
    expect(sum('found') / sum('quotes'), wrong).toBeGreaterThanOrEqual(0.95);
  });

  it('attributes at least 85% of the gold direct quotes to an acceptable speaker', () => {
    expect(sum('attributed') / sum('quotes'), wrong).toBeGreaterThanOrEqual(0.85);
  });

  it('gives no scare quote, title or nickname a speaker and reports no spurious direct quote', () => {
    expect(sum('scareAttributed')).toBe(0);
    expect(sum('spurious')).toBe(0);
  });
});
