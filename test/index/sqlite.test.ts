/** SQLite-only checks: the database file, WAL, migrations via user_version, FTS5 query text. The shared index suite is index.test.ts. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toFtsQuery } from '../../src/index/fts.js';
import { LATEST_SCHEMA_VERSION, migrate, MIGRATIONS } from '../../src/index/migrations.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { warning, water } from '../core/stories.js';
import { parseArticle } from '../../src/parse/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'index-test-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = (idx: SqliteIndex, table: string) => (idx.connection.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('duplicates stored before text hashes existed (schema 4 and older)', () => {
  it('get their hash on open, and the later copies of one text become duplicates: counted once, searchable once', async () => {
    const file = path.join(dir, 'old.db');
    const a = water();
    const b = warning();
    let idx = SqliteIndex.open(file);
    const ra = await idx.upsert({ ...a.input, url: 'https://a.example/1' }, a.parsed);
    const rb = await idx.upsert({ ...b.input, url: 'https://a.example/2' }, b.parsed);
    // As an older bot left it: the same text under two identities, both with parse rows, no hashes.
    idx.connection.prepare('UPDATE revisions SET text = (SELECT text FROM revisions WHERE story_id = ?) WHERE story_id = ?').run(ra.storyId, rb.storyId);
    idx.connection.prepare('UPDATE stories SET text_hash = NULL').run();
    expect(await idx.storyCount()).toBe(2);
    await idx.close();
    idx = SqliteIndex.open(file);
    expect(await idx.storyCount()).toBe(1);
    const row = idx.connection.prepare('SELECT duplicate_of FROM stories WHERE id = ?').get(rb.storyId) as { duplicate_of: string };
    expect(row.duplicate_of).toBe(ra.storyId);
    expect(count(idx, 'stories_fts')).toBe(1);
    expect((idx.connection.prepare('SELECT count(*) AS n FROM quotes WHERE story_id = ?').get(rb.storyId) as { n: number }).n).toBe(0);
    expect((idx.connection.prepare('SELECT count(*) AS n FROM stories WHERE text_hash IS NULL').get() as { n: number }).n).toBe(0);
    await idx.close();
  });
});

describe('opening and migrations', () => {
  it('creates the database, its folder and every table, in WAL mode at the latest schema version', async () => {
    const file = path.join(dir, 'nested', 'folder', 'news.db');
    const idx = SqliteIndex.open(file);
    expect(fs.existsSync(file)).toBe(true);
    const db = idx.connection;
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    for (const t of ['stories', 'revisions', 'sentences', 'entities', 'aliases', 'roles', 'affiliations', 'mentions', 'quotes', 'amounts', 'stories_fts', 'schema_migrations']) {
      expect(tables).toContain(t);
    }
    const applied = db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number }[];
    expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    await idx.close();
  });

  it('fills the entity catalog on open for stories stored before it existed (the step-3 upgrade)', async () => {
    const file = path.join(dir, 'news.db');
    const idx = SqliteIndex.open(file);
    for (const s of [warning(), water()]) await idx.upsert(s.input, s.parsed);
    const before = await idx.listEntities();
    expect(before.length).toBeGreaterThan(5);
    // As a version-2 database would be after migration 3: stories present, catalog empty.
    idx.connection.exec('DELETE FROM entity_catalog; DELETE FROM entity_terms; UPDATE stories SET cataloged = 0');
    await idx.close();
    const reopened = SqliteIndex.open(file);
    expect(count(reopened, 'stories WHERE cataloged = 0')).toBe(0);
    expect(await reopened.listEntities()).toEqual(before);
    await reopened.close();
  });

  it('applies nothing on reopen and keeps the data', async () => {
    const file = path.join(dir, 'news.db');
    const a = SqliteIndex.open(file);
    const s = warning();
    await a.upsert(s.input, s.parsed);
    await a.close();
    const b = SqliteIndex.open(file);
    expect(migrate(b.connection)).toEqual([]);
    expect(await b.storyCount()).toBe(1);
    await b.close();
  });

  it('applies a later migration in order, once', () => {
    const db = new Database(':memory:');
    const steps = [...MIGRATIONS, { version: LATEST_SCHEMA_VERSION + 1, name: 'test step', sql: 'CREATE TABLE extra (x INTEGER);' }];
    expect(migrate(db, MIGRATIONS)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(migrate(db, steps)).toEqual([LATEST_SCHEMA_VERSION + 1]);
    expect(migrate(db, steps)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 1);
    db.close();
  });

  it('refuses a database written by a newer bot, and a file that is not a database', () => {
    const newer = path.join(dir, 'newer.db');
    const db = new Database(newer);
    db.pragma('user_version = 999');
    db.close();
    expect(() => SqliteIndex.open(newer)).toThrow(/schema version 999, newer than this bot knows/);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'this is a text file, not SQLite, padded out to look like something. '.repeat(20));
    expect(() => SqliteIndex.open(junk)).toThrow(/junk\.db: the file is not a SQLite database/);
  });

  it('works in memory', async () => {
    const idx = SqliteIndex.open(':memory:');
    const s = water();
    expect((await idx.upsert(s.input, s.parsed)).status).toBe('added');
    expect(await idx.storyCount()).toBe(1);
    await idx.close();
  });
});

describe('FTS5 query text', () => {
  it('quotes every word as a phrase', () => {
    expect(toFtsQuery('U.S. NEAR title: don\'t')).toBe('"u s" "near" "title" "don t"');
    expect(toFtsQuery('troop* talks', 'or')).toBe('"troop"* OR "talks"');
    expect(toFtsQuery('" * :')).toBeNull();
  });
});

describe('search with very common words', () => {
  /** A story on a council and its harbour; `extra` adds a sentence, `title` overrides the headline. */
  const story = (i: number, extra = '', title = `Council meets on harbour plan ${i}`) => {
    const text = `${title}\n\nThe council discussed the harbour plan again on day ${i}. ${extra}`.trim();
    return { input: { text, url: `https://news.example/harbour-${i}`, publishedAt: `2025-04-0${i}T09:00:00Z`, source: 'test' }, parsed: parseArticle(text) };
  };

  it('still requires every word, ranks by the rarer ones, and lists newest first when all are common', async () => {
    // Any word in 3 or more stories counts as common here (5,000 by default).
    const idx = SqliteIndex.open(path.join(dir, 'news.db'), { commonWordStories: 3 });
    for (let i = 1; i <= 5; i++) {
      const s = i === 2 ? story(i, 'Dredging starts in May.', 'Dredging of the harbour approved') : i === 4 ? story(i, 'Dredging was not mentioned by the council.') : story(i);
      await idx.upsert(s.input, s.parsed);
    }
    const dredging = await idx.search('harbour dredging');
    expect(dredging.map((h) => h.title)).toEqual(['Dredging of the harbour approved', 'Council meets on harbour plan 4']);
    expect(dredging.every((h) => h.allWords)).toBe(true);
    const common = await idx.search('council harbour');
    expect(common.map((h) => h.title)).toEqual([5, 4, 3, 1].map((i) => `Council meets on harbour plan ${i}`).toSpliced(3, 0, 'Dredging of the harbour approved'));
    // No story holds both words: any word, and with no rare word matching, the common word's stories newest first.
    const anyWord = await idx.search('council zeppelin');
    expect(anyWord).toHaveLength(5);
    expect(anyWord[0]!.title).toBe('Council meets on harbour plan 5');
    expect(anyWord.every((h) => h.allWords === false)).toBe(true);
    await idx.close();
  });
});

