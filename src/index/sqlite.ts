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
import type { MentionKind, ParsedArticle } from '../parse/types.js';
import { toFtsQuery } from './fts.js';
import { entityKey, foldName } from './keys.js';
import { migrate } from './migrations.js';
import type {
  AliasRecord,
  AmountRecord,
  ArticleIndex,
  ArticleInput,
  EntityProfile,
  EntitySummary,
  MentionSentence,
  QuoteRecord,
  RelatedEntity,
  SearchHit,
  SearchOptions,
  StoryRecord,
  StoryRef,
  UpsertResult,
} from './types.js';

/** Options of `SqliteIndex.open`. */
export interface SqliteIndexOptions {
  /** How long a writer waits for another process's lock, in milliseconds (default 5000). */
  busyTimeoutMs?: number;
  /** Clock for ingestion times (tests); default `new Date()`. */
  clock?: () => Date;
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
}

interface QuoteRow {
  story_id: string;
  quote_id: string;
  kind: 'direct' | 'indirect';
  partial: number;
  text: string;
  start_offset: number;
  end_offset: number;
  speaker_name: string | null;
  speaker_key: string | null;
  cue: string | null;
  context: string;
  sentence: number;
  title: string;
  date: string | null;
  url: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** `s.embargo_until` lifted at `?` (an ISO time): the condition every surfacing query carries. */
const VISIBLE = '(s.embargo_until IS NULL OR s.embargo_until <= @now)';
/** Newest first: publication (else first-seen) time, then insertion order. */
const NEWEST = 's.sort_at DESC, s.rowid DESC';

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

/** Trimmed text, or null for null, undefined, empty or blank. */
export const blankToNull = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);

/** A headline for a story without one: the first words of its first sentence. */
export function fallbackTitle(parsed: ParsedArticle, text: string): string {
  const first = parsed.sentences[0]?.text ?? text.trim().split(/\n/)[0] ?? '';
  const words = first.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return 'Untitled story';
  return words.length > 12 ? `${words.slice(0, 12).join(' ')}…` : words.join(' ');
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

  private constructor(db: Database.Database, clock: () => Date) {
    this.db = db;
    this.clock = clock;
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
    return new SqliteIndex(db, options.clock ?? (() => new Date()));
  }

  /** The underlying connection, for tests and maintenance scripts. */
  get connection(): Database.Database {
    return this.db;
  }

  async upsert(input: ArticleInput, parsed: ParsedArticle): Promise<UpsertResult> {
    const text = input.text;
    const url = blankToNull(input.url);
    const guid = blankToNull(input.guid);
    const meta = {
      title: blankToNull(input.title) ?? parsed.title ?? fallbackTitle(parsed, text),
      byline: blankToNull(input.byline) ?? parsed.byline,
      dateline: parsed.dateline?.place ?? null,
      publishedAt: isoOrNull('publishedAt', input.publishedAt),
      updatedAt: isoOrNull('updatedAt', input.updatedAt),
      embargoUntil: isoOrNull('embargoUntil', input.embargoUntil),
    };
    const identity = url ? `url:${url}` : guid ? `guid:${guid}` : `hash:${sha256(text)}`;
    const contentHash = sha256(
      JSON.stringify([text, meta.title, meta.byline, meta.publishedAt, meta.updatedAt, meta.embargoUntil]),
    );
    const parsedJson = JSON.stringify(parsed);
    const parseHash = sha256(parsedJson);
    const now = this.clock().toISOString();

    const run = this.db.transaction((): UpsertResult => {
      const row = this.db.prepare('SELECT * FROM stories WHERE identity = ?').get(identity) as StoryRow | undefined;
      if (row && row.content_hash === contentHash && row.parse_hash === parseHash) {
        return { status: 'unchanged', storyId: row.id, revision: row.revision };
      }
      if (row && row.content_hash === contentHash) {
        this.db
          .prepare('UPDATE revisions SET parsed_json = ? WHERE story_id = ? AND revision = ?')
          .run(parsedJson, row.id, row.revision);
        this.db
          .prepare('UPDATE stories SET parse_hash = ?, title = ?, dateline = ? WHERE id = ?')
          .run(parseHash, meta.title, meta.dateline, row.id);
        this.replaceParse(row.id, text, meta.title, parsed);
        return { status: 'reparsed', storyId: row.id, revision: row.revision };
      }
      const id = row?.id ?? sha256(identity).slice(0, 16);
      const revision = (row?.revision ?? 0) + 1;
      const firstIngested = row?.first_ingested_at ?? now;
      const values = {
        id,
        identity,
        url,
        guid,
        source: input.source,
        revision,
        content_hash: contentHash,
        parse_hash: parseHash,
        title: meta.title,
        byline: meta.byline,
        dateline: meta.dateline,
        published_at: meta.publishedAt,
        updated_at: meta.updatedAt,
        embargo_until: meta.embargoUntil,
        first_ingested_at: firstIngested,
        ingested_at: now,
        sort_at: meta.publishedAt ?? firstIngested,
      };
      if (row) {
        this.db
          .prepare(
            `UPDATE stories SET url=@url, guid=@guid, source=@source, revision=@revision, content_hash=@content_hash,
               parse_hash=@parse_hash, title=@title, byline=@byline, dateline=@dateline, published_at=@published_at,
               updated_at=@updated_at, embargo_until=@embargo_until, ingested_at=@ingested_at, sort_at=@sort_at
             WHERE id=@id`,
          )
          .run(values);
      } else {
        this.db
          .prepare(
            `INSERT INTO stories (id, identity, url, guid, source, revision, content_hash, parse_hash, title, byline,
               dateline, published_at, updated_at, embargo_until, first_ingested_at, ingested_at, sort_at)
             VALUES (@id, @identity, @url, @guid, @source, @revision, @content_hash, @parse_hash, @title, @byline,
               @dateline, @published_at, @updated_at, @embargo_until, @first_ingested_at, @ingested_at, @sort_at)`,
          )
          .run(values);
      }
      this.db
        .prepare(
          `INSERT INTO revisions (story_id, revision, content_hash, title, byline, published_at, updated_at,
             embargo_until, source, ingested_at, text, parsed_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          revision,
          contentHash,
          meta.title,
          meta.byline,
          meta.publishedAt,
          meta.updatedAt,
          meta.embargoUntil,
          input.source,
          now,
          text,
          parsedJson,
        );
      this.replaceParse(id, text, meta.title, parsed);
      return { status: row ? 'updated' : 'added', storyId: id, revision };
    });
    const result = run.immediate();
    if (result.status !== 'unchanged') this.writes++;
    return result;
  }

  /** Replaces a story's parsed rows and full-text entry with those of `parsed`. Runs inside upsert's transaction. */
  private replaceParse(storyId: string, text: string, title: string, parsed: ParsedArticle): void {
    for (const table of [
      'sentences',
      'entities',
      'aliases',
      'roles',
      'affiliations',
      'mentions',
      'quotes',
      'amounts',
      'amount_entities',
      'stories_fts',
    ]) {
      this.db.prepare(`DELETE FROM ${table} WHERE story_id = ?`).run(storyId);
    }
    const summaryRank = new Map(parsed.summary.map((idx, rank) => [idx, rank]));
    const insSentence = this.db.prepare(
      'INSERT OR IGNORE INTO sentences (story_id, idx, paragraph, start_offset, end_offset, text, summary_rank) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const s of parsed.sentences) {
      insSentence.run(storyId, s.index, s.paragraph, s.start, s.end, s.text, summaryRank.get(s.index) ?? null);
    }
    const keyOf = new Map<string, string>();
    const insEntity = this.db.prepare(
      'INSERT OR IGNORE INTO entities (story_id, local_id, key, name, type, gender, country_code) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insAlias = this.db.prepare('INSERT OR IGNORE INTO aliases (story_id, entity_id, alias, kind) VALUES (?, ?, ?, ?)');
    const insRole = this.db.prepare('INSERT OR IGNORE INTO roles (story_id, entity_id, role, position) VALUES (?, ?, ?, ?)');
    const insAff = this.db.prepare('INSERT OR IGNORE INTO affiliations (story_id, entity_id, name) VALUES (?, ?, ?)');
    const insMention = this.db.prepare(
      'INSERT INTO mentions (story_id, entity_id, start_offset, end_offset, text, kind, sentence) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const e of parsed.entities) {
      const key = entityKey(e.type, e.name);
      keyOf.set(e.id, key);
      insEntity.run(storyId, e.id, key, e.name, e.type, e.gender, e.countryCode ?? null);
      for (const a of aliasKinds(e)) insAlias.run(storyId, e.id, a.text, a.kind);
      e.roles.forEach((r, i) => insRole.run(storyId, e.id, r, i));
      for (const a of e.affiliation) insAff.run(storyId, e.id, a);
      for (const m of e.mentions) insMention.run(storyId, e.id, m.start, m.end, m.text, m.kind, m.sentence);
    }
    const insQuote = this.db.prepare(
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
    const insAmount = this.db.prepare(
      'INSERT OR IGNORE INTO amounts (story_id, idx, value, unit, text, start_offset, end_offset, sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insAmountEntity = this.db.prepare(
      'INSERT OR IGNORE INTO amount_entities (story_id, amount_idx, entity_id, rank) VALUES (?, ?, ?, ?)',
    );
    parsed.amounts.forEach((a, i) => {
      insAmount.run(storyId, i, Number.isFinite(a.value) ? a.value : 0, a.unit, a.text, a.start, a.end, a.sentence);
      a.entityIds.forEach((eid, rank) => insAmountEntity.run(storyId, i, eid, rank));
    });
    this.db.prepare('INSERT INTO stories_fts (story_id, title, body) VALUES (?, ?, ?)').run(storyId, title, text);
  }

  async getStory(id: string): Promise<StoryRecord | null> {
    const row = this.db
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
      updatedAt: row.updated_at,
      ingestedAt: row.ingested_at,
      embargoUntil: row.embargo_until,
      revision: row.revision,
      text: row.text,
      parsed: JSON.parse(row.parsed_json) as ParsedArticle,
    };
  }

  async latestStory(now: Date = new Date()): Promise<StoryRecord | null> {
    const row = this.db
      .prepare(`SELECT s.id FROM stories s WHERE ${VISIBLE} ORDER BY ${NEWEST} LIMIT 1`)
      .get({ now: now.toISOString() }) as { id: string } | undefined;
    return row ? this.getStory(row.id) : null;
  }

  async storiesSince(since: Date, until: Date = new Date()): Promise<StoryRecord[]> {
    const rows = this.db
      .prepare(
        // Surfaced in the period: stored in it, or stored earlier under an embargo that lifted in it.
        `SELECT s.id FROM stories s
         WHERE max(s.ingested_at, coalesce(s.embargo_until, '')) >= @since
           AND max(s.ingested_at, coalesce(s.embargo_until, '')) < @until AND ${VISIBLE}
         ORDER BY max(s.ingested_at, coalesce(s.embargo_until, '')) DESC, s.rowid DESC`,
      )
      .all({ since: since.toISOString(), until: until.toISOString(), now: until.toISOString() }) as { id: string }[];
    const out: StoryRecord[] = [];
    for (const r of rows) {
      const s = await this.getStory(r.id);
      if (s) out.push(s);
    }
    return out;
  }

  async listEntities(now: Date = new Date()): Promise<EntitySummary[]> {
    const p = { now: now.toISOString() };
    const rows = this.db
      .prepare(
        `SELECT e.key, e.name, e.type, e.country_code, e.story_id,
           (SELECT count(*) FROM mentions m WHERE m.story_id = e.story_id AND m.entity_id = e.local_id) AS mentions
         FROM entities e JOIN stories s ON s.id = e.story_id WHERE ${VISIBLE} ORDER BY ${NEWEST}`,
      )
      .all(p) as { key: string; name: string; type: EntitySummary['type']; country_code: string | null; mentions: number }[];
    const byKey = new Map<string, EntitySummary>();
    for (const r of rows) {
      let e = byKey.get(r.key);
      if (!e) {
        e = {
          key: r.key,
          name: r.name,
          type: r.type,
          aliases: [],
          roles: [],
          affiliation: [],
          mentionCount: 0,
          storyCount: 0,
          aliasDetails: [],
          quoteCount: 0,
          ...(r.country_code ? { countryCode: r.country_code } : {}),
        };
        byKey.set(r.key, e);
      }
      e.mentionCount += r.mentions;
      e.storyCount += 1;
    }
    const attach = (sql: string, add: (e: EntitySummary, row: Record<string, string | null>) => void) => {
      for (const row of this.db.prepare(sql).all(p) as Record<string, string | null>[]) {
        const e = byKey.get(row.key!);
        if (e) add(e, row);
      }
    };
    const pushUnique = (list: string[], v: string) => {
      const f = foldName(v);
      if (f && !list.some((x) => foldName(x) === f)) list.push(v);
    };
    attach(
      `SELECT e.key, a.alias, a.kind FROM aliases a JOIN entities e ON e.story_id = a.story_id AND e.local_id = a.entity_id
       JOIN stories s ON s.id = a.story_id WHERE ${VISIBLE} ORDER BY ${NEWEST}`,
      (e, r) => {
        if (foldName(r.alias!) === foldName(e.name)) return;
        const known = e.aliasDetails.find((x) => foldName(x.text) === foldName(r.alias!));
        if (known) {
          if (!known.kind && r.kind) known.kind = r.kind as MentionKind;
          return;
        }
        e.aliasDetails.push({ text: r.alias!, kind: (r.kind as MentionKind | null) ?? null });
        e.aliases.push(r.alias!);
      },
    );
    attach(
      `SELECT e.key, r.role FROM roles r JOIN entities e ON e.story_id = r.story_id AND e.local_id = r.entity_id
       JOIN stories s ON s.id = r.story_id WHERE ${VISIBLE} ORDER BY ${NEWEST}, r.position`,
      (e, r) => pushUnique(e.roles, r.role!),
    );
    attach(
      `SELECT e.key, a.name FROM affiliations a JOIN entities e ON e.story_id = a.story_id AND e.local_id = a.entity_id
       JOIN stories s ON s.id = a.story_id WHERE ${VISIBLE} ORDER BY ${NEWEST}`,
      (e, r) => pushUnique(e.affiliation, r.name!),
    );
    attach(
      `SELECT q.speaker_key AS key, count(*) AS n FROM quotes q JOIN stories s ON s.id = q.story_id
       WHERE ${VISIBLE} AND q.speaker_key IS NOT NULL AND q.kind IN ('direct', 'indirect') GROUP BY q.speaker_key`,
      (e, r) => {
        e.quoteCount = Number(r.n);
      },
    );
    return [...byKey.values()];
  }

  private quoteRows(where: string, params: Record<string, unknown>, tail = ''): QuoteRecord[] {
    const rows = this.db
      .prepare(
        `SELECT q.story_id, q.quote_id, q.kind, q.partial, q.text, q.start_offset, q.end_offset, q.speaker_name, q.speaker_key, q.cue,
           q.context, q.sentence, s.title, coalesce(s.published_at, s.first_ingested_at) AS date, s.url
         FROM quotes q JOIN stories s ON s.id = q.story_id
         WHERE ${VISIBLE} AND q.kind IN ('direct', 'indirect') AND (${where})
         ORDER BY ${NEWEST}, q.start_offset ${tail}`,
      )
      .all(params) as QuoteRow[];
    return rows.map((r) => ({
      storyId: r.story_id,
      storyTitle: r.title,
      storyDate: r.date,
      storyUrl: r.url,
      kind: r.kind,
      text: r.text,
      speakerName: r.speaker_name ?? 'unnamed source',
      speakerKey: r.speaker_key,
      cue: r.cue,
      context: r.context,
      start: r.start_offset,
      end: r.end_offset,
      quoteId: r.quote_id,
      partial: r.partial === 1,
      sentence: r.sentence,
    }));
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

  async recentQuotes(limit: number, now: Date = new Date()): Promise<QuoteRecord[]> {
    const n = Math.max(0, Math.min(1000, Math.floor(limit)));
    return this.quoteRows('1', { now: now.toISOString(), limit: n }, 'LIMIT @limit');
  }

  /** Story citations for a set of story ids, newest first. */
  private storyRefs(ids: Iterable<string>): StoryRef[] {
    const list = [...new Set(ids)];
    if (list.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT s.id, s.title, coalesce(s.published_at, s.first_ingested_at) AS date, s.url, s.dateline
         FROM stories s WHERE s.id IN (SELECT value FROM json_each(?)) ORDER BY ${NEWEST}`,
      )
      .all(JSON.stringify(list)) as { id: string; title: string; date: string | null; url: string | null; dateline: string | null }[];
    return rows.map((r) => ({ storyId: r.id, title: r.title, date: r.date, url: r.url, dateline: r.dateline }));
  }

  async entityProfile(keys: string[], now: Date = new Date()): Promise<EntityProfile> {
    const p = { keys: JSON.stringify(keys), now: now.toISOString() };
    const KEYS = '(SELECT value FROM json_each(@keys))';
    const storyIds = (
      this.db
        .prepare(`SELECT DISTINCT e.story_id AS id FROM entities e JOIN stories s ON s.id = e.story_id WHERE e.key IN ${KEYS} AND ${VISIBLE}`)
        .all(p) as { id: string }[]
    ).map((r) => r.id);
    const stories = this.storyRefs(storyIds);
    const refOf = new Map(stories.map((s) => [s.storyId, s]));
    const order = new Map(stories.map((s, i) => [s.storyId, i]));
    const byStory = <T extends { story: StoryRef }>(a: T, b: T) => order.get(a.story.storyId)! - order.get(b.story.storyId)!;

    const mentionRows = this.db
      .prepare(
        `SELECT m.story_id, m.sentence, m.text AS surface, m.kind, se.text
         FROM mentions m JOIN entities e ON e.story_id = m.story_id AND e.local_id = m.entity_id
         JOIN stories s ON s.id = m.story_id
         JOIN sentences se ON se.story_id = m.story_id AND se.idx = m.sentence
         WHERE e.key IN ${KEYS} AND ${VISIBLE} ORDER BY m.story_id, m.sentence, m.start_offset`,
      )
      .all(p) as { story_id: string; sentence: number; surface: string; kind: MentionKind; text: string }[];
    const seen = new Set<string>();
    const mentions: MentionSentence[] = [];
    for (const r of mentionRows) {
      const k = `${r.story_id}:${r.sentence}`;
      const story = refOf.get(r.story_id);
      if (seen.has(k) || !story) continue;
      seen.add(k);
      mentions.push({ story, sentence: r.sentence, text: r.text, surface: r.surface, kind: r.kind });
    }
    mentions.sort((a, b) => byStory(a, b) || a.sentence - b.sentence);

    const quotesBy = this.quoteRows(`q.speaker_key IN ${KEYS}`, p);
    const quotesAbout = this.quoteRows(
      `(q.speaker_key IS NULL OR q.speaker_key NOT IN ${KEYS}) AND EXISTS (
         SELECT 1 FROM mentions m JOIN entities e ON e.story_id = m.story_id AND e.local_id = m.entity_id
         WHERE m.story_id = q.story_id AND e.key IN ${KEYS}
           AND m.start_offset >= q.start_offset AND m.end_offset <= q.end_offset)`,
      p,
    );

    const amountRows = this.db
      .prepare(
        `SELECT a.story_id, a.value, a.unit, a.text, a.sentence, coalesce(se.text, '') AS sentence_text,
           EXISTS (SELECT 1 FROM amount_entities ae JOIN entities e ON e.story_id = ae.story_id AND e.local_id = ae.entity_id
                   WHERE ae.story_id = a.story_id AND ae.amount_idx = a.idx AND e.key IN ${KEYS}) AS linked
         FROM amounts a JOIN stories s ON s.id = a.story_id
         LEFT JOIN sentences se ON se.story_id = a.story_id AND se.idx = a.sentence
         WHERE ${VISIBLE} AND (
           EXISTS (SELECT 1 FROM amount_entities ae JOIN entities e ON e.story_id = ae.story_id AND e.local_id = ae.entity_id
                   WHERE ae.story_id = a.story_id AND ae.amount_idx = a.idx AND e.key IN ${KEYS})
           OR EXISTS (SELECT 1 FROM mentions m JOIN entities e ON e.story_id = m.story_id AND e.local_id = m.entity_id
                   WHERE m.story_id = a.story_id AND m.sentence = a.sentence AND e.key IN ${KEYS}))
         ORDER BY a.story_id, a.start_offset`,
      )
      .all(p) as { story_id: string; value: number; unit: string; text: string; sentence: number; sentence_text: string; linked: number }[];
    const amounts: AmountRecord[] = amountRows
      .filter((r) => refOf.has(r.story_id))
      .map((r) => ({
        story: refOf.get(r.story_id)!,
        value: r.value,
        unit: r.unit,
        text: r.text,
        sentence: r.sentence,
        sentenceText: r.sentence_text,
        linked: r.linked === 1,
      }))
      .sort((a, b) => Number(b.linked) - Number(a.linked) || byStory(a, b) || a.sentence - b.sentence);

    // Entities sharing sentences, plus those whose affiliation names this entity (or one of its aliases).
    const shared = this.db
      .prepare(
        `SELECT e2.key, count(DISTINCT m2.story_id || ':' || m2.sentence) AS sentences, count(DISTINCT m2.story_id) AS stories
         FROM mentions m1 JOIN entities e1 ON e1.story_id = m1.story_id AND e1.local_id = m1.entity_id
         JOIN stories s ON s.id = m1.story_id
         JOIN mentions m2 ON m2.story_id = m1.story_id AND m2.sentence = m1.sentence
         JOIN entities e2 ON e2.story_id = m2.story_id AND e2.local_id = m2.entity_id
         WHERE e1.key IN ${KEYS} AND e2.key NOT IN ${KEYS} AND ${VISIBLE}
         GROUP BY e2.key ORDER BY sentences DESC, stories DESC LIMIT 40`,
      )
      .all(p) as { key: string; sentences: number; stories: number }[];
    const names = this.db
      .prepare(
        `SELECT DISTINCT e.name AS n FROM entities e JOIN stories s ON s.id = e.story_id WHERE e.key IN ${KEYS} AND ${VISIBLE}
         UNION SELECT DISTINCT a.alias FROM aliases a JOIN entities e ON e.story_id = a.story_id AND e.local_id = a.entity_id
           JOIN stories s ON s.id = a.story_id WHERE e.key IN ${KEYS} AND ${VISIBLE} AND coalesce(a.kind, '') NOT IN ('pronoun', 'description')`,
      )
      .all(p) as { n: string }[];
    const affiliated = this.db
      .prepare(
        `SELECT DISTINCT e.key FROM affiliations af JOIN entities e ON e.story_id = af.story_id AND e.local_id = af.entity_id
         JOIN stories s ON s.id = af.story_id
         WHERE lower(af.name) IN (SELECT lower(value) FROM json_each(@names)) AND e.key NOT IN ${KEYS} AND ${VISIBLE} LIMIT 40`,
      )
      .all({ ...p, names: JSON.stringify(names.map((r) => r.n)) }) as { key: string }[];
    const relatedKeys = new Map<string, { sentences: number; stories: number }>();
    for (const r of shared) relatedKeys.set(r.key, { sentences: r.sentences, stories: r.stories });
    for (const r of affiliated) if (!relatedKeys.has(r.key)) relatedKeys.set(r.key, { sentences: 0, stories: 0 });
    const related: RelatedEntity[] = [];
    if (relatedKeys.size > 0) {
      const rk = { rkeys: JSON.stringify([...relatedKeys.keys()]), now: p.now };
      const RK = '(SELECT value FROM json_each(@rkeys))';
      const info = new Map<string, RelatedEntity>();
      for (const r of this.db
        .prepare(`SELECT e.key, e.name, e.type FROM entities e JOIN stories s ON s.id = e.story_id WHERE e.key IN ${RK} AND ${VISIBLE} ORDER BY ${NEWEST}`)
        .all(rk) as { key: string; name: string; type: RelatedEntity['type'] }[]) {
        if (!info.has(r.key)) {
          const c = relatedKeys.get(r.key)!;
          info.set(r.key, { key: r.key, name: r.name, type: r.type, roles: [], affiliation: [], sharedSentences: c.sentences, sharedStories: c.stories });
        }
      }
      const addUnique = (list: string[], v: string) => {
        if (!list.some((x) => foldName(x) === foldName(v))) list.push(v);
      };
      for (const r of this.db
        .prepare(
          `SELECT e.key, r.role FROM roles r JOIN entities e ON e.story_id = r.story_id AND e.local_id = r.entity_id
           JOIN stories s ON s.id = r.story_id WHERE e.key IN ${RK} AND ${VISIBLE} ORDER BY ${NEWEST}, r.position`,
        )
        .all(rk) as { key: string; role: string }[]) {
        const e = info.get(r.key);
        if (e) addUnique(e.roles, r.role);
      }
      for (const r of this.db
        .prepare(
          `SELECT e.key, a.name FROM affiliations a JOIN entities e ON e.story_id = a.story_id AND e.local_id = a.entity_id
           JOIN stories s ON s.id = a.story_id WHERE e.key IN ${RK} AND ${VISIBLE} ORDER BY ${NEWEST}`,
        )
        .all(rk) as { key: string; name: string }[]) {
        const e = info.get(r.key);
        if (e) addUnique(e.affiliation, r.name);
      }
      for (const k of relatedKeys.keys()) {
        const e = info.get(k);
        if (e) related.push(e);
      }
    }
    return { stories, mentions, quotesBy, quotesAbout, amounts, related };
  }

  async search(query: string, limit = 10, options: SearchOptions = {}): Promise<SearchHit[]> {
    const n = Math.max(1, Math.min(100, Math.floor(limit)));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const now = (options.now ?? new Date()).toISOString();
    const stmt = this.db.prepare(
      `SELECT f.story_id, s.title, coalesce(s.published_at, s.first_ingested_at) AS date, s.url,
         snippet(stories_fts, 2, '', '', '…', 16) AS snippet, bm25(stories_fts, 0, 8, 1) AS score
       FROM stories_fts f JOIN stories s ON s.id = f.story_id
       WHERE stories_fts MATCH @q AND ${VISIBLE}
       ORDER BY score, ${NEWEST} LIMIT @n OFFSET @offset`,
    );
    type Row = { story_id: string; title: string; date: string | null; url: string | null; snippet: string; score: number };
    const all = toFtsQuery(query, 'and');
    if (!all) return [];
    // All words when that finds anything (checked from the first hit, so every page uses the same mode); else any word.
    const anyAll = stmt.all({ q: all, n: 1, offset: 0, now }).length > 0;
    const q = anyAll ? all : toFtsQuery(query, 'or')!;
    const rows = stmt.all({ q, n, offset, now }) as Row[];
    return rows.map((r) => ({
      storyId: r.story_id,
      title: r.title,
      date: r.date,
      url: r.url,
      snippet: r.snippet.replace(/\s+/g, ' ').trim(),
      rank: -r.score,
      allWords: anyAll,
    }));
  }

  async storyCount(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n;
  }

  async changeToken(): Promise<string> {
    return `${this.db.pragma('data_version', { simple: true }) as number}:${this.writes}`;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
