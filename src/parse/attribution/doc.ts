/**
 * The attribution stage's view of one article: its text, tokens, sentences, quotation spans,
 * entities and the referring expressions found in it, with the position look-ups every stage
 * needs (token at an offset, sentence of an offset, first token of a clause window). Built once
 * per article by `buildDoc`; every later stage reads it and none changes its shape.
 */
import type { EntityDraft } from '../entities/index.js';
import { tokenAtOrAfter } from '../entities/index.js';
import type { QuoteSpan } from '../quotemarks.js';
import { firstWhere } from '../search.js';
import type { Token } from '../tokens.js';
import type { Paragraph, Sentence } from '../types.js';

/** Input of the attribution stage: the earlier stages' output for one article. */
export interface AttributionInput {
  text: string;
  paragraphs: Paragraph[];
  sentences: Sentence[];
  tokens: Token[];
  /** Top-level quotation spans (depth 0), in text order. */
  quotes: QuoteSpan[];
  entities: EntityDraft[];
  /** Entity id of each token that is part of a name mention (index = token index). */
  tokenEntity: (string | undefined)[];
}

/**
 * A referring expression: a span that can name a speaker.
 * - `name`: a mention of a found entity ("Maria Zakharova", "Zakharova", "NATO");
 * - `pronoun`: he/she/his/her, resolved in reading order by the coreference stage;
 * - `description`: a definite description resolved to an entity ("the minister", "the company");
 * - `anon`: an indefinite description of an unnamed source ("a senior official at the bank");
 * - `relative`: ", who" / ", which" standing for the noun phrase before it.
 */
export interface Ref {
  start: number;
  end: number;
  /** First and last token index. */
  t0: number;
  t1: number;
  kind: 'name' | 'pronoun' | 'description' | 'anon' | 'relative';
  entity: EntityDraft | null;
  /** For anonymous sources: the descriptive phrase used as the speaker's name. */
  phrase: string | null;
  sentence: number;
  /** Head noun of a description or anonymous phrase ("minister"), else undefined. */
  head?: string;
  /** Lowercase modifiers before a description's head ("zambian"), else undefined. */
  mods?: string[];
}

/** Clause searches look back at most this many tokens: it keeps every stage linear in the article's length. */
export const WINDOW = 80;

/** The article as the attribution stages see it. */
export interface Doc extends AttributionInput {
  byId: Map<string, EntityDraft>;
  /** Referring expressions in text order (filled by `collectMentions`). */
  refs: Ref[];
  /** The longest reference covering each token (filled by `indexMentions`). */
  refAt: Map<number, Ref>;
  refIndex: Map<Ref, number>;
  /** The first speaker-capable reference outside an introductory phrase, per sentence (the clause subject). */
  sentenceSubject: Map<number, Ref>;
  /** Anonymous sources by singular head noun, in text order ("official" → [a senior official, …]). */
  anonByHead: Map<string, Ref[]>;
  /** Index of the first token of a sentence. */
  sentFirst: Map<number, number>;
}

/** Builds the document view; references are added by the mentions stage. */
export function buildDoc(inp: AttributionInput): Doc {
  const sentFirst = new Map<number, number>();
  for (let k = inp.tokens.length - 1; k >= 0; k--) sentFirst.set(inp.tokens[k]!.sentence, k);
  return {
    ...inp,
    byId: new Map(inp.entities.map((e) => [e.id, e])),
    refs: [],
    refAt: new Map(),
    refIndex: new Map(),
    sentenceSubject: new Map(),
    anonByHead: new Map(),
    sentFirst,
  };
}

/** First token of the clause window that ends at token k: its sentence's first token, at most WINDOW back. */
export function sentStartTok(d: Doc, k: number): number {
  return Math.max(d.sentFirst.get(d.tokens[k]?.sentence ?? -1) ?? 0, k - WINDOW);
}

/** Index of the first token at or after a text offset. */
export function tokAt(d: Doc, pos: number): number {
  return tokenAtOrAfter(d.tokens, pos);
}

/** The sentence holding a text offset. */
export function sentenceOf(d: Doc, pos: number): Sentence | undefined {
  return d.sentences[firstWhere(d.sentences, (s) => s.start > pos) - 1];
}

/** Quotation spans lying wholly within [from, to), by binary search over their starts. */
export function quotesWithin(d: Doc, from: number, to: number): QuoteSpan[] {
  const qs = d.quotes;
  const out: QuoteSpan[] = [];
  for (let k = firstWhere(qs, (q) => q.start >= from); k < qs.length && qs[k]!.start < to; k++) if (qs[k]!.end <= to) out.push(qs[k]!);
  return out;
}

/** Singular of a plural head noun ("officials" → "official"). */
export const singular = (w: string): string => (w.endsWith('s') && w.length > 3 && !w.endsWith('ss') ? w.slice(0, -1) : w);
