/**
 * `npm run cli -- ingest PATH|URL|FEED` end to end: a real process, a temporary database, feeds
 * from 127.0.0.1; and `cli ask --file` with files that cannot be read.
 */
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

/** `cli ingest ARGS…`. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return cliCommand('ingest', ...args);
}

/** `cli COMMAND ARGS…` as a real process, with the test's config. */
async function cliCommand(command: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', command, ...args], { env, cwd: process.cwd() });
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

  it('goes on past a missing path, reports each failure and exits 1 at the end', async () => {
    const a = story('mill-a.txt', MILL);
    const b = story('ferry-b.txt', FERRY);
    const run = await cli(a, path.join(dir, 'nope.txt'), 'ftp://example.org/feed', b);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`failed    ${path.join(dir, 'nope.txt')}: no such file or folder\nfailed    ftp://example.org/feed: only http and https URLs can be ingested\n`);
    expect(run.stdout).toContain(`added     ${a}\nadded     ${b}\n`);
    expect(run.stdout).toMatch(/ingested 2 stories in [\d.]+ s \([^)]+\): 2 added, 0 updated, 0 unchanged, 0 failed; 2 sources failed\n/);
    expect(run.stdout).toContain(`  failed: source ${path.join(dir, 'nope.txt')}: no such file or folder\n  failed: source ftp://example.org/feed: only http and https URLs can be ingested\n`);
    // Only missing paths: a summary, exit 1.
    const none = await cli(path.join(dir, 'nope.txt'));
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('0 failed; 1 source failed');
  }, 60_000);
});

const MILL = `Mill roof repairs approved

KESWICK — The town council approved repairs to the old mill roof on Tuesday.

“The mill will be dry by winter,” said Imogen Tarrant, the council leader.
`;
const FERRY = `Lake ferry keeps its fares

AMBLESIDE — The lake ferry will keep its fares for another year, its operator said on Monday.

“Nobody should pay more to cross the lake,” said Rosalind Okafor, the harbour master.
`;

/** Writes a story file into the test folder (under `sub`, when given); returns its path. */
function story(name: string, text: string | Buffer, sub = ''): string {
  const folder = path.join(dir, sub);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('cli ask --file', () => {
  it('stops on a file that cannot be read, with exit 1 and no answer from an empty index', async () => {
    const run = await cliCommand('ask', '--file', path.join(dir, 'nope.txt'), '/summary');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`${path.join(dir, 'nope.txt')}: no such file or folder\nask: no story could be read from --file (1 failure above); nothing to answer from\n`);
    expect(run.stderr).not.toContain('ingest PATH');
  }, 60_000);

  it('answers from the files it could read, names those it could not, says how many and exits 1', async () => {
    story('a-mill.txt', MILL, 'mixed');
    story('b-ferry.txt', FERRY, 'mixed');
    story('c-empty.txt', '', 'mixed');
    story('d-binary.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), 'mixed');
    // A sparse file over the 10 MiB limit.
    const huge = story('e-huge.txt', '', 'mixed');
    fs.truncateSync(huge, 11 * 1024 * 1024);
    const run = await cliCommand('ask', '--file', path.join(dir, 'mixed'), '/quotes');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('“The mill will be dry by winter”');
    expect(run.stdout).toContain('“Nobody should pay more to cross the lake”');
    const folder = path.join(dir, 'mixed');
    expect(run.stderr).toBe(
      `${folder}/c-empty.txt: file is empty\n` +
        `${folder}/d-binary.txt: looks like a binary file (it contains NUL bytes), not a story\n` +
        `${folder}/e-huge.txt: too large (11.0 MiB; the limit is 10 MiB)\n` +
        'ask: 3 of 5 files failed (reasons above); answered from the other 2\n',
    );
  }, 60_000);

  it('refuses a malformed --page with its own message (exit 2), in the command or as an option', async () => {
    const file = story('ferry.txt', FERRY);
    for (const args of [['/quotes okafor --page -1'], ['--page', 'abc', '/quotes okafor']]) {
      const run = await cliCommand('ask', '--file', file, ...args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n')[0]).toMatch(/^--page takes a page number from 1 to 1000, e\.g\. --page 2 \(got “(-1|abc)”\)\.$/);
    }
    const ok = await cliCommand('ask', '--file', file, '/quotes okafor --page 1');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Quotes from Rosalind Okafor');
  }, 60_000);
});
