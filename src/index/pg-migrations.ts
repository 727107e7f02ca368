/**
 * Versioned schema migrations for the PostgreSQL index: the same tables as the SQLite schema
 * (`migrations.ts`), in PostgreSQL's types, plus a `tsvector` column with a GIN index for
 * full-text search and, when the `pg_trgm` extension can be created, trigram indexes for
 * fuzzy/substring name matching. The version lives in `schema_version` (one row); each step is
 * recorded in `schema_migrations`. Steps run in order under a transaction-scoped advisory lock,
 * so several bot instances starting at once apply each step exactly once. Released steps are
 * never edited: a change is a new step.
 */
import type pg from 'pg';
import { quoteKey } from './keys.js';
import { watchTablesSql } from './migrations.js';

/** One schema step. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
  /** A data step run after `sql`, in the same transaction (rows SQL alone cannot compute). */
  run?: (client: pg.PoolClient | pg.Client) => Promise<void>;
}

/** The advisory lock key migrations hold (any constant; shared by every bot instance). */
export const MIGRATION_LOCK_KEY = 7_311_408_001;

/** The schema, step by step. Times are ISO 8601 UTC text, as in SQLite, so both backends compare them alike. */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'stories, revisions, parsed tables, full-text index',
    sql: `
CREATE TABLE stories (
  id TEXT PRIMARY KEY,
  seq BIGSERIAL NOT NULL UNIQUE,            -- insertion order: the tie-break of "newest"
  identity TEXT NOT NULL UNIQUE,
  url TEXT,
  guid TEXT,
  source TEXT NOT NULL,
  revision INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  parse_hash TEXT NOT NULL,
  title TEXT NOT NULL,
  byline TEXT,
  dateline TEXT,
  published_at TEXT,
  updated_at TEXT,
  embargo_until TEXT,
  first_ingested_at TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  sort_at TEXT NOT NULL
);
CREATE INDEX stories_sort ON stories(sort_at DESC, seq DESC);
CREATE INDEX stories_ingested ON stories(ingested_at);
CREATE INDEX stories_surfaced ON stories((greatest(ingested_at, coalesce(embargo_until, ''))));

CREATE TABLE revisions (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  title TEXT NOT NULL,
  byline TEXT,
  published_at TEXT,
  updated_at TEXT,
  embargo_until TEXT,
  source TEXT NOT NULL,
  ingested_at TEXT NOT NULL,
  text TEXT NOT NULL,
  parsed_json TEXT NOT NULL,
  PRIMARY KEY (story_id, revision)
);

CREATE TABLE sentences (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  paragraph INTEGER NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  text TEXT NOT NULL,
  summary_rank INTEGER,
  PRIMARY KEY (story_id, idx)
);

CREATE TABLE entities (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  gender TEXT,
  country_code TEXT,
  PRIMARY KEY (story_id, local_id)
);
CREATE INDEX entities_key ON entities(key);

CREATE TABLE aliases (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  alias TEXT NOT NULL,
  kind TEXT,
  PRIMARY KEY (story_id, entity_id, alias)
);

CREATE TABLE roles (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  role TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (story_id, entity_id, role)
);

CREATE TABLE affiliations (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (story_id, entity_id, name)
);
CREATE INDEX affiliations_name ON affiliations(lower(name));

CREATE TABLE mentions (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  text TEXT NOT NULL,
  kind TEXT NOT NULL,
  sentence INTEGER NOT NULL
);
CREATE INDEX mentions_entity ON mentions(story_id, entity_id);
CREATE INDEX mentions_sentence ON mentions(story_id, sentence);

CREATE TABLE quotes (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  quote_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  partial INTEGER NOT NULL,
  text TEXT NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  speaker_name TEXT,
  speaker_entity_id TEXT,
  speaker_key TEXT,
  cue TEXT,
  context_start INTEGER NOT NULL,
  context_end INTEGER NOT NULL,
  context TEXT NOT NULL,
  sentence INTEGER NOT NULL,
  PRIMARY KEY (story_id, quote_id)
);
CREATE INDEX quotes_speaker ON quotes(speaker_key);

CREATE TABLE amounts (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  unit TEXT NOT NULL,
  text TEXT NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  sentence INTEGER NOT NULL,
  PRIMARY KEY (story_id, idx)
);
CREATE INDEX amounts_sentence ON amounts(story_id, sentence);

CREATE TABLE amount_entities (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  amount_idx INTEGER NOT NULL,
  entity_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  PRIMARY KEY (story_id, amount_idx, entity_id)
);

-- English stemming without a stop-word list (as SQLite's porter tokenizer): "troop" finds "troops",
-- and "don't" or "NEAR" are words like any other.
CREATE TEXT SEARCH DICTIONARY newsroom_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION newsroom (COPY = english);
ALTER TEXT SEARCH CONFIGURATION newsroom
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH newsroom_stem;

-- Headline (weight A) and body (weight B) of the current revision.
CREATE TABLE stories_fts (
  story_id TEXT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('newsroom', title), 'A') || setweight(to_tsvector('newsroom', body), 'B')
  ) STORED
);
CREATE INDEX stories_fts_tsv ON stories_fts USING GIN (tsv);

-- Bumped by every write, so instances can tell that the index changed (changeToken).
CREATE SEQUENCE index_changes;

-- Trigram indexes for substring/fuzzy name matching, when pg_trgm can be created here.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX quotes_speaker_name_trgm ON quotes USING GIN (lower(speaker_name) gin_trgm_ops);
  CREATE INDEX entities_name_trgm ON entities USING GIN (lower(name) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm not available (%); name matching runs without trigram indexes', SQLERRM;
END
$$;
`,
  },
  {
    version: 2,
    name: 'digest schedules, digest state per channel, digest outbox',
    sql: `
CREATE TABLE digest_schedules (
  id BIGSERIAL PRIMARY KEY,
  platform TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  days TEXT NOT NULL,
  time TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('config', 'chat')),
  created_by TEXT,
  created_at TEXT NOT NULL,
  deleted_at TEXT,
  spec_key TEXT NOT NULL
);
CREATE UNIQUE INDEX digest_schedules_active ON digest_schedules(spec_key) WHERE deleted_at IS NULL;
CREATE INDEX digest_schedules_channel ON digest_schedules(platform, channel_id);

CREATE TABLE digest_channels (
  platform TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  last_until TEXT,
  last_posted_at TEXT,
  PRIMARY KEY (platform, channel_id)
);

-- The UNIQUE (schedule_id, slot) key is what makes N instances post each slot once.
CREATE TABLE digest_outbox (
  id BIGSERIAL PRIMARY KEY,
  schedule_id BIGINT NOT NULL REFERENCES digest_schedules(id),
  slot TEXT NOT NULL,
  due_at TEXT NOT NULL,
  platform TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('posting', 'retry', 'posted', 'empty', 'skipped', 'failed')),
  period_start TEXT,
  period_end TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  parts_posted INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  last_error TEXT,
  message_refs TEXT,
  claimed_at TEXT NOT NULL,
  finished_at TEXT,
  UNIQUE (schedule_id, slot)
);
CREATE INDEX digest_outbox_open ON digest_outbox(status, next_attempt_at);
CREATE INDEX digest_outbox_schedule ON digest_outbox(schedule_id, due_at);
`,
  },
  {
    version: 3,
    name: 'digest store on PostgreSQL: timestamptz times, jsonb message ids, lease check, open-row index',
    sql: `
-- The digest tables (src/schedule/pg-store.ts) keep their times as timestamptz, not ISO text:
-- leases and retry times are compared in SQL as instants, greatest() moves a channel's state on,
-- and a malformed time cannot get in. (The story tables keep ISO text.) Version 2's ISO strings
-- convert as they are; digests did not run on PostgreSQL before this step.
ALTER TABLE digest_schedules
  ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz,
  ALTER COLUMN deleted_at TYPE timestamptz USING deleted_at::timestamptz;

ALTER TABLE digest_channels
  ALTER COLUMN last_until TYPE timestamptz USING last_until::timestamptz,
  ALTER COLUMN last_posted_at TYPE timestamptz USING last_posted_at::timestamptz;

ALTER TABLE digest_outbox
  ALTER COLUMN due_at TYPE timestamptz USING due_at::timestamptz,
  ALTER COLUMN period_start TYPE timestamptz USING period_start::timestamptz,
  ALTER COLUMN period_end TYPE timestamptz USING period_end::timestamptz,
  ALTER COLUMN next_attempt_at TYPE timestamptz USING next_attempt_at::timestamptz,
  ALTER COLUMN lease_until TYPE timestamptz USING lease_until::timestamptz,
  ALTER COLUMN claimed_at TYPE timestamptz USING claimed_at::timestamptz,
  ALTER COLUMN finished_at TYPE timestamptz USING finished_at::timestamptz,
  -- Platform message ids of the parts posted (Slack ts, Discord snowflake), in order.
  ALTER COLUMN message_refs TYPE jsonb USING coalesce(message_refs, '[]')::jsonb,
  ALTER COLUMN message_refs SET DEFAULT '[]'::jsonb,
  ALTER COLUMN message_refs SET NOT NULL,
  ADD CONSTRAINT digest_outbox_refs_array CHECK (jsonb_typeof(message_refs) = 'array'),
  -- A row being posted always names its poster and how long the claim holds.
  ADD CONSTRAINT digest_outbox_posting_lease CHECK (status <> 'posting' OR (lease_owner IS NOT NULL AND lease_until IS NOT NULL));

-- Open rows (retries and claims being posted): what takeOver and nextOpenAt look at.
CREATE INDEX digest_outbox_open_due ON digest_outbox (platform, (CASE WHEN status = 'retry' THEN next_attempt_at ELSE lease_until END))
  WHERE status IN ('retry', 'posting');
`,
  },
  {
    version: 4,
    name: 'entity catalog (aggregated entities and their aliases, roles, affiliations)',
    sql: `
-- One row per cross-story entity key, with counts over the stories folded in (src/index/catalog.ts).
CREATE TABLE entity_catalog (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  country_code TEXT,
  name_at TEXT NOT NULL,
  stories INTEGER NOT NULL,
  mentions INTEGER NOT NULL,
  quotes INTEGER NOT NULL
);
CREATE INDEX entity_catalog_recent ON entity_catalog(name_at);
CREATE TABLE entity_terms (
  key TEXT NOT NULL,
  term TEXT NOT NULL,
  folded TEXT NOT NULL,
  text TEXT NOT NULL,
  alias_kind TEXT,
  position INTEGER NOT NULL,
  at TEXT NOT NULL,
  refs INTEGER NOT NULL,
  PRIMARY KEY (key, term, folded)
);
-- 1 once the story's entities are counted in the catalog; stories under embargo wait at 0.
ALTER TABLE stories ADD COLUMN cataloged INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stories_uncataloged ON stories(embargo_until) WHERE cataloged = 0;
`,
  },
  {
    version: 5,
    name: 'story sort time on entity rows',
    sql: `
-- The story's sort time on each entity row, so the newest stories of an entity come from one
-- index range (a country seen in 10,000 stories no longer sorts them all for /who).
ALTER TABLE entities ADD COLUMN sort_at TEXT;
UPDATE entities SET sort_at = (SELECT s.sort_at FROM stories s WHERE s.id = entities.story_id);
CREATE INDEX entities_key_sort ON entities(key, sort_at);
`,
  },
  {
    version: 6,
    name: 'unreadable publication dates kept raw; duplicate stories (same text, another identity)',
    sql: `
-- The source's publication date as written when it could not be read ("08/06/2018 - 08:00").
ALTER TABLE stories ADD COLUMN published_raw TEXT;
-- Hash of the current revision's text (whitespace collapsed), to recognise the same story under
-- another identity (a copied file, a second URL); filled for older rows when the index opens.
ALTER TABLE stories ADD COLUMN text_hash TEXT;
-- Set when this identity's text repeats story duplicate_of: it has no parse rows, no search
-- entry and no catalog counts, so it is listed and counted once, as that story.
ALTER TABLE stories ADD COLUMN duplicate_of TEXT;
CREATE INDEX stories_text_hash ON stories(text_hash) WHERE duplicate_of IS NULL;
`,
  },
  {
    version: 7,
    name: 'quote search: full-text index of quotes and the key of their words (/check, watches)',
    sql: `
-- One row per direct quote and reported speech of the current revisions (src/index/quotesearch.ts),
-- as in SQLite's migration 6. text_key: quoteKey(text). tsv: the quote's words, 'simple'
-- configuration (no stemming, no stop words: a word matches itself).
CREATE TABLE quote_search (
  id BIGSERIAL PRIMARY KEY,
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  quote_id TEXT NOT NULL,
  text_key BIGINT NOT NULL,
  sort_at TEXT NOT NULL,
  first_direct BOOLEAN NOT NULL,            -- the story's first direct quote with these words
  embargo_until TEXT,                       -- the story's, so counting stories needs no join
  tsv tsvector NOT NULL
);
CREATE INDEX quote_search_key ON quote_search(text_key, sort_at) INCLUDE (first_direct, embargo_until);
CREATE INDEX quote_search_story ON quote_search(story_id);
CREATE INDEX quote_search_tsv ON quote_search USING GIN (tsv);
`,
    run: async (client) => {
      const { rows } = await client.query<{ story_id: string; quote_id: string; text: string; sort_at: string; kind: string; embargo_until: string | null }>(
        `SELECT q.story_id, q.quote_id, q.text, s.sort_at, q.kind, s.embargo_until FROM quotes q JOIN stories s ON s.id = q.story_id
         WHERE q.kind IN ('direct', 'indirect') ORDER BY s.seq, q.start_offset`,
      );
      const keyed = rows.flatMap((r) => {
        const key = quoteKey(r.text);
        return key === null ? [] : [{ ...r, key }];
      });
      const counted = new Set<string>();
      const rowsIn = keyed.map((r) => {
        const first = r.kind === 'direct' && !counted.has(`${r.story_id} ${r.key}`);
        if (first) counted.add(`${r.story_id} ${r.key}`);
        return { ...r, first_direct: first };
      });
      for (let i = 0; i < rowsIn.length; i += 1000) await insertQuoteSearch(client, rowsIn.slice(i, i + 1000));
    },
  },
  {
    version: 8,
    name: 'watches, watch alerts (outbox), watch hits, watch scan position',
    // The same tables as SQLite's migration 7 (one definition: watchTablesSql).
    sql: watchTablesSql('postgres'),
  },
];

/**
 * Inserts quote-search rows (`text_key` from `quoteKey`, words indexed with the 'simple'
 * configuration), in one statement.
 */
export async function insertQuoteSearch(
  client: pg.PoolClient | pg.Client,
  rows: readonly { story_id: string; quote_id: string; text: string; sort_at: string; key: number; first_direct: boolean; embargo_until: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO quote_search (story_id, quote_id, text_key, sort_at, first_direct, embargo_until, tsv)
     SELECT story_id, quote_id, text_key, sort_at, first_direct, embargo_until, to_tsvector('simple', text)
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::boolean[], $7::text[]) AS t(story_id, quote_id, text_key, sort_at, text, first_direct, embargo_until)`,
    [
      rows.map((r) => r.story_id),
      rows.map((r) => r.quote_id),
      rows.map((r) => String(r.key)),
      rows.map((r) => r.sort_at),
      rows.map((r) => r.text),
      rows.map((r) => r.first_direct),
      rows.map((r) => r.embargo_until),
    ],
  );
}

/** The schema version this build writes. */
export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;

/**
 * Brings a PostgreSQL database up to the latest version, under an advisory lock.
 * @returns the versions applied now (empty when already current)
 * @throws Error when the database was written by a newer bot
 */
export async function migratePg(client: pg.PoolClient | pg.Client, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_version (only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row), version INTEGER NOT NULL)`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    await client.query('INSERT INTO schema_version (version) VALUES (0) ON CONFLICT DO NOTHING');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    let current = rows[0]!.version;
    if (current > latest) throw new Error(`the database has schema version ${current}, newer than this bot knows (${latest}); upgrade the bot`);
    for (const m of migrations) {
      if (current >= m.version) continue;
      await client.query(m.sql);
      await m.run?.(client);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, new Date().toISOString()]);
      await client.query('UPDATE schema_version SET version = $1', [m.version]);
      current = m.version;
      applied.push(m.version);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return applied;
}
