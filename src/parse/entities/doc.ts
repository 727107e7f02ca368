/**
 * The entity stage's working state (`EntityDoc`): the text, its tokens, the entities found so
 * far and which token belongs to which, with the few operations every stage shares: create an
 * entity, record a mention, find a country's entity, list the people.
 */
import type { CountryHit } from '../countries.js';
import { genderOfGivenName } from '../given-names.js';
import { NAME_PARTICLES } from '../lexicon.js';
import { firstWhere } from '../search.js';
import { INVISIBLE, type Token } from '../tokens.js';
import type { EntityType, Mention, MentionKind } from '../types.js';

/** A mutable entity while the stage runs. */
export interface EntityDraft {
  id: string;
  name: string;
  type: EntityType;
  aliases: Set<string>;
  roles: string[];
  affiliation: Set<string>;
  gender: 'female' | 'male' | null;
  countryCode?: string;
  mentions: Mention[];
  /** Lowercase name tokens without honorifics and suffixes; for people the last is the surname's last word. */
  nameTokens: string[];
  /** Lowercase surname (may contain particles: "de la cruz"). */
  surname: string | null;
  given: string | null;
  suffix: string | null;
  /** Lowercase head nouns a description can use for it ("minister", "director", "ministry", "company"). */
  heads: Set<string>;
  /** Spans of the role phrases, for affiliation resolution. */
  roleSpans: { start: number; end: number; text: string }[];
  company: boolean;
  /** Whether it was given an explicit relation making it the older/younger of a family ("father", "son", "Sr."). */
  seniority: 'elder' | 'younger' | null;
  /** The text uses the name the way only a person's is used ("the Obama administration", "the Clinton campaign"). */
  personCue?: boolean;
}

/** Result of the entity stage. */
export interface EntityStage {
  entities: EntityDraft[];
  /** Entity id for each token that is part of a name mention (index = token index). */
  tokenEntity: (string | undefined)[];
}

/** The entity stage's state over one article, shared by its stages. */
export interface EntityDoc {
  /** Article text (offsets of tokens and mentions index into it). */
  text: string;
  /** All tokens of the article, in text order. */
  tokens: Token[];
  /** Offsets where no entity may start (inside quoted titles such as “Operation Jade Mirror”). */
  skip: (at: number) => boolean;
  /** Words the text also uses in lowercase (so a capitalised occurrence may be positional). */
  lowerVocab: Set<string>;
  /** Entities in the order they were created. */
  ents: EntityDraft[];
  byId: Map<string, EntityDraft>;
  /** Entity id of each token inside a mention (index = token index). */
  tokenEntity: (string | undefined)[];
  /** People's nicknames introduced so far, folded without a leading "the" ("dutch", "bulldozer"). */
  nicknames: Map<string, EntityDraft>;
}

/** Makes the state for one article, with no entities yet. */
export function newEntityDoc(text: string, tokens: Token[], skip: (at: number) => boolean): EntityDoc {
  return { text, tokens, skip, lowerVocab: lowercaseVocabulary(text), ents: [], byId: new Map(), tokenEntity: new Array(tokens.length), nicknames: new Map() };
}

const slug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Lowercase without diacritics, for comparing names ("Larrañaga" = "larranaga"). */
export const fold = (s: string): string => s.replace(INVISIBLE, '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

/** The text of a run of tokens, without a final possessive ("Ortega’s" → "Ortega") or invisible characters. */
export const chunkText = (text: string, toks: Token[]): string => {
  const last = toks[toks.length - 1]!;
  // tokens of a run are contiguous, except around a nickname left out of it ("Juan “Chico” Manriquez")
  let out = '';
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    const end = k === toks.length - 1 && last.possessive ? t.end - 2 : t.end;
    if (k > 0) out += t.i === toks[k - 1]!.i + 1 ? text.slice(toks[k - 1]!.end, t.start) : ' ';
    out += text.slice(t.start, end);
  }
  return out.replace(INVISIBLE, '');
};

/** Words whose lowercase form also appears in the text in lowercase (so a capitalised occurrence may be positional). */
export function lowercaseVocabulary(text: string): Set<string> {
  const v = new Set<string>();
  for (const m of text.matchAll(/(?<![\p{L}])\p{Ll}[\p{L}’'-]*/gu)) v.add(m[0]);
  return v;
}

/**
 * The entity of that name and type, or a new one. Ids are `type:slug`; two different names
 * with one slug get `-2` suffixes.
 */
export function createEntity(d: EntityDoc, name: string, type: EntityType, extra: Partial<EntityDraft> = {}): EntityDraft {
  let id = `${type}:${slug(name) || 'x'}`;
  while (d.byId.has(id) && d.byId.get(id)!.name !== name) id += '-2';
  const existing = d.byId.get(id);
  if (existing) return existing;
  const e: EntityDraft = {
    id, name, type, aliases: new Set(), roles: [], affiliation: new Set(), gender: null, mentions: [], nameTokens: [],
    surname: null, given: null, suffix: null, heads: new Set(), roleSpans: [], company: false, seniority: null, ...extra,
  };
  d.ents.push(e);
  d.byId.set(id, e);
  return e;
}

/**
 * Records that `toks` mention entity e: the mention (possessive "’s" left out), its surface as
 * an alias when it differs from the name, and the tokens' owner.
 * @param surface the mention's text when not the tokens' own
 */
export function addMention(d: EntityDoc, e: EntityDraft, toks: Token[], kind: MentionKind, surface?: string): void {
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  const end = last.possessive ? last.end - 2 : last.end;
  const t = surface ?? d.text.slice(first.start, end);
  e.mentions.push({ start: first.start, end, text: t, kind, sentence: first.sentence });
  if (fold(t) !== fold(e.name)) e.aliases.add(t.replace(INVISIBLE, ''));
  for (const x of toks) d.tokenEntity[x.i] = e.id;
}

/** The entity of a country hit (created on first use, keyed by ISO code). */
export function countryEntity(d: EntityDoc, hit: CountryHit): EntityDraft {
  const e = createEntity(d, hit.name, 'country', { countryCode: hit.code });
  e.countryCode = hit.code;
  return e;
}

/** Picks among ambiguous country candidates the one whose other forms the text uses most. */
export function pickCountry(d: EntityDoc, hits: CountryHit[]): CountryHit {
  if (hits.length === 1) return hits[0]!;
  let best = hits[0]!;
  let bestScore = -1;
  for (const h of hits) {
    const e = d.ents.find((x) => x.countryCode === h.code);
    const score = e ? e.mentions.length : 0;
    if (score > bestScore) {
      best = h;
      bestScore = score;
    }
  }
  return best;
}

/** The mention kind of a country hit ("France" name, "Britain" alias, "French" demonym, "Paris" metonym). */
export const countryMentionKind = (hit: CountryHit): MentionKind => (hit.kind === 'name' ? 'name' : hit.kind === 'alias' ? 'alias' : hit.kind);

/** The people found so far, in order of introduction. */
export const persons = (d: EntityDoc): EntityDraft[] => d.ents.filter((e) => e.type === 'person');

/** Index of the first token starting at or after `pos` (tokens are in text order). */
export function tokenAtOrAfter(tokens: Token[], pos: number): number {
  return firstWhere(tokens, (t) => t.start >= pos);
}

/** Index of the token starting exactly at `pos`, or -1. */
export function tokenStartingAt(tokens: Token[], pos: number): number {
  const k = tokenAtOrAfter(tokens, pos);
  return tokens[k]?.start === pos ? k : -1;
}

/** A known given name (any gender) in the given-name lists (lowercase input; particles are not names). */
export const isGivenName = (low: string): boolean => low.length > 1 && !NAME_PARTICLES.has(low) && genderOfGivenName(low) !== null;

/** Start of e's last mention before offset `at`, or -1. */
export function lastMentionBefore(e: EntityDraft, at: number): number {
  let best = -1;
  for (const m of e.mentions) if (m.start < at && m.start > best) best = m.start;
  return best;
}
