/**
 * Test helper: a `ParsedArticle` whose entities, quotes and amounts are stated by the test,
 * over the real parser's layout and sentences. Core and index tests then check what the
 * core and the index do with a given parse, independently of how well the parser reads the
 * text (the parser has its own tests). Offsets are found with `indexOf`, so every span is real.
 */
import { parseArticle } from '../../src/parse/index.js';
import type { Amount, Entity, EntityType, Mention, MentionKind, ParsedArticle, Quote } from '../../src/parse/types.js';

export interface EntitySpec {
  name: string;
  type: EntityType;
  /** Other surface forms and the kind each is seen as; every occurrence in the body becomes a mention. */
  forms?: [string, MentionKind][];
  roles?: string[];
  affiliation?: string[];
  gender?: 'female' | 'male' | null;
  countryCode?: string;
}

export interface QuoteSpec {
  /** The quoted words, exactly as in the text (marks excluded). */
  text: string;
  /** Entity name, or a descriptive phrase for an anonymous source, or null. */
  speaker: string | null;
  kind?: 'direct' | 'indirect' | 'term';
  cue?: string | null;
  partial?: boolean;
  /** Which occurrence of `text` in the article (1-based). */
  occurrence?: number;
}

export interface AmountSpec {
  text: string;
  value: number;
  unit: string;
  /** Entity names tied to the amount. */
  entities?: string[];
}

export interface ParseSpec {
  entities?: EntitySpec[];
  quotes?: QuoteSpec[];
  amounts?: AmountSpec[];
  /** Sentence indexes of the summary; default the parser's. */
  summary?: number[];
}

const slug = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-');
export const idOf = (type: EntityType, name: string) => `${type}:${slug(name)}`;

function nth(text: string, needle: string, n: number, from = 0): number {
  let i = from - 1;
  for (let k = 0; k < n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`fixture: occurrence ${n} of ${JSON.stringify(needle)} not in the text`);
  }
  return i;
}

/** Builds the parse of `text` with the given entities, quotes and amounts (see module docstring). */
export function buildParsed(text: string, spec: ParseSpec = {}): ParsedArticle {
  const base = parseArticle(text);
  const bodyStart = base.paragraphs[0]?.start ?? 0;
  const sentenceAt = (offset: number) => {
    const s = base.sentences.find((x) => x.start <= offset && offset < x.end) ?? base.sentences.at(-1);
    return s ?? { index: 0, start: 0, end: text.length };
  };
  const wordAt = (i: number, len: number) => !/[\p{L}\p{N}]/u.test(text[i - 1] ?? ' ') && !/[\p{L}\p{N}]/u.test(text[i + len] ?? ' ');

  // Every form of every entity, longest first, so "Sipho Ndlovu" is one mention of Sipho and not
  // also a mention of the "Ndlovu" of another person.
  const specs = spec.entities ?? [];
  const mentionsOf: Mention[][] = specs.map(() => []);
  const taken: [number, number][] = [];
  const forms = specs.flatMap((e, i) => ([[e.name, 'name'], ...(e.forms ?? [])] as [string, MentionKind][]).map(([form, kind]) => ({ i, form, kind })));
  for (const { i, form, kind } of forms.sort((a, b) => b.form.length - a.form.length)) {
    for (let at = text.indexOf(form, bodyStart); at >= 0; at = text.indexOf(form, at + 1)) {
      if (!wordAt(at, form.length) || taken.some(([s, t]) => at < t && at + form.length > s)) continue;
      taken.push([at, at + form.length]);
      mentionsOf[i]!.push({ start: at, end: at + form.length, text: form, kind, sentence: sentenceAt(at).index });
    }
  }
  const entities: Entity[] = specs.map((e, i) => ({
    id: idOf(e.type, e.name),
    name: e.name,
    type: e.type,
    aliases: (e.forms ?? []).map(([f]) => f),
    roles: e.roles ?? [],
    affiliation: e.affiliation ?? [],
    gender: e.gender ?? null,
    ...(e.countryCode ? { countryCode: e.countryCode } : {}),
    mentions: mentionsOf[i]!.sort((a, b) => a.start - b.start),
  }));
  const byName = new Map(entities.map((e) => [e.name, e]));

  const quotes: Quote[] = (spec.quotes ?? []).map((q, i) => {
    const start = nth(text, q.text, q.occurrence ?? 1, bodyStart);
    const s = sentenceAt(start);
    const ent = q.speaker ? byName.get(q.speaker) : undefined;
    return {
      id: `q${i + 1}`,
      kind: q.kind ?? 'direct',
      partial: q.partial ?? false,
      text: q.text,
      start,
      end: start + q.text.length,
      speaker: q.speaker ? { name: q.speaker, entityId: ent?.id ?? null } : null,
      cue: q.cue === undefined ? 'said' : q.cue,
      context: { start: s.start, end: s.end },
      sentence: s.index,
    };
  });

  const amounts: Amount[] = (spec.amounts ?? []).map((a) => {
    const start = nth(text, a.text, 1, bodyStart);
    return {
      start,
      end: start + a.text.length,
      text: a.text,
      value: a.value,
      unit: a.unit,
      sentence: sentenceAt(start).index,
      entityIds: (a.entities ?? []).map((n) => byName.get(n)!.id),
    };
  });

  return { ...base, entities, quotes, amounts, summary: spec.summary ?? base.summary };
}
