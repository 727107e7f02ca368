/** `npm run cli -- ingest PATH|URL|FEED` end to end: a real process, a temporary database, feeds from 127.0.0.1. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { fixture } from './helpers.js';
import { send, startServer, type TestServer } from './server.js';

const run = promisify(execFile);
let server: TestServer;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startServer();
  server.route('/rss', send(fs.readFileSync(fixture('feed-latin1.xml')), 'application/rss+xml'));
  server.route('/page', send(fs.readFileSync(fixture('page-comments.html')), 'text/html; charset=utf-8'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-cli-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ database: { path: path.join(dir, 'db.sqlite') }, fetch: { allow: ['127.0.0.1'] } }));
  env = { ...process.env, NEWSROOM_CONFIG: path.join(dir, 'config.json') };
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', ...args], { env, cwd: process.cwd() });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('cli ingest', () => {
  it('ingests a feed URL, a page URL and a ninjs file, then reports unchanged on a second run', async () => {
    const first = await cli(`${server.url}/rss`, `${server.url}/page`, fixture('wire-ninjs1.json'));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/ingested 4 stories in [\d.]+ s \((?:\d+\/s|\d\.\d\/s|\d+\.\d s per story)\): 4 added, 0 updated, 0 unchanged, 0 failed\n4 stories in /);
    const again = await cli(`${server.url}/rss`, `${server.url}/page`, fixture('wire-ninjs1.json'));
    expect(again.stdout).toContain('0 added, 0 updated, 4 unchanged, 0 failed');
    const index = SqliteIndex.open(path.join(dir, 'db.sqlite'));
    try {
      expect((await index.search('pêcheurs')).map((h) => h.title)).toEqual(['Les pêcheurs bretons réclament des aides']);
    } finally {
      await index.close();
    }
  }, 60_000);

  it('exits 1 with reasons for failures, 2 for bad usage', async () => {
    const bad = await cli(`${server.url}/missing`, fixture('wire-batch.json'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`failed: source ${server.url}/missing: ${server.url}/missing: HTTP 404`);
    expect(bad.stdout).toContain('pubstatus is withheld: not a usable story');
    expect((await cli()).code).toBe(2);
    expect((await cli('--full-text', 'sometimes', 'x')).code).toBe(2);
    const missing = await cli(path.join(dir, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file or folder');
  }, 60_000);
});
