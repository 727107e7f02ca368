/**
 * Versioned schema migrations for the SQLite index. The schema version lives in SQLite's
 * `PRAGMA user_version`; `schema_migrations` records when each step ran. Migrations run in
 * order, each in its own IMMEDIATE transaction (so two processes starting at once do not
 * both apply a step), and are never edited once released: a change is a new step.
 */
import type Database from 'better-sqlite3';
import { quoteKey } from './keys.js';

/** One schema step. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A data step run after `sql`, in the same transaction (rows SQL alone cannot compute). */
  run?: (db: Database.Database) => void;
}

/** The schema, step by step. Offsets are UTF-16 indexes into the revision's text, end exclusive. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'stories, revisions, parsed tables, full-text index',
    sql: `
CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
);

-- One row per story; the metadata of its current revision.
CREATE TABLE stories (
  id TEXT PRIMARY KEY,
  identity TEXT NOT NULL UNIQUE,          -- 'url:…', 'guid:…' or 'hash:…'
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
  embargo_until TEXT,                     -- ISO 8601 UTC; NULL when none
  first_ingested_at TEXT NOT NULL,
  ingested_at TEXT NOT NULL,              -- when the current revision was stored
  sort_at TEXT NOT NULL                   -- published_at, else first_ingested_at: "newest" order
);
CREATE INDEX stories_sort ON stories(sort_at);
CREATE INDEX stories_ingested ON stories(ingested_at);

-- Every revision's text and full parse, for history and for getStory.
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

-- The current revision's parse, as queryable rows.
CREATE TABLE sentences (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  paragraph INTEGER NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  text TEXT NOT NULL,
  summary_rank INTEGER,                   -- position in the extractive summary, NULL when not in it
  PRIMARY KEY (story_id, idx)
) WITHOUT ROWID;

CREATE TABLE entities (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL,                 -- the parser's id, stable within one parse
  key TEXT NOT NULL,                      -- cross-story key: type + folded canonical name
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  gender TEXT,
  country_code TEXT,
  PRIMARY KEY (story_id, local_id)
) WITHOUT ROWID;
CREATE INDEX entities_key ON entities(key);

CREATE TABLE aliases (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  alias TEXT NOT NULL,
  kind TEXT,                              -- mention kind the alias was seen as, when known
  PRIMARY KEY (story_id, entity_id, alias)
) WITHOUT ROWID;

CREATE TABLE roles (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  role TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (story_id, entity_id, role)
) WITHOUT ROWID;

CREATE TABLE affiliations (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  entity_id TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (story_id, entity_id, name)
) WITHOUT ROWID;
CREATE INDEX affiliations_name ON affiliations(name COLLATE NOCASE);

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
  kind TEXT NOT NULL,                     -- direct | indirect | term
  partial INTEGER NOT NULL,
  text TEXT NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  speaker_name TEXT,
  speaker_entity_id TEXT,
  speaker_key TEXT,                       -- cross-story key of the speaker entity
  cue TEXT,
  context_start INTEGER NOT NULL,
  context_end INTEGER NOT NULL,
  context TEXT NOT NULL,
  sentence INTEGER NOT NULL,
  PRIMARY KEY (story_id, quote_id)
) WITHOUT ROWID;
CREATE INDEX quotes_speaker ON quotes(speaker_key);

CREATE TABLE amounts (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  text TEXT NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  sentence INTEGER NOT NULL,
  PRIMARY KEY (story_id, idx)
) WITHOUT ROWID;
CREATE INDEX amounts_sentence ON amounts(story_id, sentence);

CREATE TABLE amount_entities (
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  amount_idx INTEGER NOT NULL,
  entity_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  PRIMARY KEY (story_id, amount_idx, entity_id)
) WITHOUT ROWID;

-- Headline and body of the current revision. Porter stemming so "troop" finds "troops".
CREATE VIRTUAL TABLE stories_fts USING fts5(
  story_id UNINDEXED,
  title,
  body,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
`,
  },
  {
    version: 2,
    name: 'digest schedules, digest state per channel, digest outbox',
    sql: `
-- Digest schedules (src/schedule/): from the config file (source 'config') or from chat ('chat').
-- A schedule is never updated in place: a change is a new row, the old one gets deleted_at.
CREATE TABLE digest_schedules (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,                 -- slack | discord | terminal
  channel_id TEXT NOT NULL,
  days TEXT NOT NULL,                     -- daily | weekdays | weekends | mon,wed,fri
  time TEXT NOT NULL,                     -- HH:MM, local time in time_zone
  time_zone TEXT NOT NULL,                -- IANA zone ("Europe/London")
  source TEXT NOT NULL CHECK (source IN ('config', 'chat')),
  created_by TEXT,                        -- platform user id for chat schedules
  created_at TEXT NOT NULL,               -- ISO 8601 UTC; no slot before it is ever posted
  deleted_at TEXT,
  spec_key TEXT NOT NULL                  -- platform|channel|days|time|zone: one active row per key
);
CREATE UNIQUE INDEX digest_schedules_active ON digest_schedules(spec_key) WHERE deleted_at IS NULL;
CREATE INDEX digest_schedules_channel ON digest_schedules(platform, channel_id);

-- Per channel: where its previous digest ended, so the next one starts there.
CREATE TABLE digest_channels (
  platform TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  last_until TEXT,                        -- end of the period the latest claimed digest covers (ISO UTC)
  last_posted_at TEXT,                    -- when a digest last reached the channel
  PRIMARY KEY (platform, channel_id)
) WITHOUT ROWID;

-- The outbox: one row per (schedule, slot), inserted before anything is posted. The UNIQUE key is
-- what makes several bot instances (or a restarted one) post each slot at most once.
CREATE TABLE digest_outbox (
  id INTEGER PRIMARY KEY,
  schedule_id INTEGER NOT NULL REFERENCES digest_schedules(id),
  slot TEXT NOT NULL,                     -- local calendar date of the run in the schedule's zone (YYYY-MM-DD)
  due_at TEXT NOT NULL,                   -- the run's instant (ISO UTC)
  platform TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('posting', 'retry', 'posted', 'empty', 'skipped', 'failed')),
  period_start TEXT,                      -- stories surfaced in [period_start, period_end)
  period_end TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  parts_posted INTEGER NOT NULL DEFAULT 0, -- messages of a multi-part digest already accepted by the platform
  next_attempt_at TEXT,
  lease_owner TEXT,                       -- instance posting it now
  lease_until TEXT,                       -- after this another instance may take it over
  last_error TEXT,
  message_refs TEXT,                      -- JSON array of platform message ids (Slack ts, Discord snowflake)
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
    name: 'entity catalog (aggregated entities and their aliases, roles, affiliations)',
    sql: `
-- One row per cross-story entity key, with counts over the stories folded in (src/index/catalog.ts).
CREATE TABLE entity_catalog (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,                     -- the name in the newest story
  type TEXT NOT NULL,
  country_code TEXT,
  name_at TEXT NOT NULL,                  -- sort time of the story the name comes from
  stories INTEGER NOT NULL,
  mentions INTEGER NOT NULL,
  quotes INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX entity_catalog_recent ON entity_catalog(name_at);
-- Distinct aliases, roles and affiliations of each key; refs counts the stories giving it.
CREATE TABLE entity_terms (
  key TEXT NOT NULL,
  term TEXT NOT NULL,                     -- alias | role | affiliation
  folded TEXT NOT NULL,
  text TEXT NOT NULL,
  alias_kind TEXT,
  position INTEGER NOT NULL,
  at TEXT NOT NULL,
  refs INTEGER NOT NULL,
  PRIMARY KEY (key, term, folded)
) WITHOUT ROWID;
-- 1 once the story's entities are counted in the catalog; stories under embargo wait at 0.
ALTER TABLE stories ADD COLUMN cataloged INTEGER NOT NULL DEFAULT 0;
CREATE INDEX stories_uncataloged ON stories(embargo_until) WHERE cataloged = 0;
-- When a story was surfaced (stored, or its embargo lifted): what digests select by (storiesSince).
CREATE INDEX stories_surfaced ON stories(max(ingested_at, coalesce(embargo_until, '')));
`,
  },
  {
    version: 4,
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
    version: 5,
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
    version: 6,
    name: 'quote search: full-text index of quotes and the key of their words (/check, watches)',
    sql: `
-- One row per direct quote and reported speech of the current revisions (src/index/quotesearch.ts).
-- text_key: quoteKey(text), the same for the same words whatever their punctuation and case, so
-- every story carrying a quote is found from one index range, oldest first.
CREATE TABLE quote_search (
  id INTEGER PRIMARY KEY,                 -- the rowid of the quote's words in quotes_fts
  story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
  quote_id TEXT NOT NULL,
  text_key INTEGER NOT NULL,
  sort_at TEXT NOT NULL,                  -- the story's sort time (publication, else first seen)
  first_direct INTEGER NOT NULL,          -- 1: the story's first direct quote with these words (counting stories is counting these)
  embargo_until TEXT                      -- the story's, so counting stories needs no join
);
-- Covers /check's look-ups by words: the oldest stories first, and how many stories carry them.
CREATE INDEX quote_search_key ON quote_search(text_key, sort_at, first_direct, embargo_until);
CREATE INDEX quote_search_story ON quote_search(story_id);
-- The quotes' words only (contentless: the text stays in quotes): no stemming, so a word matches
-- itself; accents and case folded as in the stories' index.
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
`,
    run: (db) => {
      const rows = db
        .prepare(
          `SELECT q.story_id, q.quote_id, q.text, q.kind, s.sort_at, s.embargo_until FROM quotes q JOIN stories s ON s.id = q.story_id
           WHERE q.kind IN ('direct', 'indirect') ORDER BY s.rowid, q.start_offset`,
        )
        .iterate() as IterableIterator<{ story_id: string; quote_id: string; text: string; kind: string; sort_at: string; embargo_until: string | null }>;
      const row = db.prepare('INSERT INTO quote_search (story_id, quote_id, text_key, sort_at, first_direct, embargo_until) VALUES (?, ?, ?, ?, ?, ?)');
      const fts = db.prepare('INSERT INTO quotes_fts (rowid, text) VALUES (?, ?)');
      const pending: { story_id: string; quote_id: string; text: string; kind: string; sort_at: string; embargo_until: string | null; key: number }[] = [];
      for (const r of rows) {
        const key = quoteKey(r.text);
        if (key !== null) pending.push({ ...r, key });
      }
      const counted = new Set<string>();
      for (const r of pending) {
        const first = r.kind === 'direct' && !counted.has(`${r.story_id} ${r.key}`);
        if (first) counted.add(`${r.story_id} ${r.key}`);
        fts.run(row.run(r.story_id, r.quote_id, r.key, r.sort_at, first ? 1 : 0, r.embargo_until).lastInsertRowid, r.text);
      }
    },
  },
  {
    version: 7,
    name: 'watches, watch alerts (outbox), watch hits, watch scan position',
    sql: watchTablesSql('sqlite'),
  },
];

/**
 * The watch tables (src/watch/), for SQLite's migration 7 and PostgreSQL's migration 8: the same
 * tables, ids as each engine numbers rows. Times are ISO 8601 UTC text on both, as in the story
 * tables. Released: never edited (a change is a new step).
 */
export function watchTablesSql(dialect: 'sqlite' | 'postgres'): string {
  const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGSERIAL PRIMARY KEY';
  const ref = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const withoutRowid = dialect === 'sqlite' ? ' WITHOUT ROWID' : '';
  return `
-- Watches (src/watch/): alerts when a newly surfaced story quotes or mentions an entity or holds words.
-- A watch is never changed: /unwatch sets deleted_at.
CREATE TABLE watches (
  id ${id},
  platform TEXT NOT NULL,                 -- slack | discord | terminal
  scope TEXT NOT NULL CHECK (scope IN ('channel', 'user')),
  target TEXT NOT NULL,                   -- channel id, or user id (alerts by direct message)
  kind TEXT NOT NULL CHECK (kind IN ('entity', 'words')),
  label TEXT NOT NULL,                    -- the entity's name, or the words as typed
  keys TEXT NOT NULL,                     -- JSON array: the entity's cross-story keys, or the folded words
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT,
  spec_key TEXT NOT NULL                  -- platform|scope|target|kind|keys: one active watch per key
);
CREATE UNIQUE INDEX watches_active ON watches(spec_key) WHERE deleted_at IS NULL;
CREATE INDEX watches_target ON watches(platform, target);

-- The alert outbox: claimed before anything is posted, as digest_outbox. 'pending' alerts gather
-- the hits of their watch until due_at (a burst is held to become one message).
CREATE TABLE watch_alerts (
  id ${id},
  watch_id ${ref} NOT NULL REFERENCES watches(id),
  platform TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'posting', 'retry', 'posted', 'failed', 'dropped')),
  created_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  parts_posted INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  last_error TEXT,
  message_refs TEXT,
  finished_at TEXT
);
CREATE INDEX watch_alerts_open ON watch_alerts(status, due_at);
CREATE INDEX watch_alerts_watch ON watch_alerts(watch_id, created_at);

-- What each watch has alerted on: one row per (watch, story, item), item 'story' for the story
-- itself and 'q:<quote key>' for each quote. The primary key makes every item alert once, across
-- restarts and instances; a revision alerts again only for items (quotes) not seen before.
CREATE TABLE watch_hits (
  watch_id ${ref} NOT NULL REFERENCES watches(id),
  story_id TEXT NOT NULL,
  item TEXT NOT NULL,
  alert_id ${ref} NOT NULL REFERENCES watch_alerts(id),
  PRIMARY KEY (watch_id, story_id, item)
)${withoutRowid};
CREATE INDEX watch_hits_alert ON watch_hits(alert_id);

-- How far the matching got: stories surfaced before scanned_until have been matched (one row).
CREATE TABLE watch_scan (
  only_row INTEGER PRIMARY KEY CHECK (only_row = 1),
  scanned_until TEXT NOT NULL
);
`;
}

/** The schema version this build of the bot writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings a database up to `LATEST_SCHEMA_VERSION`.
 * @returns the versions applied now (empty when already current)
 * @throws Error when the database was written by a newer bot (its version is higher than ours)
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const applied: number[] = [];
  for (const m of migrations) {
    const step = db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (current > latest) {
        throw new Error(`the database has schema version ${current}, newer than this bot knows (${latest}); upgrade the bot`);
      }
      if (current >= m.version) return;
      db.exec(m.sql);
      m.run?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    });
    step.immediate();
  }
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new Error(`the database has schema version ${current}, newer than this bot knows (${latest}); upgrade the bot`);
  }
  return applied;
}
