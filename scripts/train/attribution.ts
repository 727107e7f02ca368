/**
 * Trains the attribution ranking model and evaluates it.
 *
 *   npm run train:attribution                        # train on the shared corpora, write the model
 *   npm run train:attribution -- --cv 5 --no-write   # 5-fold cross-validation by article, report only
 *   tsx scripts/train/attribution.ts --corpus DIR... [--out FILE] [--cv K] [--no-write]
 *
 * Data: the shared gold corpora (default ../shared/corpus/seed, dev and polnear-train: the
 * PolNeAR training split, real US news of 2015–16, with automatic gold). For each quotation the
 * parser finds, its candidates' features come from the attribution stage's trace; candidates
 * whose name matches the gold speaker are the right answers ("nobody" for scare quotes and
 * unattributed quotations). Training runs twice: first with the discourse (previous speakers)
 * the rules give, then again with the discourse the first model gives, as at parse time.
 *
 * Evaluation counts, like the shared scorer: a gold quotation is found when the parser's direct
 * quotations cover 80% of it, and attributed when the one covering most of it names the gold
 * speaker. Cross-validation trains on k-1 folds of articles and scores the held-out fold.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_URL, writeModel, type RankingModel } from '../../src/parse/attribution/model.js';
import type { RankingTrace } from '../../src/parse/attribution/index.js';
import { parseArticle } from '../../src/parse/index.js';
import { foldOf, loadCorpus, overlap, sameName, type GoldArticle } from './corpus.js';
import { DEFAULT_TRAIN, trainRanker, type RankingExample } from './ranker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_CORPORA = ['seed', 'dev', 'polnear-train'].map((c) => path.resolve(here, '../../../shared/corpus', c));

/**
 * How much an example from a hand-made corpus counts against one from automatic gold: the
 * hand-made sets are small but cover the styles real news in the 2016 corpus lacks (wire copy,
 * organisations and unnamed sources speaking, UK style, press releases).
 */
const COMPLETE_WEIGHT = Number(process.env.COMPLETE_WEIGHT ?? 5);

/** Counts of the end-to-end evaluation. */
export interface Figures {
  quotes: number;
  found: number;
  attributed: number;
  bySource: Record<string, [number, number]>;
  predicted: number;
  spurious: number;
}

/** Builds the ranking examples of one article by parsing it with the given model (null = rules). */
export function examplesOf(a: GoldArticle, model: RankingModel | null): RankingExample[] {
  const traces: RankingTrace[] = [];
  parseArticle(a.text, { attribution: { model, trace: (t) => traces.push(t) } });
  const out: RankingExample[] = [];
  for (const t of traces) {
    const span = { start: t.site.q.start, end: t.site.q.end };
    let gold = null;
    let best = 0;
    for (const g of a.quotes) {
      const o = overlap(g, span);
      if (o > best) [best, gold] = [o, g];
    }
    let positives: number[];
    if (gold) {
      positives = gold.speaker === null ? [0] : t.candidates.flatMap((c, i) => (c.speaker && sameName(c.speaker.name, gold.speaker!) ? [i] : []));
    } else if (a.notQuotes.some((n) => overlap(n, span) > 0) || a.complete) {
      positives = [0];
    } else if (a.unscored.some((u) => overlap(u, span) > 0)) {
      continue;
    } else {
      // Automatic gold misses some quotations (and leaves scare quotes unmarked): no answer to learn.
      continue;
    }
    let features = t.features;
    if (!a.complete) {
      // Automatic gold keeps only quotations whose speaker is named (the rest are unscored), so an
      // unnamed source is never right there by construction: leave such candidates out rather than
      // teach the model that unnamed sources never speak.
      const keep = t.candidates.map((c, i) => (i === 0 || c.speaker?.entityId ? i : -1)).filter((i) => i >= 0);
      if (keep.length < t.candidates.length) {
        positives = positives.flatMap((p) => (keep.includes(p) ? [keep.indexOf(p)] : []));
        features = keep.map((i) => t.features[i]!);
      }
    }
    if (!positives.length) continue;
    out.push({ candidates: features, positives, weight: a.complete ? COMPLETE_WEIGHT : 1 });
  }
  return out;
}

/** Parses the articles with a model and scores direct-quote attribution against their gold. */
export function evaluate(articles: GoldArticle[], model: RankingModel | null): Figures {
  const f: Figures = { quotes: 0, found: 0, attributed: 0, bySource: {}, predicted: 0, spurious: 0 };
  for (const a of articles) {
    const parsed = parseArticle(a.text, { attribution: { model } });
    const direct = parsed.quotes.filter((q) => q.kind === 'direct');
    for (const g of a.quotes) {
      f.quotes++;
      const tally = (f.bySource[g.source ?? a.corpus] ??= [0, 0]);
      tally[1]++;
      const hits = direct.filter((q) => overlap(g, q) > 0);
      const covered = hits.reduce((n, q) => n + overlap(g, q), 0);
      if (covered < 0.8 * (g.end - g.start)) continue;
      f.found++;
      const top = hits.sort((x, y) => overlap(g, y) - overlap(g, x))[0]!;
      const ok = g.speaker === null ? !top.speaker : sameName(top.speaker?.name, g.speaker);
      if (ok) {
        f.attributed++;
        tally[0]++;
      }
    }
    for (const q of direct) {
      f.predicted++;
      if (a.quotes.some((g) => overlap(g, q) > 0) || a.unscored.some((u) => overlap(u, q) > 0)) continue;
      if (a.notQuotes.some((n) => overlap(n, q) > 0) && !q.speaker) continue;
      f.spurious++;
    }
  }
  return f;
}

/** Two-pass training: rules' discourse first, then the first model's. */
export function train(articles: GoldArticle[], log: (s: string) => void = () => {}): Map<string, number> {
  const pass1 = articles.flatMap((a) => examplesOf(a, null));
  log(`pass 1: ${pass1.length} examples`);
  const w1 = trainRanker(pass1, DEFAULT_TRAIN);
  const m1: RankingModel = { weights: w1, trainedOn: 'pass 1' };
  const pass2 = articles.flatMap((a) => examplesOf(a, m1));
  log(`pass 2: ${pass2.length} examples`);
  return trainRanker(pass2, DEFAULT_TRAIN);
}

const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)}%` : 'n/a');
export function formatFigures(name: string, f: Figures): string {
  const tiers = Object.entries(f.bySource).map(([k, [a, n]]) => `${k} ${pct(a, n)} (${a}/${n})`).join(', ');
  return `${name.padEnd(22)} attribution ${pct(f.attributed, f.quotes)} (${f.attributed}/${f.quotes}), found ${pct(f.found, f.quotes)}, precision ${pct(f.predicted - f.spurious, f.predicted)} | ${tiers}`;
}

function add(a: Figures, b: Figures): Figures {
  const bySource = { ...a.bySource };
  for (const [k, [x, n]] of Object.entries(b.bySource)) {
    const t = bySource[k] ?? [0, 0];
    bySource[k] = [t[0] + x, t[1] + n];
  }
  return { quotes: a.quotes + b.quotes, found: a.found + b.found, attributed: a.attributed + b.attributed, bySource, predicted: a.predicted + b.predicted, spurious: a.spurious + b.spurious };
}
const empty = (): Figures => ({ quotes: 0, found: 0, attributed: 0, bySource: {}, predicted: 0, spurious: 0 });

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { corpus: { type: 'string', multiple: true }, heldout: { type: 'string', multiple: true }, out: { type: 'string' }, cv: { type: 'string' }, 'no-write': { type: 'boolean' } } });
  const dirs = values.corpus ?? DEFAULT_CORPORA;
  const byCorpus = new Map<string, GoldArticle[]>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) throw new Error(`corpus folder not found: ${dir} (pass --corpus DIR)`);
    const arts = loadCorpus(dir);
    byCorpus.set(arts[0]?.corpus ?? dir, arts);
  }
  const all = [...byCorpus.values()].flat();
  if (!all.length) throw new Error(`no gold articles (NAME.gold.json beside NAME.txt) in ${dirs.join(', ')}: pass each corpus folder with --corpus DIR, e.g. --corpus ../shared/corpus/seed --corpus ../shared/corpus/dev --corpus ../shared/corpus/polnear-train`);
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  log(`${all.length} articles, ${all.reduce((n, a) => n + a.quotes.length, 0)} gold quotations`);
  if (values.cv) {
    const k = Number(values.cv);
    const perCorpus = new Map<string, Figures>();
    for (let fold = 0; fold < k; fold++) {
      const trainSet = all.filter((a) => foldOf(a.id, k) !== fold);
      const w = train(trainSet);
      const model: RankingModel = { weights: w, trainedOn: `fold ${fold}` };
      for (const [name, arts] of byCorpus) {
        const held = arts.filter((a) => foldOf(a.id, k) === fold);
        perCorpus.set(name, add(perCorpus.get(name) ?? empty(), evaluate(held, model)));
      }
      log(`fold ${fold + 1}/${k} done`);
    }
    console.log(`${k}-fold cross-validation (articles the model did not train on):`);
    for (const [name, f] of perCorpus) console.log(formatFigures(name, f));
  }
  const w = train(all, log);
  const model: RankingModel = { weights: w, trainedOn: dirs.map((d) => path.basename(d)).join(', ') };
  console.log('trained on all (figures on the training data):');
  for (const [name, arts] of byCorpus) console.log(formatFigures(name, evaluate(arts, model)));
  const heldout = (values.heldout ?? []).map((dir) => loadCorpus(dir));
  for (const arts of heldout) console.log(formatFigures(`held out: ${arts[0]?.corpus ?? '-'}`, evaluate(arts, model)));
  console.log('rules alone (no model):');
  for (const [name, arts] of [...byCorpus, ...heldout.map((a) => [`held out: ${a[0]?.corpus ?? '-'}`, a] as const)]) console.log(formatFigures(name, evaluate(arts, null)));
  if (!values['no-write'] && w.size < 50) throw new Error(`refusing to write a model of ${w.size} features (too little training data); the committed model is unchanged`);
  if (!values['no-write']) {
    const out = values.out ?? fileURLToPath(DEFAULT_MODEL_URL);
    fs.writeFileSync(out, writeModel(w, `${model.trainedOn} (${all.length} articles)`));
    log(`wrote ${out} (${w.size} features)`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`train:attribution: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
