/**
 * Test helper: the databases the digest suites run on, as `test/index/backends.ts` does for the
 * index suite. SQLite always (a file in a temp folder); PostgreSQL only when `TEST_DATABASE_URL`
 * names a server the tests may create and drop databases on (`.ci/run` starts one). One
 * `database()` is one empty database; `open` on it may be called several times, one index (one
 * connection or pool) per simulated bot process, all sharing the same digest tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PostgresIndex } from '../../src/index/postgres.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import type { ArticleIndex } from '../../src/index/types.js';
import type { ManualClock } from '../../src/schedule/clock.js';
import { createTestDatabase, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../index/backends.js';

export { POSTGRES_SKIP_REASON, TEST_DATABASE_URL };

/** One empty database. */
export interface DigestDatabase {
  /** `file:` path (SQLite) or connection URL (PostgreSQL) of the database. */
  readonly where: string;
  /** A new index on this database whose ingestion times come from `clock`. */
  open(clock: ManualClock): Promise<ArticleIndex>;
}

/** One backend the digest suites run against. */
export interface DigestBackend {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database. */
  database(): Promise<DigestDatabase>;
  /** Removes every database `database()` made (indexes on them should be closed first). */
  cleanup(): Promise<void>;
}

function sqliteBackend(): DigestBackend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async database() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-test-'));
      dirs.push(dir);
      const file = path.join(dir, 'index.db');
      return { where: file, open: async (clock) => SqliteIndex.open(file, { clock: () => clock.now() }) };
    },
    async cleanup() {
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

function postgresBackend(base: string): DigestBackend {
  const drops: (() => Promise<void>)[] = [];
  return {
    name: 'postgres',
    async database() {
      const db = await createTestDatabase(base);
      drops.push(db.drop);
      return { where: db.url, open: (clock) => PostgresIndex.open(db.url, { maxConnections: 4, clock: () => clock.now() }) };
    },
    async cleanup() {
      for (const d of drops.splice(0)) await d();
    },
  };
}

/** `{ title, backend }` cases for `describe.each`; the Postgres backend is null (and its title says why) when no server is configured. */
export const DIGEST_BACKENDS: { title: string; backend: DigestBackend | null }[] = [
  { title: 'sqlite', backend: sqliteBackend() },
  { title: TEST_DATABASE_URL ? 'postgres' : `postgres (skipped: ${POSTGRES_SKIP_REASON})`, backend: TEST_DATABASE_URL ? postgresBackend(TEST_DATABASE_URL) : null },
];
