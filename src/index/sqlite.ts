/**
 * The SQLite index (better-sqlite3): stories and their revisions, the current revision's
 * parse as queryable rows (sentences, entities, aliases, roles, affiliations, mentions,
 * quotes, amounts), and an FTS5 table for text search. See `migrations.ts` for the schema.
 *
 * Story identity: the canonical URL, else the feed guid, else a hash of the text. Re-storing
 * the same content is a no-op; changed content becomes a new revision and the latest wins.
 * A story whose embargo has not lifted is stored but never surfaced by any query.
 * Every upsert is one transaction: a failing input leaves the index as it was.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ParsedArticle } from '../parse/types.js';
import { ftsPhrases, toFtsQuery } from './fts.js';
import { entityKey, foldName, quoteKey, storyUrl } from './keys.js';
import { candidateIds, MAX_COUNTED_STORIES, WordCounts, type QuoteWordIndex } from './quotesearch.js';
import {
  CATALOG_ENTITIES_SQL,
  CATALOG_TERMS_SQL,
  catalogEntries,
  catalogWrites,
  mergeEntries,
  summariesFromCatalog,
  type CatalogEntityRow,
  type CatalogStatement,
  type CatalogTermRow,
} from './catalog.js';
import { migrate } from './migrations.js';
import { entityProfile, PROFILE_STORIES, quoteRows, repeatSpeakerCondition, type SqlReader } from './profile.js';
import type {
  AliasRecord,
  ArticleIndex,
  ArticleInput,
  EntityProfile,
  EntitySummary,
  QuoteAppearances,
  QuoteLookupOptions,
  QuoteRecord,
  SearchHit,
  SearchOptions,
  StoriesSinceOptions,
  StoryRecord,
  UpsertResult,
} from './types.js';
import { MAX_RECENT_QUOTE_ROWS } from './types.js';

/** Options of `SqliteIndex.open`. */
export interface SqliteIndexOptions {
  /** How long a writer waits for another process's lock, in milliseconds (default 5000). */
  busyTimeoutMs?: number;
  /** Clock for ingestion times (tests); default `new Date()`. */
  clock?: () => Date;
  /** Stories holding a word from which search leaves it out of ranking (default `COMMON_DF`, 5,000; see `search`). */
  commonWordStories?: number;
}

interface StoryRow {
  id: string;
  url: string | null;
  source: string;
  revision: number;
  content_hash: string;
  parse_hash: string;
  title: string;
  byline: string | null;
  dateline: string | null;
  published_at: string | null;
  updated_at: string | null;
  embargo_until: string | null;
  first_ingested_at: string;
  ingested_at: string;
  sort_at: string;
  cataloged: number;
  published_raw: string | null;
  text_hash: string | null;
  duplicate_of: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** `s.embargo_until` lifted at `?` (an ISO time): the condition every surfacing query carries. */
const VISIBLE = '(s.embargo_until IS NULL OR s.embargo_until <= @now)';
/** Newest first: publication (else first-seen) time, then insertion order. */
const NEWEST = 's.sort_at DESC, s.rowid DESC';
/** The tables holding a story's parse (and its full-text entry), keyed by `story_id`. */
const PARSE_TABLES = ['quote_search', 'sentences', 'entities', 'aliases', 'roles', 'affiliations', 'mentions', 'quotes', 'amounts', 'amount_entities', 'stories_fts'] as const;
/** Stories holding a search word at which it counts as common and is left out of ranking (see `search`). */
const COMMON_DF = 5000;
/** How long a counted document frequency is reused, in milliseconds. */
const DF_CACHE_MS = 10 * 60_000;

/**
 * Normalises an optional ISO 8601 time to UTC `YYYY-MM-DDTHH:mm:ss.sssZ` so times compare as strings.
 * @throws Error naming the field when the value is not a date
 */
export function isoOrNull(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const t = new Date(value);
  if (Number.isNaN(t.getTime())) throw new Error(`${field}: ${JSON.stringify(value.slice(0, 40))} is not an ISO 8601 date`);
  return t.toISOString();
}

/** One search word as an FTS5 phrase (`"word"`): never read as an operator. */
const ftsWord = (w: string) => `"${w.replace(/"/g, '""')}"`;

/**
 * The SQL condition of `storiesSince` over alias `s` (both backends; `greatest` is `max` in
 * SQLite and `greatest` in PostgreSQL), with parameters from `periodParams`: surfaced before
 * `@until` and visible then, not a duplicate, and either published (undated: first seen) in
 * `[@since, @until)`, or surfaced in the period having been published in `[@late, @since)`.
 * The `sort_at` range comes first so that its index serves the query.
 */
export function periodCondition(greatest: 'max' | 'greatest'): string {
  const surfaced = `${greatest}(s.ingested_at, coalesce(s.embargo_until, ''))`;
  return `s.sort_at >= @late AND s.sort_at < @until AND s.duplicate_of IS NULL
    AND (s.embargo_until IS NULL OR s.embargo_until <= @until) AND ${surfaced} < @until
    AND (s.sort_at >= @since OR ${surfaced} >= @since)`;
}

/** Parameters of `periodCondition`: ISO times `since`, `until` and `late` (= since − lateArrivalMs). */
export function periodParams(since: Date, until: Date, options: StoriesSinceOptions): { since: string; until: string; late: string } {
  const late = Math.max(0, options.lateArrivalMs ?? 0);
  return { since: since.toISOString(), until: until.toISOString(), late: new Date(since.getTime() - late).toISOString() };
}

/** Trimmed text, or null for null, undefined, empty or blank. */
export const blankToNull = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);

/** A headline for a story without one: the first words of its first sentence. */
export function fallbackTitle(parsed: ParsedArticle, text: string): string {
  const first = parsed.sentences[0]?.text ?? text.trim().split(/\n/)[0] ?? '';
  const words = first.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'Untitled story';
  return words.length > 12 ? `${words.slice(0, 12).join(' ')}…` : words.join(' ');
}

/** What both backends compute from an input before writing it (see `prepareWrite`). */
export interface PreparedWrite {
  text: string;
  url: string | null;
  guid: string | null;
  meta: {
    title: string;
    byline: string | null;
    dateline: string | null;
    publishedAt: string | null;
    publishedRaw: string | null;
    updatedAt: string | null;
    embargoUntil: string | null;
  };
  /** `url:…` (tracking parameters and fragment dropped, see `storyUrl`), else `guid:…`, else `hash:…`. */
  identity: string;
  /** Hash of the text with whitespace collapsed: the same story under another identity has the same one. */
  textHash: string;
  /** Hash of the text and metadata: unchanged content has the same one. */
  contentHash: string;
  parsedJson: string;
  parseHash: string;
}

/**
 * The identity, hashes and metadata of one story write, computed the same way by both backends.
 * @throws Error naming the field for invalid metadata (before anything is written)
 */
export function prepareWrite(input: ArticleInput, parsed: ParsedArticle): PreparedWrite {
  const text = input.text;
  const rawUrl = blankToNull(input.url);
  const url = rawUrl ? storyUrl(rawUrl) : null;
  const guid = blankToNull(input.guid);
  const publishedAt = isoOrNull('publishedAt', input.publishedAt);
  const meta = {
    title: blankToNull(input.title) ?? parsed.title ?? fallbackTitle(parsed, text),
    byline: blankToNull(input.byline) ?? parsed.byline,
    dateline: parsed.dateline?.place ?? null,
    publishedAt,
    publishedRaw: publishedAt ? null : (blankToNull(input.publishedRaw)?.slice(0, 200) ?? null),
    updatedAt: isoOrNull('updatedAt', input.updatedAt),
    embargoUntil: isoOrNull('embargoUntil', input.embargoUntil),
  };
  const identity = url ? `url:${url}` : guid ? `guid:${guid}` : `hash:${sha256(text)}`;
  // The raw date joins the hash only when there is one, so stories stored before it existed stay unchanged.
  const hashed: unknown[] = [text, meta.title, meta.byline, meta.publishedAt, meta.updatedAt, meta.embargoUntil];
  if (meta.publishedRaw) hashed.push(meta.publishedRaw);
  const parsedJson = JSON.stringify(parsed);
  return {
    text,
    url,
    guid,
    meta,
    identity,
    textHash: textHashOf(text),
    contentHash: sha256(JSON.stringify(hashed)),
    parsedJson,
    parseHash: sha256(parsedJson),
  };
}

/** The hash that recognises a story's text under another identity: SHA-256 of the text with whitespace runs collapsed, trimmed. */
export function textHashOf(text: string): string {
  return sha256(text.replace(/\s+/g, ' ').trim());
}

/** The kind each alias was seen as: the first mention whose surface form folds to the alias. */
export function aliasKinds(entity: ParsedArticle['entities'][number]): AliasRecord[] {
  return entity.aliases.map((alias) => {
    const f = foldName(alias);
    const m = entity.mentions.find((x) => foldName(x.text) === f);
    return { text: alias, kind: m?.kind ?? null };
  });
}

/** The index on a SQLite file (or `:memory:`). Methods are async to fit `ArticleIndex`; they run synchronously. */
export class SqliteIndex implements ArticleIndex {
  private readonly db: Database.Database;
  private readonly clock: () => Date;
  private writes = 0;
  /** Prepared statements by SQL text (preparing costs more than running a small statement). */
  private readonly statements = new Map<string, Database.Statement>();
  /** Document frequencies of search phrases (see `phraseDf`). */
  private readonly dfCache = new Map<string, { df: number; at: number }>();

  private constructor(
    db: Database.Database,
    clock: () => Date,
    private readonly commonDf: number,
  ) {
    this.db = db;
    this.clock = clock;
  }

  /** The prepared statement for `sql`, prepared once per connection. */
  private prepare(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** Runs catalog statements (inside the caller's transaction). */
  private runCatalog(statements: CatalogStatement[]): void {
    for (const st of statements) this.prepare(st.sql).run(st.params);
  }

  /** The current revision's parse of a story, for taking its old contribution out of the catalog. */
  private storedParse(storyId: string, revision: number): ParsedArticle | null {
    const r = this.prepare('SELECT parsed_json FROM revisions WHERE story_id = ? AND revision = ?').get(storyId, revision) as { parsed_json: string } | undefined;
    return r ? (JSON.parse(r.parsed_json) as ParsedArticle) : null;
  }

  /**
   * Folds stories whose embargo has lifted by `now` into the entity catalog (see catalog.ts).
   * Runs inside a write transaction.
   * @returns how many stories were folded in
   */
  private foldLifted(now: string): number {
    const rows = this.prepare(
      `SELECT s.id, s.revision, s.sort_at FROM stories s WHERE s.cataloged = 0 AND (s.embargo_until IS NULL OR s.embargo_until <= ?)`,
    ).all(now) as { id: string; revision: number; sort_at: string }[];
    for (const r of rows) {
      const parsed = this.storedParse(r.id, r.revision);
      if (parsed) this.runCatalog(catalogWrites(catalogEntries(parsed, r.sort_at), 1));
      this.prepare('UPDATE stories SET cataloged = 1 WHERE id = ?').run(r.id);
    }
    return rows.length;
  }

  /**
   * Opens (creating when absent) the index at `file`, in WAL mode with a busy timeout, and
   * applies pending migrations. `:memory:` gives a private in-memory index.
   * @throws Error with the path when the file is not a SQLite database or was written by a newer bot
   */
  static open(file: string, options: SqliteIndexOptions = {}): SqliteIndex {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    let db: Database.Database | undefined;
    try {
      db = new Database(file);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (err) {
      db?.close();
      const code = (err as { code?: string }).code;
      const why = code === 'SQLITE_NOTADB' ? 'the file is not a SQLite database' : (err as Error).message;
      throw new Error(`cannot open the index at ${file}: ${why}`);
    }
    const index = new SqliteIndex(db, options.clock ?? (() => new Date()), Math.max(1, Math.floor(options.commonWordStories ?? COMMON_DF)));
    // Stories stored before the catalog existed (or whose embargo lifted while no one wrote) join it now.
    index.db
      .transaction(() => {
        index.hashOlderStories();
        index.foldLifted(index.clock().toISOString());
      })
      .immediate();
    return index;
  }

  /** The underlying connection, for tests and maintenance scripts. */
  get connection(): Database.Database {
    return this.db;
  }

  async upsert(input: ArticleInput, parsed: ParsedArticle): Promise<UpsertResult> {
    return this.write([{ input, parsed }], true)[0] as UpsertResult;
  }

  async upsertMany(items: readonly { input: ArticleInput; parsed: ParsedArticle }[]): Promise<(UpsertResult | { error: string })[]> {
    return this.write(items, false);
  }

  /**
   * Writes stories in one IMMEDIATE transaction, each in a savepoint.
   * @param rethrow a failing story's error is thrown (and the whole write rolled back) instead of returned
   */
  private write(items: readonly { input: ArticleInput; parsed: ParsedArticle }[], rethrow: boolean): (UpsertResult | { error: string })[] {
    const out = this.db.transaction(() => {
      const results = items.map((it): UpsertResult | { error: string } => {
        try {
          // A transaction inside a transaction is a savepoint: a failing story rolls back alone.
          return this.upsertTx(it.input, it.parsed)();
        } catch (err) {
          if (rethrow) throw err;
          return { error: err instanceof Error ? err.message : String(err) };
        }
      });
      // Once per write, not per story: stories whose embargo has lifted join the catalog.
      if (results.some((r) => 'status' in r && r.status !== 'unchanged')) this.foldLifted(this.clock().toISOString());
      return results;
    }).immediate();
    for (const r of out) if ('status' in r && r.status !== 'unchanged') this.writes++;
    return out;
  }

  /**
   * The write of one story as a better-sqlite3 transaction function (run it with `.immediate()`,
   * or inside another transaction, where it becomes a savepoint).
   * @throws Error for invalid metadata (before anything is written)
   */
  private upsertTx(input: ArticleInput, parsed: ParsedArticle): Database.Transaction<() => UpsertResult> {
    const w = prepareWrite(input, parsed);
    const { text, meta } = w;
    const now = this.clock().toISOString();

    const run = this.db.transaction((): UpsertResult => {
      const row = this.prepare('SELECT * FROM stories WHERE identity = ?').get(w.identity) as StoryRow | undefined;
      const dupOf = row?.duplicate_of ? { duplicateOf: row.duplicate_of } : {};
      if (row && row.content_hash === w.contentHash && row.parse_hash === w.parseHash) {
        return { status: 'unchanged', storyId: row.id, revision: row.revision, ...dupOf };
      }
      // An original story with this text under another identity makes this one its duplicate.
      const original =
        row && row.text_hash === w.textHash && !row.duplicate_of
          ? null
          : ((this.prepare('SELECT id FROM stories WHERE text_hash = ? AND duplicate_of IS NULL AND id <> ? LIMIT 1').get(w.textHash, row?.id ?? '') as { id: string } | undefined)?.id ?? null);
      if (row && !row.duplicate_of && (row.cataloged || original)) {
        // The story's old parse leaves the catalog (and, when it becomes a duplicate, its rows go).
        if (row.cataloged) {
          const old = this.storedParse(row.id, row.revision);
          if (old) this.runCatalog(catalogWrites(catalogEntries(old, row.sort_at), -1));
        }
        if (original) this.deleteParse(row.id);
      }
      if (row && row.content_hash === w.contentHash) {
        this.prepare('UPDATE revisions SET parsed_json = ? WHERE story_id = ? AND revision = ?').run(w.parsedJson, row.id, row.revision);
        this.prepare('UPDATE stories SET parse_hash = ?, title = ?, dateline = ? WHERE id = ?').run(w.parseHash, meta.title, meta.dateline, row.id);
        if (!row.duplicate_of) {
          this.replaceParse(row.id, text, meta.title, parsed, false, row.sort_at, row.embargo_until);
          this.catalogStory(row.id, parsed, row.sort_at, row.embargo_until, now);
        }
        return { status: 'reparsed', storyId: row.id, revision: row.revision, ...dupOf };
      }
      const id = row?.id ?? sha256(w.identity).slice(0, 16);
      const revision = (row?.revision ?? 0) + 1;
      const firstIngested = row?.first_ingested_at ?? now;
      const values = {
        id,
        identity: w.identity,
        url: w.url,
        guid: w.guid,
        source: input.source,
        revision,
        content_hash: w.contentHash,
        parse_hash: w.parseHash,
        title: meta.title,
        byline: meta.byline,
        dateline: meta.dateline,
        published_at: meta.publishedAt,
        published_raw: meta.publishedRaw,
        updated_at: meta.updatedAt,
        embargo_until: meta.embargoUntil,
        first_ingested_at: firstIngested,
        ingested_at: now,
        sort_at: meta.publishedAt ?? firstIngested,
        text_hash: w.textHash,
        duplicate_of: original,
        // A duplicate has nothing to count in the catalog.
        cataloged: original ? 1 : 0,
      };
      if (row) {
        this
          .prepare(
            `UPDATE stories SET url=@url, guid=@guid, source=@source, revision=@revision, content_hash=@content_hash,
               parse_hash=@parse_hash, title=@title, byline=@byline, dateline=@dateline, published_at=@published_at,
               published_raw=@published_raw, updated_at=@updated_at, embargo_until=@embargo_until, ingested_at=@ingested_at,
               sort_at=@sort_at, text_hash=@text_hash, duplicate_of=@duplicate_of, cataloged=@cataloged
             WHERE id=@id`,
          )
          .run(values);
      } else {
        this
          .prepare(
            `INSERT INTO stories (id, identity, url, guid, source, revision, content_hash, parse_hash, title, byline,
               dateline, published_at, published_raw, updated_at, embargo_until, first_ingested_at, ingested_at, sort_at,
               text_hash, duplicate_of, cataloged)
             VALUES (@id, @identity, @url, @guid, @source, @revision, @content_hash, @parse_hash, @title, @byline,
               @dateline, @published_at, @published_raw, @updated_at, @embargo_until, @first_ingested_at, @ingested_at, @sort_at,
               @text_hash, @duplicate_of, @cataloged)`,
          )
          .run(values);
      }
      this
        .prepare(
          `INSERT INTO revisions (story_id, revision, content_hash, title, byline, published_at, updated_at,
             embargo_until, source, ingested_at, text, parsed_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, revision, w.contentHash, meta.title, meta.byline, meta.publishedAt, meta.updatedAt, meta.embargoUntil, input.source, now, text, w.parsedJson);
      if (original) return { status: 'duplicate', storyId: id, revision, duplicateOf: original };
      // A former duplicate has no rows to replace.
      this.replaceParse(id, text, meta.title, parsed, !row || Boolean(row.duplicate_of), values.sort_at, meta.embargoUntil);
      this.catalogStory(id, parsed, values.sort_at, meta.embargoUntil, now);
      return { status: row ? 'updated' : 'added', storyId: id, revision };
    });
    return run;
  }

  /** Deletes a story's parse rows and full-text entry (inside the caller's transaction). */
  private deleteParse(storyId: string): void {
    // The quotes' words leave the full-text index by id (it keeps no text to match a delete on).
    this.prepare('DELETE FROM quotes_fts WHERE rowid IN (SELECT id FROM quote_search WHERE story_id = ?)').run(storyId);
    for (const table of PARSE_TABLES) this.prepare(`DELETE FROM ${table} WHERE story_id = ?`).run(storyId);
  }

  /**
   * Gives stories stored before text hashes existed (schema 4 and older) their hash, and makes
   * the later copies of one text duplicates of the first, so repeated ingests count once there too.
   * Runs inside the open transaction.
   * @returns how many stories became duplicates
   */
  private hashOlderStories(): number {
    const rows = this.prepare(
      `SELECT s.id, r.text FROM stories s JOIN revisions r ON r.story_id = s.id AND r.revision = s.revision WHERE s.text_hash IS NULL`,
    ).all() as { id: string; text: string }[];
    if (rows.length === 0) return 0;
    const set = this.prepare('UPDATE stories SET text_hash = ? WHERE id = ?');
    for (const r of rows) set.run(textHashOf(r.text), r.id);
    const groups = this.prepare(
      `SELECT s.*, first_value(s.id) OVER (PARTITION BY s.text_hash ORDER BY s.first_ingested_at, s.rowid) AS original
       FROM stories s WHERE s.duplicate_of IS NULL AND s.text_hash IN (SELECT text_hash FROM stories WHERE duplicate_of IS NULL GROUP BY text_hash HAVING count(*) > 1)`,
    ).all() as (StoryRow & { original: string })[];
    let n = 0;
    for (const row of groups) {
      if (row.original === row.id) continue;
      if (row.cataloged) {
        const old = this.storedParse(row.id, row.revision);
        if (old) this.runCatalog(catalogWrites(catalogEntries(old, row.sort_at), -1));
      }
      this.deleteParse(row.id);
      this.prepare('UPDATE stories SET duplicate_of = ?, cataloged = 1 WHERE id = ?').run(row.original, row.id);
      n++;
    }
    return n;
  }

  /**
   * Counts a story's freshly written parse in the entity catalog when it is surfaced at `now`
   * (else it waits for its embargo). Runs inside upsert's transaction.
   */
  private catalogStory(storyId: string, parsed: ParsedArticle, sortAt: string, embargoUntil: string | null, now: string): void {
    const surfaced = embargoUntil === null || embargoUntil <= now;
    if (surfaced) this.runCatalog(catalogWrites(catalogEntries(parsed, sortAt), 1));
    this.prepare('UPDATE stories SET cataloged = ? WHERE id = ?').run(surfaced ? 1 : 0, storyId);
  }

  /**
   * Replaces a story's parsed rows and full-text entry with those of `parsed`. Runs inside upsert's transaction.
   * @param fresh the story is new, so it has no rows to delete
   * @param sortAt the story's sort time, copied onto its entity rows (newest stories of an entity by index)
   * @param embargoUntil the story's embargo, copied onto its quote-search rows
   */
  private replaceParse(storyId: string, text: string, title: string, parsed: ParsedArticle, fresh: boolean, sortAt: string, embargoUntil: string | null): void {
    if (!fresh) this.deleteParse(storyId);
    const summaryRank = new Map(parsed.summary.map((idx, rank) => [idx, rank]));
    const insSentence = this.prepare(
      'INSERT OR IGNORE INTO sentences (story_id, idx, paragraph, start_offset, end_offset, text, summary_rank) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const s of parsed.sentences) {
      insSentence.run(storyId, s.index, s.paragraph, s.start, s.end, s.text, summaryRank.get(s.index) ?? null);
    }
    const keyOf = new Map<string, string>();
    const insEntity = this.prepare(
      'INSERT OR IGNORE INTO entities (story_id, local_id, key, name, type, gender, country_code, sort_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insAlias = this.prepare('INSERT OR IGNORE INTO aliases (story_id, entity_id, alias, kind) VALUES (?, ?, ?, ?)');
    const insRole = this.prepare('INSERT OR IGNORE INTO roles (story_id, entity_id, role, position) VALUES (?, ?, ?, ?)');
    const insAff = this.prepare('INSERT OR IGNORE INTO affiliations (story_id, entity_id, name) VALUES (?, ?, ?)');
    const insMention = this.prepare(
      'INSERT INTO mentions (story_id, entity_id, start_offset, end_offset, text, kind, sentence) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const e of parsed.entities) {
      const key = entityKey(e.type, e.name);
      keyOf.set(e.id, key);
      insEntity.run(storyId, e.id, key, e.name, e.type, e.gender, e.countryCode ?? null, sortAt);
      for (const a of aliasKinds(e)) insAlias.run(storyId, e.id, a.text, a.kind);
      e.roles.forEach((r, i) => insRole.run(storyId, e.id, r, i));
      for (const a of e.affiliation) insAff.run(storyId, e.id, a);
      for (const m of e.mentions) insMention.run(storyId, e.id, m.start, m.end, m.text, m.kind, m.sentence);
    }
    const insQuote = this.prepare(
      `INSERT OR IGNORE INTO quotes (story_id, quote_id, kind, partial, text, start_offset, end_offset, speaker_name,
         speaker_entity_id, speaker_key, cue, context_start, context_end, context, sentence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const q of parsed.quotes) {
      const cs = Math.max(0, Math.min(q.context.start, text.length));
      const ce = Math.max(cs, Math.min(q.context.end, text.length));
      const speakerKey = q.speaker?.entityId ? (keyOf.get(q.speaker.entityId) ?? null) : null;
      insQuote.run(
        storyId,
        q.id,
        q.kind,
        q.partial ? 1 : 0,
        q.text,
        q.start,
        q.end,
        q.speaker?.name ?? null,
        q.speaker?.entityId ?? null,
        speakerKey,
        q.cue,
        cs,
        ce,
        text.slice(cs, ce),
        q.sentence,
      );
    }
    const insSearch = this.prepare('INSERT INTO quote_search (story_id, quote_id, text_key, sort_at, first_direct, embargo_until) VALUES (?, ?, ?, ?, ?, ?)');
    const insWords = this.prepare('INSERT INTO quotes_fts (rowid, text) VALUES (?, ?)');
    const searchable = new Set<string>();
    const counted = new Set<number>();
    for (const q of parsed.quotes) {
      const key = q.kind === 'term' || searchable.has(q.id) ? null : quoteKey(q.text);
      if (key === null) continue;
      searchable.add(q.id);
      const first = q.kind === 'direct' && !counted.has(key);
      if (first) counted.add(key);
      insWords.run(insSearch.run(storyId, q.id, key, sortAt, first ? 1 : 0, embargoUntil).lastInsertRowid, q.text);
    }
    const insAmount = this.prepare(
      'INSERT OR IGNORE INTO amounts (story_id, idx, value, unit, text, start_offset, end_offset, sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insAmountEntity = this.prepare(
      'INSERT OR IGNORE INTO amount_entities (story_id, amount_idx, entity_id, rank) VALUES (?, ?, ?, ?)',
    );
    parsed.amounts.forEach((a, i) => {
      insAmount.run(storyId, i, Number.isFinite(a.value) ? a.value : 0, a.unit, a.text, a.start, a.end, a.sentence);
      a.entityIds.forEach((eid, rank) => insAmountEntity.run(storyId, i, eid, rank));
    });
    this.prepare('INSERT INTO stories_fts (story_id, title, body) VALUES (?, ?, ?)').run(storyId, title, text);
  }

  async getStory(id: string): Promise<StoryRecord | null> {
    const row = this
      .prepare(
        `SELECT s.*, r.text, r.parsed_json FROM stories s
         JOIN revisions r ON r.story_id = s.id AND r.revision = s.revision WHERE s.id = ?`,
      )
      .get(id) as (StoryRow & { text: string; parsed_json: string }) | undefined;
    if (!row) return null;
    return {
      id: row.id,
      title: row.title,
      url: row.url,
      source: row.source,
      byline: row.byline,
      dateline: row.dateline,
      publishedAt: row.published_at,
      publishedRaw: row.published_raw,
      updatedAt: row.updated_at,
      ingestedAt: row.ingested_at,
      firstSeenAt: row.first_ingested_at,
      embargoUntil: row.embargo_until,
      revision: row.revision,
      text: row.text,
      parsed: JSON.parse(row.parsed_json) as ParsedArticle,
    };
  }

  async latestStory(now: Date = new Date()): Promise<StoryRecord | null> {
    const row = this
      .prepare(`SELECT s.id FROM stories s WHERE ${VISIBLE} AND s.duplicate_of IS NULL ORDER BY ${NEWEST} LIMIT 1`)
      .get({ now: now.toISOString() }) as { id: string } | undefined;
    return row ? this.getStory(row.id) : null;
  }

  async storiesSince(since: Date, until: Date = new Date(), options: StoriesSinceOptions = {}): Promise<StoryRecord[]> {
    const rows = this.prepare(`SELECT s.id FROM stories s WHERE ${periodCondition('max')} ORDER BY ${NEWEST}`).all(periodParams(since, until, options)) as { id: string }[];
    const out: StoryRecord[] = [];
    for (const r of rows) {
      const s = await this.getStory(r.id);
      if (s) out.push(s);
    }
    return out;
  }

  async listEntities(now: Date = new Date()): Promise<EntitySummary[]> {
    const byKey = summariesFromCatalog(
      this.prepare(CATALOG_ENTITIES_SQL).all() as CatalogEntityRow[],
      this.prepare(CATALOG_TERMS_SQL).all() as CatalogTermRow[],
    );
    // Stories whose embargo has lifted since the last write are not in the catalog yet.
    const lifted = this.prepare(
      `SELECT s.sort_at, r.parsed_json FROM stories s JOIN revisions r ON r.story_id = s.id AND r.revision = s.revision
       WHERE s.cataloged = 0 AND s.embargo_until <= ? ORDER BY s.sort_at DESC`,
    ).all(now.toISOString()) as { sort_at: string; parsed_json: string }[];
    for (const r of lifted) mergeEntries(byKey, catalogEntries(JSON.parse(r.parsed_json) as ParsedArticle, r.sort_at));
    return [...byKey.values()];
  }

  /** The shared read queries (profile.ts) over this connection. */
  private readonly reader: SqlReader = {
    all: async <T>(sql: string, params: Record<string, unknown>) => this.prepare(sql).all(params) as T[],
    in: (column, name) => `${column} IN (SELECT value FROM json_each(@${name}))`,
    notIn: (column, name) => `${column} NOT IN (SELECT value FROM json_each(@${name}))`,
    listValue: (values) => JSON.stringify(values),
    newest: NEWEST,
    inListIgnoringCase: (column, name) => `${column} COLLATE NOCASE IN (SELECT value FROM json_each(@${name}))`,
  };

  private quoteRows(where: string, params: Record<string, unknown>, tail = ''): Promise<QuoteRecord[]> {
    return quoteRows(this.reader, where, params, tail);
  }

  async quotesBySpeaker(speakerKey: string, now: Date = new Date()): Promise<QuoteRecord[]> {
    return this.quoteRows('q.speaker_key = @key', { key: speakerKey, now: now.toISOString() });
  }

  async quotesBySpeakerName(text: string, now: Date = new Date()): Promise<QuoteRecord[]> {
    const needle = text.trim();
    if (!needle) return [];
    const like = `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.quoteRows(`q.speaker_key IS NULL AND q.speaker_name LIKE @like ESCAPE '\\'`, {
      like,
      now: now.toISOString(),
    });
  }

  async recentQuotes(limit: number, now: Date = new Date(), offset = 0): Promise<QuoteRecord[]> {
    const n = Math.max(0, Math.min(MAX_RECENT_QUOTE_ROWS, Math.floor(limit)));
    return this.quoteRows('1', { now: now.toISOString(), limit: n, offset: Math.max(0, Math.floor(offset)) }, 'LIMIT @limit OFFSET @offset');
  }

  async quoteRepeats(quotes: readonly Pick<QuoteRecord, 'text' | 'speakerKey' | 'speakerName'>[], now: Date = new Date()): Promise<number[]> {
    const out: number[] = [];
    for (const quote of quotes) {
      const key = quoteKey(quote.text);
      if (key === null) {
        out.push(0);
        continue;
      }
      // From the (text_key, …) index: every row with these words, then their speakers.
      const who = repeatSpeakerCondition(quote);
      const row = this.prepare(
        `SELECT count(*) AS n FROM quote_search x JOIN quotes q ON q.story_id = x.story_id AND q.quote_id = x.quote_id JOIN stories s ON s.id = x.story_id
         WHERE x.text_key = @key AND ${VISIBLE} AND q.kind IN ('direct', 'indirect') AND ${who.sql}`,
      ).get({ key, now: now.toISOString(), speaker: who.speaker }) as { n: number };
      out.push(row.n);
    }
    return out;
  }

  async entityProfile(keys: string[], now: Date = new Date(), limit = PROFILE_STORIES): Promise<EntityProfile> {
    return entityProfile(this.reader, keys, now, limit);
  }

  /**
   * How many stories hold an FTS5 phrase, counted up to the common-word threshold (cached for a while: it
   * drifts slowly). Used to keep very common words out of ranking, see `search`.
   */
  private phraseDf(phrase: string): number {
    const hit = this.dfCache.get(phrase);
    const t = Date.now();
    if (hit && t - hit.at < DF_CACHE_MS) return hit.df;
    const df = (this.prepare('SELECT count(*) AS n FROM (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ? LIMIT ?)').get(phrase, this.commonDf) as { n: number }).n;
    if (this.dfCache.size >= 10_000) this.dfCache.clear();
    this.dfCache.set(phrase, { df, at: t });
    return df;
  }

  /**
   * Ranking note: FTS5's bm25() computes each phrase's document frequency by walking its whole
   * posting list, so a query holding a word found in most stories ("as", "will", "the") costs
   * ~5 ms per such word per 100,000 stories on every call. Such words carry almost no weight in
   * bm25 anyway (IDF near zero), so they still have to match but are left out of the ranking
   * expression; when every word is that common, the newest matches come first.
   */
  async search(query: string, limit = 10, options: SearchOptions = {}): Promise<SearchHit[]> {
    const n = Math.max(1, Math.min(100, Math.floor(limit)));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const now = (options.now ?? new Date()).toISOString();
    const all = toFtsQuery(query, 'and');
    if (!all) return [];
    // All words when that finds anything (checked once, unranked, so every page uses the same mode); else any word.
    const anyAll =
      this.prepare(`SELECT 1 FROM stories_fts f JOIN stories s ON s.id = f.story_id WHERE stories_fts MATCH @q AND ${VISIBLE} LIMIT 1`).get({ q: all, now }) !== undefined;
    const phrases = ftsPhrases(query);
    let rare = phrases.filter((p) => this.phraseDf(p) < this.commonDf);
    const q = anyAll ? all : toFtsQuery(query, 'or')!;
    // Any word: stories holding a rarer word are ranked by those; when there are none, common-word matches come newest first.
    if (!anyAll && rare.length > 0 && rare.length < phrases.length && this.phraseDf(rare.join(' OR ')) === 0) rare = [];
    type Row = { story_id: string; title: string; date: string | null; undated: number; url: string | null; snippet: string; score: number };
    const cols = `f.story_id, s.title, coalesce(s.published_at, s.first_ingested_at) AS date, s.published_at IS NULL AS undated, s.url, snippet(stories_fts, 2, '', '', '…', 16) AS snippet`;
    let rows: Row[];
    if (rare.length === phrases.length) {
      rows = this.prepare(
        `SELECT ${cols}, bm25(stories_fts, 0, 8, 1) AS score FROM stories_fts f JOIN stories s ON s.id = f.story_id
         WHERE stories_fts MATCH @q AND ${VISIBLE} ORDER BY score, ${NEWEST} LIMIT @n OFFSET @offset`,
      ).all({ q, n, offset, now }) as Row[];
    } else if (rare.length > 0) {
      // Rank by the rarer words only, then fetch the page's rows with their snippets. (FTS5
      // evaluates MATCH row by row when a rowid filter is joined in: cheap for a few rows only.)
      const rank = rare.join(anyAll ? ' ' : ' OR ');
      const rankSql = (filter: string) =>
        `SELECT f.rowid AS r, bm25(stories_fts, 0, 8, 1) AS score FROM stories_fts f JOIN stories s ON s.id = f.story_id
         WHERE stories_fts MATCH @rank ${filter} AND ${VISIBLE} ORDER BY score, ${NEWEST}`;
      // Every word must match: read the full expression's matches (unranked: one pass over the
      // lists), then rank them by the rarer words: one by one when they are few (~0.15 ms each),
      // else all matches of the rarer words (under `commonDf` each), kept when they match in full.
      const all = anyAll ? (this.prepare('SELECT rowid AS r FROM stories_fts WHERE stories_fts MATCH ?').all(q) as { r: number }[]).map((x) => x.r) : null;
      let ranked: { r: number; score: number }[];
      let allowed: Set<number> | null = null;
      if (all && all.length <= 200) {
        ranked = this.prepare(rankSql('AND f.rowid IN (SELECT value FROM json_each(@ids))')).all({ rank, now, ids: JSON.stringify(all) }) as { r: number; score: number }[];
      } else {
        ranked = this.prepare(rankSql('')).all({ rank, now }) as { r: number; score: number }[];
        if (all) allowed = new Set(all);
      }
      const page = (allowed ? ranked.filter((x) => allowed!.has(x.r)) : ranked).slice(offset, offset + n);
      const byRow = new Map(
        (
          this.prepare(
            `SELECT f.rowid AS r, ${cols} FROM stories_fts f JOIN stories s ON s.id = f.story_id
             WHERE stories_fts MATCH @rank AND f.rowid IN (SELECT value FROM json_each(@ids))`,
          ).all({ rank, ids: JSON.stringify(page.map((x) => x.r)) }) as (Row & { r: number })[]
        ).map((x) => [x.r, x]),
      );
      rows = page.flatMap((x) => {
        const row = byRow.get(x.r);
        return row ? [{ ...row, score: x.score }] : [];
      });
    } else {
      rows = this.prepare(
        `SELECT ${cols}, 0 AS score FROM stories_fts f JOIN stories s ON s.id = f.story_id
         WHERE stories_fts MATCH @q AND ${VISIBLE} ORDER BY f.rowid DESC LIMIT @n OFFSET @offset`,
      ).all({ q, n, offset, now }) as Row[];
    }
    return rows.map((r) => ({
      storyId: r.story_id,
      title: r.title,
      date: r.date,
      undated: Boolean(r.undated),
      url: r.url,
      snippet: r.snippet.replace(/\s+/g, ' ').trim(),
      rank: -r.score,
      allWords: anyAll,
    }));
  }


  /** The quotes' full-text index (see quotesearch.ts): FTS5 phrases of one word each, so no word is syntax. */
  private readonly quoteWords: QuoteWordIndex = {
    wordCount: async (word, cap) =>
      (this.prepare('SELECT count(*) AS n FROM (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? LIMIT ?)').get(ftsWord(word), cap) as { n: number }).n,
    allWords: async (words, limit) =>
      (this.prepare('SELECT rowid AS id FROM quotes_fts WHERE quotes_fts MATCH ? LIMIT ?').all(words.map(ftsWord).join(' '), limit) as { id: number }[]).map((r) => r.id),
    withWord: async (word, limit) =>
      (this.prepare('SELECT rowid AS id FROM quotes_fts WHERE quotes_fts MATCH ? LIMIT ?').all(ftsWord(word), limit) as { id: number }[]).map((r) => r.id),
  };
  private readonly wordCounts = new WordCounts(this.quoteWords);

  async quoteCandidates(text: string, options: QuoteLookupOptions = {}): Promise<QuoteRecord[]> {
    const ids = await candidateIds(this.quoteWords, this.wordCounts, text, Math.max(1, Math.min(500, options.limit ?? 60)), options.thorough ?? true);
    if (ids.length === 0) return [];
    return this.quoteRows('(q.story_id, q.quote_id) IN (SELECT story_id, quote_id FROM quote_search WHERE id IN (SELECT value FROM json_each(@ids)))', {
      ids: JSON.stringify(ids),
      now: (options.now ?? new Date()).toISOString(),
    });
  }

  async quotesWithWords(text: string, options: QuoteLookupOptions = {}): Promise<QuoteAppearances> {
    const key = quoteKey(text);
    if (key === null) return { quotes: [], directStories: 0, more: false };
    const p = { key, now: (options.now ?? new Date()).toISOString(), limit: Math.max(1, Math.min(100, options.limit ?? 10)) };
    const open = '(x.embargo_until IS NULL OR x.embargo_until <= @now)';
    // The oldest stories first, from the (text_key, sort_at, …) index alone; then their rows.
    const first = this.prepare(`SELECT x.story_id, x.quote_id FROM quote_search x WHERE x.text_key = @key AND ${open} ORDER BY x.sort_at LIMIT @limit`).all(p) as { story_id: string; quote_id: string }[];
    const quotes = first.length
      ? await quoteRows(this.reader, `(q.story_id, q.quote_id) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@pairs))`, { now: p.now, pairs: JSON.stringify(first.map((r) => [r.story_id, r.quote_id])) }, '', 's.sort_at, s.rowid')
      : [];
    const n = this.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM quote_search x WHERE x.text_key = @key AND x.first_direct = 1 AND ${open} LIMIT @cap)`).get({ key, now: p.now, cap: MAX_COUNTED_STORIES + 1 }) as { n: number };
    return { quotes, directStories: Math.min(n.n, MAX_COUNTED_STORIES), more: n.n > MAX_COUNTED_STORIES };
  }

  async storyCount(): Promise<number> {
    return (this.prepare('SELECT count(*) AS n FROM stories WHERE duplicate_of IS NULL').get() as { n: number }).n;
  }

  async changeToken(): Promise<string> {
    return `${this.db.pragma('data_version', { simple: true }) as number}:${this.writes}`;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
