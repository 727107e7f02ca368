/**
 * Gold corpora for training and evaluating the parser (format: the shared corpus README —
 * `NAME.txt` beside `NAME.gold.json` with `quotes[]` {text, occurrence, speaker[], source?},
 * `not_quotes[]`, `unscored_quotes[]`). Read with zod; a malformed gold file is an error naming
 * the file. Texts are read for measuring and training only; nothing from them is written into
 * the project except learned weights over grammatical features.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const GoldQuote = z.object({
  text: z.string().min(1),
  occurrence: z.number().int().positive().default(1),
  speaker: z.array(z.string()).nullable(),
  source: z.string().optional(),
});
const GoldFile = z.object({
  id: z.string(),
  file: z.string(),
  quotes: z.array(GoldQuote).default([]),
  not_quotes: z.array(z.string()).default([]),
  unscored_quotes: z.array(z.string()).default([]),
});

/** A gold direct quotation located in its text. */
export interface GoldSpan {
  start: number;
  end: number;
  /** Acceptable names (first = canonical), or null when the article names nobody. */
  speaker: string[] | null;
  /** How the gold names the source (`name`, `pronoun`, `relative`), when known. */
  source: string | null;
}

/** One gold-annotated article. */
export interface GoldArticle {
  id: string;
  /** The corpus folder's name ("seed", "dev", "polnear-train"). */
  corpus: string;
  /** Hand-made gold lists every quotation; automatic gold (real news) misses some. */
  complete: boolean;
  file: string;
  text: string;
  quotes: GoldSpan[];
  /** Quoted strings that are not speech (scare quotes, titles). */
  notQuotes: { start: number; end: number }[];
  /** Quoted passages that count for nothing. */
  unscored: { start: number; end: number }[];
}

/** Offset of the n-th (1-based) occurrence of needle, or -1. */
export function nth(hay: string, needle: string, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = hay.indexOf(needle, i + 1);
    if (i === -1) return -1;
  }
  return i;
}

function allSpans(text: string, needles: string[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const s of needles) for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1)) out.push({ start: i, end: i + s.length });
  return out;
}

/**
 * Loads every article of a corpus folder, sorted by id.
 * @param complete whether the gold lists every quotation (hand-made sets); default: true unless
 *   the folder's quotes carry a `source` field (automatic gold)
 * @throws Error naming the file when a gold file is malformed or its text is missing
 */
export function loadCorpus(dir: string, complete?: boolean): GoldArticle[] {
  const corpus = path.basename(path.resolve(dir));
  const out: GoldArticle[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.gold.json')).sort()) {
    let g;
    try {
      g = GoldFile.parse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    } catch (err) {
      throw new Error(`${path.join(dir, f)}: not a gold file (${(err as Error).message.slice(0, 200)})`);
    }
    const file = path.join(dir, g.file);
    const text = fs.readFileSync(file, 'utf8');
    const quotes: GoldSpan[] = [];
    for (const q of g.quotes) {
      const s = nth(text, q.text, q.occurrence);
      if (s >= 0) quotes.push({ start: s, end: s + q.text.length, speaker: q.speaker, source: q.source ?? null });
    }
    const auto = g.quotes.some((q) => q.source !== undefined);
    out.push({
      id: g.id, corpus, complete: complete ?? !auto, file, text, quotes,
      notQuotes: allSpans(text, g.not_quotes), unscored: allSpans(text, g.unscored_quotes),
    });
  }
  return out;
}

const TITLE_WORDS = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'sir', 'dame', 'prof', 'professor', 'president', 'prime', 'minister', 'gen', 'general', 'sen', 'senator', 'rep', 'gov', 'governor', 'judge', 'justice', 'rev', 'lord', 'lady', 'king', 'queen', 'prince', 'princess', 'chancellor', 'secretary', 'mayor', 'the']);
const normName = (s: string): string =>
  s.normalize('NFKC').toLowerCase().replace(/['’]s\b/g, '').replace(/[^\p{L}\p{N}\s-]/gu, ' ').replace(/\s+/g, ' ').trim();
const nameWords = (s: string): string[] => normName(s).split(' ').filter((t) => t && !TITLE_WORDS.has(t));

/**
 * Whether a predicted speaker name refers to the same person as one of the acceptable gold
 * names: equal after normalising case, punctuation and possessives, or compatible person names
 * (same surname and no conflicting given name; a single word matches a full name's surname).
 */
export function sameName(pred: string | null | undefined, acceptable: readonly string[]): boolean {
  if (!pred) return false;
  const p = normName(pred);
  const pw = nameWords(pred);
  for (const g of acceptable) {
    const gn = normName(g);
    const gw = nameWords(g);
    if (p === gn) return true;
    if (!gw.length || !pw.length) continue;
    if (gw.length >= 2 && pw.length >= 2) {
      if (gw[gw.length - 1] === pw[pw.length - 1] && gw[0] === pw[0]) return true;
      if (gw.join(' ') === pw.join(' ')) return true;
    } else {
      const one = gw.length === 1 ? gw : pw;
      const many = gw.length === 1 ? pw : gw;
      if (many[many.length - 1] === one[0] || (many.length === 1 && many[0] === one[0])) return true;
    }
  }
  return false;
}

/** Characters shared by two spans. */
export const overlap = (a: { start: number; end: number }, b: { start: number; end: number }): number => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** A stable fold number for an article id (FNV-1a hash), so folds never depend on file order. */
export function foldOf(id: string, k: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % k;
}
