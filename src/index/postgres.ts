/**
 * The PostgreSQL index (node-postgres `pg`), for several bot instances over one shared archive.
 * Same tables and the same semantics as the SQLite index (`sqlite.ts`); see `pg-migrations.ts`
 * for the schema. Differences that show:
 *
 * - Full-text search uses a stored `tsvector` (headline weight A, body weight B, English
 *   stemming without stop words, as SQLite's porter tokenizer) with a GIN index. User text goes through `plainto_tsquery`, which gives no word
 *   any operator meaning, so no input is ever a query syntax error. Ranking is `ts_rank`, not
 *   BM25, so the order of equally good hits may differ from SQLite's; a trailing `*` (prefix)
 *   is not supported and is read as the plain word.
 * - `quotesBySpeakerName` uses `ILIKE`, served by a trigram index when `pg_trgm` is available.
 * - Every upsert is one transaction, serialised per story identity by an advisory lock, so two
 *   instances ingesting the same story at once agree on one row and one revision.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ParsedArticle } from '../parse/types.js';
import { entityKey, quoteKey } from './keys.js';
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
import { entityProfile, PROFILE_STORIES, quoteRows, repeatSpeakerCondition, type SqlReader } from './profile.js';
import { insertQuoteSearch, migratePg } from './pg-migrations.js';
import { aliasKinds, periodCondition, periodParams, prepareWrite, textHashOf } from './sqlite.js';
import type {
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

/** Options of `PostgresIndex.open`. */
export interface PostgresIndexOptions {
  /** Most connections this process opens (default 10). */
  maxConnections?: number;
  /** Clock for ingestion times (tests); default `new Date()`. */
  clock?: () => Date;
}

type Queryable = pg.Pool | pg.PoolClient;
type Params = Record<string, unknown>;

/**
 * Runs `sql` with named parameters (`@name`, never `@@`, which is the text-search operator) turned
 * into PostgreSQL's positional `$n`.
 */
export async function q<T extends pg.QueryResultRow>(db: Queryable, sql: string, params: Params = {}, prepared = false): Promise<T[]> {
  const names: string[] = [];
  const text = sql.replace(/(?<!@)@([a-zA-Z_][a-zA-Z0-9_]*)/g, (_, name: string) => {
    let i = names.indexOf(name);
    if (i < 0) {
      if (!(name in params)) throw new Error(`query parameter @${name} not given`);
      names.push(name);
      i = names.length - 1;
    }
    return `$${i + 1}`;
  });
  const values = names.map((n) => params[n]);
  // A named statement is parsed and planned once per connection, and PostgreSQL may then reuse a
  // generic plan: the /who queries spent more time in the planner than running.
  const res = prepared ? await db.query<T>({ name: `nb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text, values }) : await db.query<T>(text, values);
  return res.rows;
}

/** Inserts `rows` (arrays in `columns` order) in multi-row statements of at most ~2000 parameters. */
async function insertMany(db: Queryable, table: string, columns: string[], rows: unknown[][], onConflict = ''): Promise<void> {
  const per = Math.max(1, Math.floor(2000 / columns.length));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const values: unknown[] = [];
    const tuples = chunk.map((r) => `(${r.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${onConflict}`, values);
  }
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

/** Embargo lifted at `@now` (ISO text). */
const VISIBLE = '(s.embargo_until IS NULL OR s.embargo_until <= @now)';
/** Newest first: publication (else first-seen) time, then insertion order. */
const NEWEST = 's.sort_at DESC, s.seq DESC';

/** Most words a search keeps (as the SQLite backend: `MAX_QUERY_PHRASES`). */
const MAX_SEARCH_WORDS = 32;

/**
 * The words of user text, cleaned of format and control characters (NUL cannot be sent).
 * Each word goes to `plainto_tsquery` as typed, so PostgreSQL's parser splits it exactly as it
 * split the indexed text ("U.S.", "10:30"); that function gives no character operator meaning.
 */
function searchWords(text: string): string[] {
  const words: string[] = [];
  for (const w of text.normalize('NFKC').replace(/[\p{Cf}\p{Cc}]/gu, ' ').split(/\s+/)) {
    if (/[\p{L}\p{N}]/u.test(w)) words.push(w.slice(0, 200));
    if (words.length >= MAX_SEARCH_WORDS) break;
  }
  return words;
}

function toStoryRecord(row: StoryRow & { text: string; parsed_json: string }): StoryRecord {
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

/** The index in a PostgreSQL database. */
export class PostgresIndex implements ArticleIndex {
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly clock: () => Date,
  ) {}

  /**
   * Connects to `url` (`postgres://user:pass@host:port/db`) and applies pending migrations.
   * @throws Error naming the host and database (never the password) when it cannot connect or migrate
   */
  static async open(url: string, options: PostgresIndexOptions = {}): Promise<PostgresIndex> {
    const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
    // An idle connection dropped by the server must not crash the process.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      try {
        await client.query('SET client_min_messages = warning');
        await migratePg(client);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new Error(`cannot open the PostgreSQL index at ${describeUrl(url)}: ${(err as Error).message}`);
    }
    const index = new PostgresIndex(pool, options.clock ?? (() => new Date()));
    // Stories stored before the catalog existed (or whose embargo lifted while no one wrote) join it now.
    await index.tx(async (c) => {
      await index.hashOlderStories(c);
      await index.foldLifted(c, index.clock().toISOString());
    });
    return index;
  }

  /** The connection pool, for the digest store, tests and maintenance scripts. */
  get connection(): pg.Pool {
    return this.pool;
  }

  /** Runs `fn` in one transaction on one pooled connection (see `withTransaction`). */
  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, fn);
  }


  async upsert(input: ArticleInput, parsed: ParsedArticle): Promise<UpsertResult> {
    return this.tx(async (c) => {
      const r = await this.upsertOn(c, input, parsed);
      if (r.status !== 'unchanged') await this.foldLifted(c, this.clock().toISOString());
      return r;
    });
  }

  async upsertMany(items: readonly { input: ArticleInput; parsed: ParsedArticle }[]): Promise<(UpsertResult | { error: string })[]> {
    return this.tx(async (c) => {
      const out: (UpsertResult | { error: string })[] = [];
      for (const it of items) {
        // Each story in a savepoint: a failing one rolls back alone.
        // Two instances writing batches may lock catalog rows in opposite orders; PostgreSQL then
        // cancels one story with a deadlock error (40P01), and that story is tried once more.
        for (let attempt = 1; ; attempt++) {
          await c.query('SAVEPOINT story');
          try {
            out.push(await this.upsertOn(c, it.input, it.parsed));
            await c.query('RELEASE SAVEPOINT story');
            break;
          } catch (err) {
            await c.query('ROLLBACK TO SAVEPOINT story');
            if ((err as { code?: string }).code === '40P01' && attempt < 2) continue;
            out.push({ error: err instanceof Error ? err.message : String(err) });
            break;
          }
        }
      }
      // Once per batch, not per story: stories whose embargo has lifted join the catalog.
      if (out.some((r) => 'status' in r && r.status !== 'unchanged')) await this.foldLifted(c, this.clock().toISOString());
      return out;
    });
  }

  /** Writes one story on `c`, inside the caller's transaction (the same steps as `SqliteIndex.upsertTx`). */
  private async upsertOn(c: pg.PoolClient, input: ArticleInput, parsed: ParsedArticle): Promise<UpsertResult> {
    const w = prepareWrite(input, parsed);
    const { text, meta } = w;
    // PostgreSQL text cannot hold NUL; a story with one is refused before anything is written.
    if (text.includes('\u0000')) throw new Error('the story text holds a NUL character, which PostgreSQL cannot store');
    const now = this.clock().toISOString();

    await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [w.identity]);
    const [row] = await q<StoryRow>(c, 'SELECT * FROM stories WHERE identity = @identity', { identity: w.identity });
    const dupOf = row?.duplicate_of ? { duplicateOf: row.duplicate_of } : {};
    if (row && row.content_hash === w.contentHash && row.parse_hash === w.parseHash) {
      return { status: 'unchanged', storyId: row.id, revision: row.revision, ...dupOf };
    }
    await c.query("SELECT nextval('index_changes')");
    // An original story with this text under another identity makes this one its duplicate.
    // (Two instances storing one new text under two identities at once may both keep theirs: a rare double, never a loss.)
    const original =
      row && row.text_hash === w.textHash && !row.duplicate_of
        ? null
        : ((await q<{ id: string }>(c, 'SELECT id FROM stories WHERE text_hash = @h AND duplicate_of IS NULL AND id <> @id LIMIT 1', { h: w.textHash, id: row?.id ?? '' }))[0]?.id ?? null);
    if (row && !row.duplicate_of && (row.cataloged || original)) {
      // The story's old parse leaves the catalog (and, when it becomes a duplicate, its rows go).
      if (row.cataloged) {
        const old = await this.storedParse(c, row.id, row.revision);
        if (old) await this.runCatalog(c, catalogWrites(catalogEntries(old, row.sort_at), -1));
      }
      if (original) await this.deleteParse(c, row.id);
    }
    if (row && row.content_hash === w.contentHash) {
      await c.query('UPDATE revisions SET parsed_json = $1 WHERE story_id = $2 AND revision = $3', [w.parsedJson, row.id, row.revision]);
      await c.query('UPDATE stories SET parse_hash = $1, title = $2, dateline = $3 WHERE id = $4', [w.parseHash, meta.title, meta.dateline, row.id]);
      if (!row.duplicate_of) {
        await this.replaceParse(c, row.id, text, meta.title, parsed, row.sort_at, row.embargo_until);
        await this.catalogStory(c, row.id, parsed, row.sort_at, row.embargo_until, now);
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
      await q(
        c,
        `UPDATE stories SET url=@url, guid=@guid, source=@source, revision=@revision, content_hash=@content_hash,
           parse_hash=@parse_hash, title=@title, byline=@byline, dateline=@dateline, published_at=@published_at,
           published_raw=@published_raw, updated_at=@updated_at, embargo_until=@embargo_until, ingested_at=@ingested_at,
           sort_at=@sort_at, text_hash=@text_hash, duplicate_of=@duplicate_of, cataloged=@cataloged
         WHERE id=@id`,
        values,
      );
    } else {
      await q(
        c,
        `INSERT INTO stories (id, identity, url, guid, source, revision, content_hash, parse_hash, title, byline,
           dateline, published_at, published_raw, updated_at, embargo_until, first_ingested_at, ingested_at, sort_at,
           text_hash, duplicate_of, cataloged)
         VALUES (@id, @identity, @url, @guid, @source, @revision, @content_hash, @parse_hash, @title, @byline,
           @dateline, @published_at, @published_raw, @updated_at, @embargo_until, @first_ingested_at, @ingested_at, @sort_at,
           @text_hash, @duplicate_of, @cataloged)`,
        values,
      );
    }
    await c.query(
      `INSERT INTO revisions (story_id, revision, content_hash, title, byline, published_at, updated_at,
         embargo_until, source, ingested_at, text, parsed_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, revision, w.contentHash, meta.title, meta.byline, meta.publishedAt, meta.updatedAt, meta.embargoUntil, input.source, now, text, w.parsedJson],
    );
    if (original) return { status: 'duplicate', storyId: id, revision, duplicateOf: original };
    // A former duplicate has no rows to replace.
    await this.replaceParse(c, id, text, meta.title, parsed, values.sort_at, meta.embargoUntil, !row || Boolean(row.duplicate_of));
    await this.catalogStory(c, id, parsed, values.sort_at, meta.embargoUntil, now);
    return { status: row ? ('updated' as const) : ('added' as const), storyId: id, revision };
  }

  /** Deletes a story's parse rows and full-text entry (inside the caller's transaction). */
  private async deleteParse(c: pg.PoolClient, storyId: string): Promise<void> {
    await c.query(
      `WITH a AS (DELETE FROM sentences WHERE story_id = $1), b AS (DELETE FROM entities WHERE story_id = $1),
         c AS (DELETE FROM aliases WHERE story_id = $1), d AS (DELETE FROM roles WHERE story_id = $1),
         e AS (DELETE FROM affiliations WHERE story_id = $1), f AS (DELETE FROM mentions WHERE story_id = $1),
         g AS (DELETE FROM quotes WHERE story_id = $1), h AS (DELETE FROM amounts WHERE story_id = $1),
         i AS (DELETE FROM amount_entities WHERE story_id = $1), j AS (DELETE FROM quote_search WHERE story_id = $1)
       DELETE FROM stories_fts WHERE story_id = $1`,
      [storyId],
    );
  }

  /**
   * Gives stories stored before text hashes existed their hash, and makes the later copies of one
   * text duplicates of the first (as `SqliteIndex.hashOlderStories`). Runs inside a transaction.
   */
  private async hashOlderStories(c: pg.PoolClient): Promise<number> {
    const rows = await q<{ id: string; text: string }>(
      c,
      'SELECT s.id, r.text FROM stories s JOIN revisions r ON r.story_id = s.id AND r.revision = s.revision WHERE s.text_hash IS NULL FOR UPDATE OF s SKIP LOCKED',
    );
    if (rows.length === 0) return 0;
    for (const r of rows) await c.query('UPDATE stories SET text_hash = $1 WHERE id = $2', [textHashOf(r.text), r.id]);
    const groups = await q<StoryRow & { original: string }>(
      c,
      `SELECT s.*, first_value(s.id) OVER (PARTITION BY s.text_hash ORDER BY s.first_ingested_at, s.seq) AS original
       FROM stories s WHERE s.duplicate_of IS NULL AND s.text_hash IN (SELECT text_hash FROM stories WHERE duplicate_of IS NULL GROUP BY text_hash HAVING count(*) > 1)`,
    );
    let n = 0;
    for (const row of groups) {
      if (row.original === row.id) continue;
      if (row.cataloged) {
        const old = await this.storedParse(c, row.id, row.revision);
        if (old) await this.runCatalog(c, catalogWrites(catalogEntries(old, row.sort_at), -1));
      }
      await this.deleteParse(c, row.id);
      await c.query('UPDATE stories SET duplicate_of = $1, cataloged = 1 WHERE id = $2', [row.original, row.id]);
      n++;
    }
    if (n > 0) await c.query("SELECT nextval('index_changes')");
    return n;
  }

  /** Runs catalog statements on `c` (inside the caller's transaction). */
  private async runCatalog(c: Queryable, statements: CatalogStatement[]): Promise<void> {
    for (const st of statements) await q(c, st.sql, st.params);
  }

  /** The stored parse of a story's revision, for taking its old contribution out of the catalog. */
  private async storedParse(c: Queryable, storyId: string, revision: number): Promise<ParsedArticle | null> {
    const [r] = await q<{ parsed_json: string }>(c, 'SELECT parsed_json FROM revisions WHERE story_id = @id AND revision = @revision', { id: storyId, revision });
    return r ? (JSON.parse(r.parsed_json) as ParsedArticle) : null;
  }

  /**
   * Counts a story's freshly written parse in the entity catalog when it is surfaced at `now`
   * (else it waits for its embargo). Runs inside upsert's transaction.
   */
  private async catalogStory(c: Queryable, storyId: string, parsed: ParsedArticle, sortAt: string, embargoUntil: string | null, now: string): Promise<void> {
    const surfaced = embargoUntil === null || embargoUntil <= now;
    if (surfaced) await this.runCatalog(c, catalogWrites(catalogEntries(parsed, sortAt), 1));
    await c.query('UPDATE stories SET cataloged = $1 WHERE id = $2', [surfaced ? 1 : 0, storyId]);
  }

  /**
   * Folds stories whose embargo has lifted by `now` into the entity catalog (see catalog.ts);
   * rows another instance is folding are skipped. Runs inside a transaction.
   */
  private async foldLifted(c: Queryable, now: string): Promise<number> {
    const rows = await q<{ id: string; revision: number; sort_at: string }>(
      c,
      `SELECT id, revision, sort_at FROM stories WHERE cataloged = 0 AND (embargo_until IS NULL OR embargo_until <= @now)
       ORDER BY id FOR UPDATE SKIP LOCKED`,
      { now },
    );
    for (const r of rows) {
      const parsed = await this.storedParse(c, r.id, r.revision);
      if (parsed) await this.runCatalog(c, catalogWrites(catalogEntries(parsed, r.sort_at), 1));
      await c.query('UPDATE stories SET cataloged = 1 WHERE id = $1', [r.id]);
    }
    return rows.length;
  }

  /** Replaces a story's parsed rows and full-text entry (its embargo copied onto its quote-search rows). Runs inside upsert's transaction. */
  private async replaceParse(c: pg.PoolClient, storyId: string, text: string, title: string, parsed: ParsedArticle, sortAt: string, embargoUntil: string | null, fresh = false): Promise<void> {
    // A new story has no rows to delete (one round trip saved per story).
    if (!fresh) await this.deleteParse(c, storyId);
    const ignore = 'ON CONFLICT DO NOTHING';
    const summaryRank = new Map(parsed.summary.map((idx, rank) => [idx, rank]));
    await insertMany(
      c,
      'sentences',
      ['story_id', 'idx', 'paragraph', 'start_offset', 'end_offset', 'text', 'summary_rank'],
      parsed.sentences.map((s) => [storyId, s.index, s.paragraph, s.start, s.end, s.text, summaryRank.get(s.index) ?? null]),
      ignore,
    );
    const keyOf = new Map<string, string>();
    const entities: unknown[][] = [];
    const aliases: unknown[][] = [];
    const roles: unknown[][] = [];
    const affs: unknown[][] = [];
    const mentions: unknown[][] = [];
    for (const e of parsed.entities) {
      const key = entityKey(e.type, e.name);
      keyOf.set(e.id, key);
      entities.push([storyId, e.id, key, e.name, e.type, e.gender, e.countryCode ?? null, sortAt]);
      for (const a of aliasKinds(e)) aliases.push([storyId, e.id, a.text, a.kind]);
      e.roles.forEach((r, i) => roles.push([storyId, e.id, r, i]));
      for (const a of e.affiliation) affs.push([storyId, e.id, a]);
      for (const m of e.mentions) mentions.push([storyId, e.id, m.start, m.end, m.text, m.kind, m.sentence]);
    }
    await insertMany(c, 'entities', ['story_id', 'local_id', 'key', 'name', 'type', 'gender', 'country_code', 'sort_at'], entities, ignore);
    await insertMany(c, 'aliases', ['story_id', 'entity_id', 'alias', 'kind'], aliases, ignore);
    await insertMany(c, 'roles', ['story_id', 'entity_id', 'role', 'position'], roles, ignore);
    await insertMany(c, 'affiliations', ['story_id', 'entity_id', 'name'], affs, ignore);
    await insertMany(c, 'mentions', ['story_id', 'entity_id', 'start_offset', 'end_offset', 'text', 'kind', 'sentence'], mentions);
    await insertMany(
      c,
      'quotes',
      ['story_id', 'quote_id', 'kind', 'partial', 'text', 'start_offset', 'end_offset', 'speaker_name', 'speaker_entity_id', 'speaker_key', 'cue', 'context_start', 'context_end', 'context', 'sentence'],
      parsed.quotes.map((qt) => {
        const cs = Math.max(0, Math.min(qt.context.start, text.length));
        const ce = Math.max(cs, Math.min(qt.context.end, text.length));
        const speakerKey = qt.speaker?.entityId ? (keyOf.get(qt.speaker.entityId) ?? null) : null;
        return [storyId, qt.id, qt.kind, qt.partial ? 1 : 0, qt.text, qt.start, qt.end, qt.speaker?.name ?? null, qt.speaker?.entityId ?? null, speakerKey, qt.cue, cs, ce, text.slice(cs, ce), qt.sentence];
      }),
      ignore,
    );
    const searchable = new Map<string, Parameters<typeof insertQuoteSearch>[1][number]>();
    const counted = new Set<number>();
    for (const qt of parsed.quotes) {
      const key = qt.kind === 'term' || searchable.has(qt.id) ? null : quoteKey(qt.text);
      if (key === null) continue;
      const first = qt.kind === 'direct' && !counted.has(key);
      if (first) counted.add(key);
      searchable.set(qt.id, { story_id: storyId, quote_id: qt.id, text: qt.text, sort_at: sortAt, key, first_direct: first, embargo_until: embargoUntil });
    }
    await insertQuoteSearch(c, [...searchable.values()]);
    const amountEntities: unknown[][] = [];
    await insertMany(
      c,
      'amounts',
      ['story_id', 'idx', 'value', 'unit', 'text', 'start_offset', 'end_offset', 'sentence'],
      parsed.amounts.map((a, i) => {
        a.entityIds.forEach((eid, rank) => amountEntities.push([storyId, i, eid, rank]));
        return [storyId, i, Number.isFinite(a.value) ? a.value : 0, a.unit, a.text, a.start, a.end, a.sentence];
      }),
      ignore,
    );
    await insertMany(c, 'amount_entities', ['story_id', 'amount_idx', 'entity_id', 'rank'], amountEntities, ignore);
    await c.query('INSERT INTO stories_fts (story_id, title, body) VALUES ($1, $2, $3)', [storyId, title, text]);
  }

  /** Full stories for `ids`, in the order given. */
  private async storiesByIds(ids: string[]): Promise<StoryRecord[]> {
    if (ids.length === 0) return [];
    const rows = await q<StoryRow & { text: string; parsed_json: string }>(
      this.pool,
      `SELECT s.*, r.text, r.parsed_json FROM stories s
       JOIN revisions r ON r.story_id = s.id AND r.revision = s.revision WHERE s.id = ANY(@ids::text[])`,
      { ids },
    );
    const byId = new Map(rows.map((r) => [r.id, toStoryRecord(r)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  async getStory(id: string): Promise<StoryRecord | null> {
    return (await this.storiesByIds([id]))[0] ?? null;
  }

  async latestStory(now: Date = new Date()): Promise<StoryRecord | null> {
    const [row] = await q<{ id: string }>(this.pool, `SELECT s.id FROM stories s WHERE ${VISIBLE} AND s.duplicate_of IS NULL ORDER BY ${NEWEST} LIMIT 1`, { now: now.toISOString() });
    return row ? this.getStory(row.id) : null;
  }

  async storiesSince(since: Date, until: Date = new Date(), options: StoriesSinceOptions = {}): Promise<StoryRecord[]> {
    const rows = await q<{ id: string }>(this.pool, `SELECT s.id FROM stories s WHERE ${periodCondition('greatest')} ORDER BY ${NEWEST}`, periodParams(since, until, options));
    return this.storiesByIds(rows.map((r) => r.id));
  }

  async listEntities(now: Date = new Date()): Promise<EntitySummary[]> {
    const byKey = summariesFromCatalog(await q<CatalogEntityRow>(this.pool, CATALOG_ENTITIES_SQL), await q<CatalogTermRow>(this.pool, CATALOG_TERMS_SQL));
    // Stories whose embargo has lifted since the last write are not in the catalog yet.
    const lifted = await q<{ sort_at: string; parsed_json: string }>(
      this.pool,
      `SELECT s.sort_at, r.parsed_json FROM stories s JOIN revisions r ON r.story_id = s.id AND r.revision = s.revision
       WHERE s.cataloged = 0 AND s.embargo_until <= @now ORDER BY s.sort_at DESC`,
      { now: now.toISOString() },
    );
    for (const r of lifted) mergeEntries(byKey, catalogEntries(JSON.parse(r.parsed_json) as ParsedArticle, r.sort_at));
    return [...byKey.values()];
  }

  /** The shared read queries (profile.ts) over the pool. */
  private readonly reader: SqlReader = {
    all: <T>(sql: string, params: Record<string, unknown>) => q(this.pool, sql, params as Params, true) as Promise<T[]>,
    // = ANY / <> ALL, not IN (SELECT unnest(…)): each such subquery is one more relation for the
    // planner, and planning a profile query took ~18 ms that way.
    in: (column, name) => `${column} = ANY(@${name}::text[])`,
    notIn: (column, name) => `${column} <> ALL(@${name}::text[])`,
    listValue: (values) => [...values],
    newest: NEWEST,
    inListIgnoringCase: (column, name) => `lower(${column}) IN (SELECT lower(x) FROM unnest(@${name}::text[]) AS x)`,
  };

  private quoteRows(where: string, params: Params, tail = ''): Promise<QuoteRecord[]> {
    return quoteRows(this.reader, where, params, tail);
  }

  async quotesBySpeaker(speakerKey: string, now: Date = new Date()): Promise<QuoteRecord[]> {
    return this.quoteRows('q.speaker_key = @key', { key: speakerKey, now: now.toISOString() });
  }

  async quotesBySpeakerName(text: string, now: Date = new Date()): Promise<QuoteRecord[]> {
    const needle = text.trim();
    if (!needle) return [];
    const like = `%${needle.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    return this.quoteRows(`q.speaker_key IS NULL AND lower(q.speaker_name) LIKE @like`, { like, now: now.toISOString() });
  }

  async recentQuotes(limit: number, now: Date = new Date(), offset = 0): Promise<QuoteRecord[]> {
    const n = Math.max(0, Math.min(MAX_RECENT_QUOTE_ROWS, Math.floor(limit)));
    return this.quoteRows('TRUE', { now: now.toISOString(), limit: n, offset: Math.max(0, Math.floor(offset)) }, 'LIMIT @limit OFFSET @offset');
  }

  async quoteRepeats(quotes: readonly Pick<QuoteRecord, 'text' | 'speakerKey' | 'speakerName'>[], now: Date = new Date()): Promise<number[]> {
    const out: number[] = [];
    for (const quote of quotes) {
      const key = quoteKey(quote.text);
      if (key === null) {
        out.push(0);
        continue;
      }
      // From the (text_key, sort_at) index: every row with these words, then their speakers.
      const who = repeatSpeakerCondition(quote);
      const [row] = await q<{ n: string }>(
        this.pool,
        `SELECT count(*) AS n FROM quote_search x JOIN quotes q ON q.story_id = x.story_id AND q.quote_id = x.quote_id JOIN stories s ON s.id = x.story_id
         WHERE x.text_key = @key::bigint AND ${VISIBLE} AND q.kind IN ('direct', 'indirect') AND ${who.sql}`,
        { key: String(key), now: now.toISOString(), speaker: who.speaker },
        true,
      );
      out.push(Number(row?.n ?? 0));
    }
    return out;
  }

  async entityProfile(keys: string[], now: Date = new Date(), limit = PROFILE_STORIES): Promise<EntityProfile> {
    return entityProfile(this.reader, keys, now, limit);
  }

  async search(query: string, limit = 10, options: SearchOptions = {}): Promise<SearchHit[]> {
    const n = Math.max(1, Math.min(100, Math.floor(limit)));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const now = (options.now ?? new Date()).toISOString();
    const words = searchWords(query);
    if (words.length === 0) return [];
    /** One plainto_tsquery per word, joined with && (all) or || (any): words never act as operators. */
    const tsquery = (mode: 'and' | 'or', params: Params) => {
      const parts = words.map((w, i) => {
        params[`w${i}`] = w;
        return `plainto_tsquery('newsroom', @w${i})`;
      });
      return `(${parts.join(mode === 'and' ? ' && ' : ' || ')})`;
    };
    const run = async (mode: 'and' | 'or', n: number, offset: number) => {
      const params: Params = { now, n, offset };
      const tsq = tsquery(mode, params);
      return q<{ story_id: string; title: string; date: string | null; undated: boolean; url: string | null; snippet: string; score: number }>(
        this.pool,
        `WITH hits AS (
           SELECT f.story_id, f.body, s.title, coalesce(s.published_at, s.first_ingested_at) AS date, s.published_at IS NULL AS undated, s.url,
             ts_rank(f.tsv, x.tsq) AS score, x.tsq, s.sort_at, s.seq
           FROM stories_fts f JOIN stories s ON s.id = f.story_id, (SELECT ${tsq} AS tsq) x
           WHERE f.tsv @@ x.tsq AND ${VISIBLE}
           ORDER BY score DESC, s.sort_at DESC, s.seq DESC LIMIT @n OFFSET @offset)
         SELECT story_id, title, date, undated, url, score,
           ts_headline('newsroom', body, tsq, 'StartSel="", StopSel="", MinWords=8, MaxWords=16, MaxFragments=1, FragmentDelimiter=" … "') AS snippet
         FROM hits ORDER BY score DESC, sort_at DESC, seq DESC`,
        params,
      );
    };
    // Does any story hold every word? Asked unranked: ranking every match only to learn that cost
    // ~100 ms for common words at 100,000 stories.
    const probe: Params = { now };
    const anyAll = (await q(this.pool, `SELECT 1 FROM stories_fts f JOIN stories s ON s.id = f.story_id WHERE f.tsv @@ ${tsquery('and', probe)} AND ${VISIBLE} LIMIT 1`, probe)).length > 0;
    const rows = await run(anyAll ? 'and' : 'or', n, offset);
    return rows.map((r) => ({
      storyId: r.story_id,
      title: r.title,
      date: r.date,
      undated: Boolean(r.undated),
      url: r.url,
      snippet: r.snippet.replace(/\s+/g, ' ').trim(),
      rank: r.score,
      allWords: anyAll,
    }));
  }

  /** The quotes' words (see quotesearch.ts): one `plainto_tsquery('simple', …)` per word, so no word is an operator. */
  private readonly quoteWords: QuoteWordIndex = {
    wordCount: async (word, cap) =>
      Number((await q<{ n: string }>(this.pool, `SELECT count(*) AS n FROM (SELECT 1 FROM quote_search WHERE tsv @@ plainto_tsquery('simple', @w) LIMIT @cap) x`, { w: word, cap }, true))[0]?.n ?? 0),
    allWords: async (words, limit) => {
      const params: Params = { limit };
      const tsq = words.map((w, i) => ((params[`w${i}`] = w), `plainto_tsquery('simple', @w${i})`)).join(' && ');
      return (await q<{ id: string }>(this.pool, `SELECT id FROM quote_search WHERE tsv @@ (${tsq}) ORDER BY id LIMIT @limit`, params)).map((r) => Number(r.id));
    },
    withWord: async (word, limit) =>
      (await q<{ id: string }>(this.pool, `SELECT id FROM quote_search WHERE tsv @@ plainto_tsquery('simple', @w) LIMIT @limit`, { w: word, limit }, true)).map((r) => Number(r.id)),
  };
  private readonly wordCounts = new WordCounts(this.quoteWords);

  async quoteCandidates(text: string, options: QuoteLookupOptions = {}): Promise<QuoteRecord[]> {
    const ids = await candidateIds(this.quoteWords, this.wordCounts, text.replace(/\u0000/g, ''), Math.max(1, Math.min(500, options.limit ?? 60)), options.thorough ?? true);
    if (ids.length === 0) return [];
    return this.quoteRows('(q.story_id, q.quote_id) IN (SELECT story_id, quote_id FROM quote_search WHERE id = ANY(@ids::bigint[]))', {
      ids: ids.map(String),
      now: (options.now ?? new Date()).toISOString(),
    });
  }

  async quotesWithWords(text: string, options: QuoteLookupOptions = {}): Promise<QuoteAppearances> {
    const key = quoteKey(text);
    if (key === null) return { quotes: [], directStories: 0, more: false };
    const p = { key: String(key), now: (options.now ?? new Date()).toISOString(), limit: Math.max(1, Math.min(100, options.limit ?? 10)) };
    const open = '(x.embargo_until IS NULL OR x.embargo_until <= @now)';
    // The oldest stories first, from the (text_key, sort_at) index; then their rows.
    const first = await q<{ story_id: string; quote_id: string }>(this.pool, `SELECT x.story_id, x.quote_id FROM quote_search x WHERE x.text_key = @key::bigint AND ${open} ORDER BY x.sort_at LIMIT @limit`, p, true);
    const quotes = first.length
      ? await quoteRows(this.reader, '(q.story_id, q.quote_id) IN (SELECT * FROM unnest(@sids::text[], @qids::text[]))', { now: p.now, sids: first.map((r) => r.story_id), qids: first.map((r) => r.quote_id) }, '', 's.sort_at, s.seq')
      : [];
    const [n] = await q<{ n: string }>(this.pool, `SELECT count(*) AS n FROM (SELECT 1 FROM quote_search x WHERE x.text_key = @key::bigint AND x.first_direct AND ${open} LIMIT @cap) y`, { key: p.key, now: p.now, cap: MAX_COUNTED_STORIES + 1 }, true);
    const count = Number(n?.n ?? 0);
    return { quotes, directStories: Math.min(count, MAX_COUNTED_STORIES), more: count > MAX_COUNTED_STORIES };
  }

  async storyCount(): Promise<number> {
    const [row] = await q<{ n: number }>(this.pool, 'SELECT count(*)::int AS n FROM stories WHERE duplicate_of IS NULL');
    return row!.n;
  }

  async changeToken(): Promise<string> {
    const [row] = await q<{ v: string; called: boolean }>(this.pool, 'SELECT last_value::text AS v, is_called AS called FROM index_changes');
    return row!.called ? row!.v : '0';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * Runs `fn` in one transaction on one connection of `pool`: committed when it resolves, rolled
 * back when it rejects (the rejection is passed on); a connection that failed to roll back is
 * discarded rather than returned to the pool. Shared by the index and the digest store.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  try {
    await c.query('BEGIN');
    const out = await fn(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    c.release(broken);
  }
}

/** `host:port/database` of a connection URL, for messages (never the user or password). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}
