/**
 * PostgreSQL-only checks: versioned migrations under concurrent start-up, connection errors that
 * never show the password, two instances ingesting the same story at once. Skipped (with the
 * reason as the test name) when TEST_DATABASE_URL is not set.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS, migratePg } from '../../src/index/pg-migrations.js';
import { PostgresIndex } from '../../src/index/postgres.js';
import { warning } from '../core/stories.js';
import { createTestDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from './backends.js';

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops) await d();
});
async function freshDb(): Promise<string> {
  const db = await createTestDatabase(TEST_DATABASE_URL!);
  drops.push(db.drop);
  return db.url;
}

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL index', () => {
  it('migrates once when several instances start at the same moment, and records every step', async () => {
    const url = await freshDb();
    const instances = await Promise.all(Array.from({ length: 4 }, () => PostgresIndex.open(url, { maxConnections: 2 })));
    const rows = (await instances[0]!.connection.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
    expect(rows).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect((await instances[0]!.connection.query('SELECT version FROM schema_version')).rows).toEqual([{ version: PG_LATEST_SCHEMA_VERSION }]);
    const c = await instances[1]!.connection.connect();
    expect(await migratePg(c)).toEqual([]);
    // A later step applies once, in order.
    const extra = [...PG_MIGRATIONS, { version: PG_LATEST_SCHEMA_VERSION + 1, name: 'test step', sql: 'CREATE TABLE extra (x INTEGER);' }];
    expect(await migratePg(c, extra)).toEqual([PG_LATEST_SCHEMA_VERSION + 1]);
    expect(await migratePg(c, extra)).toEqual([]);
    c.release();
    for (const i of instances) await i.close();
    await expect(PostgresIndex.open(url)).rejects.toThrow(
      new RegExp(`schema version ${PG_LATEST_SCHEMA_VERSION + 1}, newer than this bot knows \\(${PG_LATEST_SCHEMA_VERSION}\\)`),
    );
  });

  it('names the host and database but never the password when it cannot connect', async () => {
    const err = await PostgresIndex.open('postgres://bot:s3cret-pw@127.0.0.1:1/newsroom').catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/cannot open the PostgreSQL index at 127\.0\.0\.1:1\/newsroom/);
    expect((err as Error).message).not.toContain('s3cret-pw');
  });

  it('stores a story once when two instances ingest it at the same moment; refuses a NUL and keeps the rest', async () => {
    const url = await freshDb();
    const a = await PostgresIndex.open(url);
    const b = await PostgresIndex.open(url);
    const s = warning();
    const results = await Promise.all([a.upsert(s.input, s.parsed), b.upsert(s.input, s.parsed), a.upsert(s.input, s.parsed)]);
    expect(results.map((r) => r.status).sort()).toEqual(['added', 'unchanged', 'unchanged']);
    expect(new Set(results.map((r) => r.storyId)).size).toBe(1);
    const token = await b.changeToken();
    await expect(a.upsert({ ...s.input, text: `${s.input.text}\u0000` }, s.parsed)).rejects.toThrow(/NUL character/);
    expect(await b.storyCount()).toBe(1);
    expect(await b.changeToken()).toBe(token);
    const s2 = { ...s.input, text: `${s.input.text}\n\nUpdated.` };
    await a.upsert(s2, s.parsed);
    expect(await b.changeToken()).not.toBe(token);
    expect((await b.getStory(results[0]!.storyId))?.revision).toBe(2);
    const pool = new pg.Pool({ connectionString: url });
    expect((await pool.query('SELECT count(*)::int AS n FROM revisions')).rows[0].n).toBe(2);
    await pool.end();
    await a.close();
    await b.close();
  });
});

describe.skipIf(Boolean(TEST_DATABASE_URL))('PostgreSQL index', () => {
  it.skip(POSTGRES_SKIP_REASON, () => undefined);
});
