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

function corpusTexts(): string[] {
  const root = path.resolve(import.meta.dirname, '..');
  const dirs = ['../shared/corpus/seed', '../shared/corpus/dev', 'examples/articles'].map((d) => path.resolve(root, d));
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

/** Measures both parsers over `rounds` passes of the texts. */
export function benchParse(rounds = 20): ParseBenchResult {
  const texts = corpusTexts();
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

/** Prints a result as a few aligned lines. */
export function printParse(r: ParseBenchResult): void {
  const f = (x: number): string => x.toFixed(0).padStart(9);
  console.log(`parse: ${r.articles} articles, ${r.words} words, ${r.rounds} rounds`);
  console.log(`  newsroom-bot parseArticle   ${f(r.ours.articlesPerSecond)} articles/s ${f(r.ours.wordsPerSecond)} words/s`);
  console.log(`  compromise people+quotes    ${f(r.compromise.articlesPerSecond)} articles/s ${f(r.compromise.wordsPerSecond)} words/s`);
  console.log(`  ratio (ours / compromise)   ${r.ratio.toFixed(2)}x`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printParse(benchParse(Number(process.argv[2] ?? 20)));
