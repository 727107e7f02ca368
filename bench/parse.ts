/**
 * Parser benchmark: parse throughput (articles/s and words/s) of `parseArticle` and, in the
 * same run on the same texts, of `compromise`'s `people()` + `quotations()` as a reference
 * peer, with the ratio. Texts: the shared gold corpus when present (../shared/corpus), else
 * the bundled example stories.
 *
 * Run standalone: `npx tsx bench/parse.ts [ROUNDS]`; `bench/run.ts` calls `benchParse()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import nlp from 'compromise';
import { parseArticle } from '../src/parse/index.js';

/** Figures of one parse benchmark run. */
export interface ParseBenchResult {
  name: 'parse';
  articles: number;
  words: number;
  rounds: number;
  ours: { articlesPerSecond: number; wordsPerSecond: number };
  compromise: { articlesPerSecond: number; wordsPerSecond: number };
  /** ours / compromise articles per second (higher is faster). */
  ratio: number;
}

function corpusTexts(set: 'invented' | 'real' = 'invented'): string[] {
  const root = path.resolve(import.meta.dirname, '..');
  const dirs = (set === 'real' ? ['../shared/corpus/polnear-train'] : ['../shared/corpus/seed', '../shared/corpus/dev', 'examples/articles']).map((d) => path.resolve(root, d));
  const texts: string[] = [];
  for (const d of dirs) {
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (/\.(txt|md)$/.test(f)) texts.push(fs.readFileSync(path.join(d, f), 'utf8'));
  }
  return texts;
}

function time(fn: () => void, rounds: number): number {
  fn(); // warm-up
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Measures both parsers over `rounds` passes of the texts.
 * @param set 'invented': seed, dev and the examples; 'real': the real-news corpus (polnear-train) when present
 */
export function benchParse(rounds = 20, set: 'invented' | 'real' = 'invented'): ParseBenchResult {
  const texts = corpusTexts(set);
  if (!texts.length) throw new Error(`no ${set} texts found`);
  const words = texts.reduce((n, t) => n + t.split(/\s+/).filter(Boolean).length, 0);
  const ours = time(() => {
    for (const t of texts) parseArticle(t);
  }, rounds);
  const peer = time(() => {
    for (const t of texts) {
      const doc = nlp(t);
      doc.people().out('array');
      doc.quotations().out('array');
    }
  }, rounds);
  const n = texts.length * rounds;
  const w = words * rounds;
  return {
    name: 'parse',
    articles: texts.length,
    words,
    rounds,
    ours: { articlesPerSecond: n / ours, wordsPerSecond: w / ours },
    compromise: { articlesPerSecond: n / peer, wordsPerSecond: w / peer },
    ratio: peer / ours,
  };
}

/** Start-up costs of the parser's data, each measured on first use in this process. */
export interface ParseStartup {
  /** Loading the given-name lists (gender-detection-from-name). */
  givenNames: { ms: number; heapMB: number };
  /** Loading the place-name table (src/parse/data/gazetteer.json). */
  places: { ms: number; heapMB: number };
  /** Loading the attribution model (src/parse/attribution/model/attribution.json). */
  model: { ms: number; heapMB: number; features: number };
}

/** Measures the first-use cost of each data table. Call before anything else parses in this process. */
export async function benchParseStartup(): Promise<ParseStartup> {
  const { genderOfGivenName } = await import('../src/parse/given-names.js');
  const { lookupPlace } = await import('../src/parse/places.js');
  const { defaultModel } = await import('../src/parse/attribution/model.js');
  const cost = (f: () => unknown): { ms: number; heapMB: number } => {
    global.gc?.();
    const h0 = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    f();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { ms, heapMB: (process.memoryUsage().heapUsed - h0) / 1048576 };
  };
  const givenNames = cost(() => genderOfGivenName('Maria'));
  const places = cost(() => lookupPlace('Lisbon'));
  let features = 0;
  const model = cost(() => (features = defaultModel()?.weights.size ?? 0));
  return { givenNames, places, model: { ...model, features } };
}

/**
 * Growth of parse time with input size: quote-dense random text of 40,000 and 80,000
 * characters (a linear parser takes about 2x for twice the text), and quote-dense against plain
 * text of the same size. Best of three, interleaved.
 */
export function benchParseScaling(): { doubleRatio: number; heavyVsPlain: number } {
  const rand = (n: number, units: string[], seed: number): string => {
    let x = seed;
    let out = '';
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out += units[x % units.length];
    }
    return out;
  };
  const PLAIN = ['a', 'b', ' ', '.', '\n'];
  const HEAVY = ['a', 'A', ' ', '.', '"', '“', '”', '\n', 'Mr', ',', 'said ', '1'];
  const half = rand(40_000, HEAVY, 7);
  const full = rand(80_000, HEAVY, 7);
  const plain = rand(80_000, PLAIN, 7);
  const best = (t: string): number => Math.min(...[0, 1, 2].map(() => time(() => parseArticle(t), 1)));
  const h = best(half);
  const f = best(full);
  const p = best(plain);
  return { doubleRatio: f / h, heavyVsPlain: f / p };
}

/** Prints a result as a few aligned lines. */
export function printParse(r: ParseBenchResult): void {
  const f = (x: number): string => x.toFixed(0).padStart(9);
  console.log(`parse: ${r.articles} articles, ${r.words} words, ${r.rounds} rounds`);
  console.log(`  newsroom-bot parseArticle   ${f(r.ours.articlesPerSecond)} articles/s ${f(r.ours.wordsPerSecond)} words/s`);
  console.log(`  compromise people+quotes    ${f(r.compromise.articlesPerSecond)} articles/s ${f(r.compromise.wordsPerSecond)} words/s`);
  console.log(`  ratio (ours / compromise)   ${r.ratio.toFixed(2)}x (target: at least 5x)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printParse(benchParse(Number(process.argv[2] ?? 20)));
