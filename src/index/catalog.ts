/**
 * The entity catalog: one row per cross-story entity key (`entity_catalog`) and one per distinct
 * alias, role and affiliation of it (`entity_terms`), kept up to date as stories are stored, so
 * that name resolution reads a few thousand aggregated rows instead of every entity row of the
 * archive (at 100,000 stories that is ~800,000 rows and seconds of work on each change).
 *
 * Counting, not recomputing: storing a story adds its contribution (`catalogEntries`, sign +1);
 * replacing a story's parse first takes the old contribution away (sign −1). Both backends run
 * the same statements (`catalogWrites`), which use only SQL that SQLite and PostgreSQL share
 * (`INSERT … ON CONFLICT … DO UPDATE`, `CASE`, `@name` parameters).
 *
 * Embargo: a story enters the catalog once it is surfaced. A story stored under an embargo that
 * has not lifted is left out (`stories.cataloged = 0`) and folded in by the first write after its
 * embargo lifts; until then readers add such lifted stories themselves (`mergeEntries`), so a
 * name from an embargoed story is never suggested early and never missing late. A read "as of"
 * a time before a story's embargo that was already folded in sees it (reads are for now).
 */
import type { MentionKind, ParsedArticle } from '../parse/types.js';
import { entityKey, foldName } from './keys.js';
import type { AliasRecord, EntitySummary } from './types.js';

/** What a term of an entity is. */
export type CatalogTermKind = 'alias' | 'role' | 'affiliation';

/** One alias, role or affiliation an entity has in one story. */
export interface CatalogTerm {
  term: CatalogTermKind;
  /** `foldName(text)`: the term's identity within its entity. */
  folded: string;
  text: string;
  /** For aliases: how the text used it (first mention whose surface folds to it), else null. */
  aliasKind: MentionKind | null;
  /** Order within the story's list (roles are listed in the parser's order). */
  position: number;
}

/** One story's contribution to one entity key. */
export interface CatalogEntry {
  key: string;
  name: string;
  type: EntitySummary['type'];
  countryCode: string | null;
  /** The story's sort time (publication, else first ingestion; ISO 8601): newer names and terms win. */
  at: string;
  /** 1 (a story counts once per key, even when two of its entities share the key). */
  stories: number;
  mentions: number;
  /** Direct and indirect quotes the story attributes to the entity. */
  quotes: number;
  terms: CatalogTerm[];
}

/** A statement to run, with `@name` parameters (better-sqlite3 binds them natively; the Postgres backend rewrites them to `$n`). */
export interface CatalogStatement {
  sql: string;
  params: Record<string, unknown>;
}

/** Rows per multi-row statement (well under both engines' parameter limits). */
const CHUNK = 100;

/**
 * The catalog contribution of one parsed story: one entry per entity key, sorted by key (so
 * concurrent writers lock catalog rows in one order and cannot deadlock).
 * @param sortAt the story's sort time, ISO 8601
 */
export function catalogEntries(parsed: ParsedArticle, sortAt: string): CatalogEntry[] {
  const byKey = new Map<string, CatalogEntry>();
  const keyOf = new Map<string, string>();
  for (const e of parsed.entities) {
    const key = entityKey(e.type, e.name);
    keyOf.set(e.id, key);
    let entry = byKey.get(key);
    if (!entry) {
      entry = { key, name: e.name, type: e.type, countryCode: e.countryCode ?? null, at: sortAt, stories: 1, mentions: 0, quotes: 0, terms: [] };
      byKey.set(key, entry);
    }
    entry.mentions += e.mentions.length;
    const add = (term: CatalogTermKind, text: string, aliasKind: MentionKind | null, position: number) => {
      const folded = foldName(text);
      if (!folded || entry!.terms.some((t) => t.term === term && t.folded === folded)) return;
      entry!.terms.push({ term, folded, text, aliasKind, position });
    };
    e.aliases.forEach((alias, i) => {
      const f = foldName(alias);
      add('alias', alias, e.mentions.find((m) => foldName(m.text) === f)?.kind ?? null, i);
    });
    e.roles.forEach((r, i) => add('role', r, null, i));
    e.affiliation.forEach((a, i) => add('affiliation', a, null, i));
  }
  for (const q of parsed.quotes) {
    if (q.kind === 'term' || !q.speaker?.entityId) continue;
    const key = keyOf.get(q.speaker.entityId);
    const entry = key ? byKey.get(key) : undefined;
    if (entry) entry.quotes++;
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The statements that add (`sign` 1) or take away (`sign` −1) `entries` from the catalog, to run
 * in the caller's write transaction, in order. Rows whose count falls to zero are deleted.
 */
export function catalogWrites(entries: CatalogEntry[], sign: 1 | -1): CatalogStatement[] {
  const out: CatalogStatement[] = [];
  for (let i = 0; i < entries.length; i += CHUNK) {
    const chunk = entries.slice(i, i + CHUNK);
    const params: Record<string, unknown> = {};
    const values = chunk.map((e, j) => {
      Object.assign(params, {
        [`k${j}`]: e.key,
        [`n${j}`]: e.name,
        [`t${j}`]: e.type,
        [`c${j}`]: e.countryCode,
        [`a${j}`]: e.at,
        [`s${j}`]: sign * e.stories,
        [`m${j}`]: sign * e.mentions,
        [`q${j}`]: sign * e.quotes,
      });
      return `(@k${j}, @n${j}, @t${j}, @c${j}, @a${j}, @s${j}, @m${j}, @q${j})`;
    });
    out.push({
      sql: `INSERT INTO entity_catalog (key, name, type, country_code, name_at, stories, mentions, quotes) VALUES ${values.join(', ')}
        ON CONFLICT (key) DO UPDATE SET
          stories = entity_catalog.stories + excluded.stories,
          mentions = entity_catalog.mentions + excluded.mentions,
          quotes = entity_catalog.quotes + excluded.quotes,
          name = CASE WHEN excluded.stories > 0 AND excluded.name_at >= entity_catalog.name_at THEN excluded.name ELSE entity_catalog.name END,
          country_code = CASE WHEN excluded.stories > 0 AND excluded.name_at >= entity_catalog.name_at
            THEN coalesce(excluded.country_code, entity_catalog.country_code) ELSE entity_catalog.country_code END,
          name_at = CASE WHEN excluded.stories > 0 AND excluded.name_at > entity_catalog.name_at THEN excluded.name_at ELSE entity_catalog.name_at END`,
      params,
    });
  }
  const terms = entries.flatMap((e) => e.terms.map((t) => ({ key: e.key, at: e.at, ...t })));
  for (let i = 0; i < terms.length; i += CHUNK) {
    const chunk = terms.slice(i, i + CHUNK);
    const params: Record<string, unknown> = {};
    const values = chunk.map((t, j) => {
      Object.assign(params, {
        [`k${j}`]: t.key,
        [`t${j}`]: t.term,
        [`f${j}`]: t.folded,
        [`x${j}`]: t.text,
        [`a${j}`]: t.aliasKind,
        [`p${j}`]: t.position,
        [`w${j}`]: t.at,
        [`r${j}`]: sign,
      });
      return `(@k${j}, @t${j}, @f${j}, @x${j}, @a${j}, @p${j}, @w${j}, @r${j})`;
    });
    out.push({
      sql: `INSERT INTO entity_terms (key, term, folded, text, alias_kind, position, at, refs) VALUES ${values.join(', ')}
        ON CONFLICT (key, term, folded) DO UPDATE SET
          refs = entity_terms.refs + excluded.refs,
          alias_kind = coalesce(entity_terms.alias_kind, excluded.alias_kind),
          text = CASE WHEN excluded.refs > 0 AND excluded.at >= entity_terms.at THEN excluded.text ELSE entity_terms.text END,
          position = CASE WHEN excluded.refs > 0 AND excluded.at >= entity_terms.at THEN excluded.position ELSE entity_terms.position END,
          at = CASE WHEN excluded.refs > 0 AND excluded.at > entity_terms.at THEN excluded.at ELSE entity_terms.at END`,
      params,
    });
  }
  if (sign < 0) {
    for (const e of entries) {
      out.push({ sql: 'DELETE FROM entity_terms WHERE key = @key AND refs <= 0', params: { key: e.key } });
      out.push({ sql: 'DELETE FROM entity_catalog WHERE key = @key AND stories <= 0', params: { key: e.key } });
    }
  }
  return out;
}

/** Reads the catalog, most recently seen entities first. Columns: key, name, type, country_code, stories, mentions, quotes. */
export const CATALOG_ENTITIES_SQL = `SELECT key, name, type, country_code, stories, mentions, quotes FROM entity_catalog ORDER BY name_at DESC, key`;
/** Reads every live term, newest first, then in the story's order. Columns: key, term, folded, text, alias_kind. */
export const CATALOG_TERMS_SQL = `SELECT key, term, folded, text, alias_kind FROM entity_terms WHERE refs > 0 ORDER BY at DESC, position, folded`;

/** A row of `CATALOG_ENTITIES_SQL`. */
export interface CatalogEntityRow {
  key: string;
  name: string;
  type: EntitySummary['type'];
  country_code: string | null;
  stories: number | string;
  mentions: number | string;
  quotes: number | string;
}

/** A row of `CATALOG_TERMS_SQL`. */
export interface CatalogTermRow {
  key: string;
  term: CatalogTermKind;
  folded: string;
  text: string;
  alias_kind: MentionKind | null;
}

function emptySummary(key: string, name: string, type: EntitySummary['type'], countryCode: string | null): EntitySummary {
  return { key, name, type, aliases: [], roles: [], affiliation: [], mentionCount: 0, storyCount: 0, aliasDetails: [], quoteCount: 0, ...(countryCode ? { countryCode } : {}) };
}

/** Folded names already listed per entity and term kind, so adding a term is O(1). */
type Seen = Map<EntitySummary, { name: string; alias: Map<string, AliasRecord>; role: Set<string>; affiliation: Set<string> }>;

function addTerm(seen: Seen, e: EntitySummary, term: CatalogTermKind, text: string, folded: string, aliasKind: MentionKind | null): void {
  if (!folded) return;
  let s = seen.get(e);
  if (!s) {
    s = { name: foldName(e.name), alias: new Map(e.aliasDetails.map((a) => [foldName(a.text), a])), role: new Set(e.roles.map(foldName)), affiliation: new Set(e.affiliation.map(foldName)) };
    seen.set(e, s);
  }
  if (term === 'alias') {
    if (folded === s.name) return;
    const known = s.alias.get(folded);
    if (known) {
      if (!known.kind && aliasKind) known.kind = aliasKind;
      return;
    }
    const record = { text, kind: aliasKind };
    s.alias.set(folded, record);
    e.aliasDetails.push(record);
    e.aliases.push(text);
    return;
  }
  const set = term === 'role' ? s.role : s.affiliation;
  if (set.has(folded)) return;
  set.add(folded);
  (term === 'role' ? e.roles : e.affiliation).push(text);
}

/**
 * Entity summaries from the catalog's rows (in their order), for name resolution.
 * @returns a map by key, in catalog order, so `mergeEntries` can add stories not yet folded in
 */
export function summariesFromCatalog(entities: CatalogEntityRow[], terms: CatalogTermRow[]): Map<string, EntitySummary> {
  const byKey = new Map<string, EntitySummary>();
  for (const r of entities) {
    const e = emptySummary(r.key, r.name, r.type, r.country_code);
    e.storyCount = Number(r.stories);
    e.mentionCount = Number(r.mentions);
    e.quoteCount = Number(r.quotes);
    byKey.set(r.key, e);
  }
  const seen: Seen = new Map();
  for (const t of terms) {
    const e = byKey.get(t.key);
    if (e) addTerm(seen, e, t.term, t.text, t.folded, t.alias_kind);
  }
  return byKey;
}

/**
 * Adds stories that are surfaced but not yet in the catalog (an embargo lifted since the last
 * write) to summaries read from it. Their newer names do not replace the catalog's.
 */
export function mergeEntries(byKey: Map<string, EntitySummary>, entries: CatalogEntry[]): void {
  const seen: Seen = new Map();
  for (const c of entries) {
    let e = byKey.get(c.key);
    if (!e) {
      e = emptySummary(c.key, c.name, c.type, c.countryCode);
      byKey.set(c.key, e);
    }
    e.storyCount += c.stories;
    e.mentionCount += c.mentions;
    e.quoteCount += c.quotes;
    for (const t of c.terms) addTerm(seen, e, t.term, t.text, t.folded, t.aliasKind);
  }
}
