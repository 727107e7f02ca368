/**
 * Test helper: the index backends one suite runs against. SQLite always (a file in a temp
 * folder); PostgreSQL only when `TEST_DATABASE_URL` names a server the tests may create and drop
 * databases on (`.ci/run` starts one on 127.0.0.1). Each `open()` gives a fresh, empty index.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PostgresIndex } from '../../src/index/postgres.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import type { ArticleIndex } from '../../src/index/types.js';

/** One backend under test. */
export interface Backend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty index; `clock` gives its ingestion times (default the real time). */
  open(options?: { clock?: () => Date }): Promise<ArticleIndex>;
  /** Rows of a plain SQL query (written to run on both engines) against `idx`'s database. */
  rows(idx: ArticleIndex, sql: string): Promise<Record<string, unknown>[]>;
  /** Removes everything `open` created. */
  cleanup(): Promise<void>;
}

/** The PostgreSQL server for tests, or undefined (the Postgres runs are then skipped). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** Why the Postgres runs are skipped, for the test names. */
export const POSTGRES_SKIP_REASON = 'TEST_DATABASE_URL is not set: PostgreSQL backend tests skipped (.ci/run sets it)';

/** The URL of database `name` on the test server. */
export function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

let counter = 0;

/** Creates an empty database on the test server. @returns its URL and a function that drops it */
export async function createTestDatabase(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `nb_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(base, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

function sqliteBackend(): Backend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async open(options = {}) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'index-test-'));
      dirs.push(dir);
      return SqliteIndex.open(path.join(dir, 'news.db'), options);
    },
    async rows(idx, sql) {
      return (idx as SqliteIndex).connection.prepare(sql).all() as Record<string, unknown>[];
    },
    async cleanup() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

function postgresBackend(base: string): Backend {
  const drops: (() => Promise<void>)[] = [];
  return {
    name: 'postgres',
    async open(options = {}) {
      const db = await createTestDatabase(base);
      drops.push(db.drop);
      return PostgresIndex.open(db.url, { maxConnections: 4, ...options });
    },
    async rows(idx, sql) {
      return (await (idx as PostgresIndex).connection.query(sql)).rows as Record<string, unknown>[];
    },
    async cleanup() {
      for (const d of drops.splice(0)) await d();
    },
  };
}

/** `[name, backend]` pairs for `describe.each`; the Postgres entry is null when no server is configured. */
export const BACKENDS: [string, Backend | null][] = [
  ['sqlite', sqliteBackend()],
  ['postgres', TEST_DATABASE_URL ? postgresBackend(TEST_DATABASE_URL) : null],
];
