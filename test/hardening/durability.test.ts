/**
 * Durability (issue 7): the SQLite index runs in WAL mode with a busy timeout that really waits,
 * and a corrupt or unreadable database file gives one clear error naming the file, from
 * `SqliteIndex.open` and from the bot's start-up (exit code 1, no stack trace), and is left as it was.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteIndex } from '../../src/index/sqlite.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'newsroom-hardening-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Deterministic garbage bytes (a simple LCG), so a failure can be reproduced. */
function garbage(n: number, seed = 42): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    b[i] = x & 0xff;
  }
  return b;
}

function openError(file: string): Error {
  try {
    SqliteIndex.open(file).close();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected SqliteIndex.open to fail');
}

describe('WAL and busy timeout', () => {
  it('a file index is in WAL mode and waits busy_timeout ms for a lock instead of failing at once', async () => {
    const file = path.join(tempDir(), 'news.db');
    const index = SqliteIndex.open(file, { busyTimeoutMs: 300 });
    expect(index.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(index.connection.pragma('busy_timeout', { simple: true })).toBe(300);
    // Readers are not blocked by a writer in WAL mode.
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    expect(await index.storyCount()).toBe(0);
    // A second writer waits for the timeout, then gets SQLITE_BUSY.
    const t0 = performance.now();
    expect(() => index.connection.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/i);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    other.exec('ROLLBACK');
    other.close();
    index.connection.exec('BEGIN IMMEDIATE; ROLLBACK');
    await index.close();
  });
});

describe('corrupt or unreadable database file', () => {
  it('garbage bytes: a clear error naming the file, and the file is left untouched', () => {
    const file = path.join(tempDir(), 'garbage.db');
    const bytes = garbage(64 * 1024);
    fs.writeFileSync(file, bytes);
    const err = openError(file);
    expect(err.message).toBe(`cannot open the index at ${file}: the file is not a SQLite database`);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('a real database with its pages overwritten: a clear error naming the file', () => {
    const file = path.join(tempDir(), 'damaged.db');
    SqliteIndex.open(file).close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, garbage(fs.fstatSync(fd).size - 100, 7), 0, undefined, 100); // keep the 100-byte header
    fs.closeSync(fd);
    for (const side of ['-wal', '-shm']) fs.rmSync(file + side, { force: true });
    const err = openError(file);
    expect(err.message).toMatch(new RegExp(`^cannot open the index at ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
    expect(err.message).toMatch(/malformed|not a (SQLite )?database|corrupt/i);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file: a clear error naming the file', () => {
    const file = path.join(tempDir(), 'locked.db');
    SqliteIndex.open(file).close();
    fs.chmodSync(file, 0o000);
    expect(openError(file).message).toContain(`cannot open the index at ${file}`);
  });

  it('start-up on a corrupt database exits with code 1 and one line on stderr, no stack trace', () => {
    const dir = tempDir();
    const file = path.join(dir, 'garbage.db');
    fs.writeFileSync(file, garbage(8192));
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, DATABASE_PATH: file, NEWSROOM_CONFIG: path.join(dir, 'config.json'), LOG_LEVEL: 'silent' };
    fs.writeFileSync(env.NEWSROOM_CONFIG!, JSON.stringify({ examples: { ingestOnStart: false } }));
    const tsx = path.resolve('node_modules/.bin/tsx');
    const res = spawnSync(tsx, [path.resolve('src/main.ts')], { cwd: dir, env, input: '', encoding: 'utf8', timeout: 60_000 });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(`newsroom-bot: DATABASE_PATH: cannot open the index at ${file}: the file is not a SQLite database`);
    expect(res.stdout).toBe('');
  }, 90_000);
});
