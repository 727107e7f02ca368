/**
 * End to end, as a newsroom would run it: `npm start` with piped commands against a fresh
 * database in a temporary folder (examples ingested on first start by the real parser),
 * the CLI's `ask` and `ingest`, and bad input that must not lose what is indexed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_URL } from '../index/backends.js';

const ROOT = path.join(import.meta.dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/articles/04-russia-warns-nato-troops.txt');
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm ARGS` in the project with `input` on stdin, platform tokens blanked, the database in the temp folder. */
function npm(args: string[], input: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_PATH: path.join(dir, 'newsroom.db'),
        NEWSROOM_CONFIG: '',
        SLACK_BOT_TOKEN: '',
        DISCORD_TOKEN: '',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const storyCount = () => {
  const db = new Database(path.join(dir, 'newsroom.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** The replies in piped output: blocks that start with a title line underlined by ─. */
const titles = (out: string) => out.split('\n\n').filter((p) => /^[^\n]+\n─+/.test(p)).map((p) => p.split('\n')[0]);

describe('npm start, piped', () => {
  it('answers /summary, /quotes zakharova and /who france from the example stories on a fresh database', async () => {
    const run = await npm(['start', '--silent'], '/summary\n/quotes zakharova\n/who france\n');
    // Nothing on stderr but, when the start-up ingest took over a second on a busy machine, its progress lines.
    expect(run.stderr.split('\n').filter((l) => l && !/^newsroom-bot: (ingesting at start-up: |start-up ingest done: )/.test(l))).toEqual([]);
    expect(run.code).toBe(0);
    expect(titles(run.stdout)).toEqual(['Russia says NATO troops in Ukraine would be legitimate targets', 'Quotes from Maria Zakharova', 'France']);
    const [summary, quotes, who] = run.stdout.split(/\n\n(?=[^\n]+\n─)/);
    // /summary: the newest example, its sentences verbatim, cited once after them.
    const story = fs.readFileSync(EXAMPLE, 'utf8');
    const sentences = summary!.split('\n').slice(3).filter((l) => l && !l.startsWith(' ') && !l.startsWith('('));
    expect(sentences.length).toBeGreaterThanOrEqual(2);
    for (const s of sentences) expect(story).toContain(s);
    expect(summary).toContain('[Russia says NATO troops in Ukraine would be legitimate targets · ');
    // /quotes zakharova: her direct quote, once, with its sentence and story.
    expect(quotes).toContain('“These troops will be regarded by us as a legitimate military target”');
    expect(quotes!.match(/legitimate military target”/g)).toHaveLength(1);
    expect(quotes).toContain('  In context: “These troops will be regarded by us as a legitimate military target,” Zakharova said.');
    expect(quotes).toContain('— Maria Zakharova');
    // /who france: type, aliases, Macron with his role, the 6,000 troops, sources.
    expect(who).toContain('Type: country');
    expect(who).toMatch(/Also called: .*Paris \(capital, used for France\)/);
    expect(who).toContain('Emmanuel Macron, French President');
    expect(who).toContain('6,000 troops');
    expect(who).toContain('Russia says NATO troops in Ukraine would be legitimate targets');
    expect(storyCount()).toBe(5);
  }, 60_000);

  it('is idempotent on the next start: the examples are not stored twice', async () => {
    const run = await npm(['start', '--silent'], '/help\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('5 stories in the index.');
    expect(storyCount()).toBe(5);
  }, 60_000);

  it('explains a bad configuration instead of starting', async () => {
    const run = await npm(['start', '--silent'], '', { SLACK_PORT: 'eighty', SLACK_BOT_TOKEN: 'xoxb-not-printed-secret' });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/SLACK_PORT: expected a port number \(got "eighty"\)/);
    expect(run.stderr).not.toContain('not-printed-secret');
    expect(run.stdout).toBe('');
  }, 60_000);
});

describe('cli', () => {
  it('ask --file answers against just that file and prints plain text', async () => {
    const run = await npm(['run', '--silent', 'cli', '--', 'ask', '--file', EXAMPLE, '/who france'], '');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').slice(0, 2)).toEqual(['France', '──────']);
    expect(run.stdout).toContain('Emmanuel Macron, French President');
    expect(run.stdout).toContain('6,000');
  }, 60_000);

  it('ask reports a refused request on stderr with exit code 2', async () => {
    const run = await npm(['run', '--silent', 'cli', '--', 'ask', '--file', EXAMPLE, '--page', 'abc', '/quotes'], '');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--page takes a page number from 1 to 1000, e.g. --page 2 (got “abc”).');
  }, 60_000);

  it('ingest reports bad files clearly and loses nothing already indexed', async () => {
    const bad = path.join(dir, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'a-empty.txt'), '');
    fs.writeFileSync(path.join(bad, 'b-binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0xff, 0x00]));
    fs.writeFileSync(
      path.join(bad, 'c-unbalanced.txt'),
      'Council splits over budget\n\nLAGOS — “We will not pass this budget, said Ade Bello, the council leader.\n\nThe vote was delayed to Friday.\n',
    );
    fs.writeFileSync(path.join(bad, 'd-no-quotes.txt'), 'Road closed for repairs\n\nNAIROBI — The Mombasa Road will close for two weeks from Monday for resurfacing.\n');
    const before = storyCount();
    const run = await npm(['run', '--silent', 'cli', '--', 'ingest', bad], '');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/a-empty\.txt: .*empty/);
    expect(run.stderr).toMatch(/b-binary\.txt: .*binary/);
    expect(run.stdout).toMatch(/^added +.*c-unbalanced\.txt/m);
    expect(run.stdout).toMatch(/^added +.*d-no-quotes\.txt/m);
    expect(storyCount()).toBe(before + 2);
    // The bot still answers from everything indexed, the new stories included; hostile commands get clear replies.
    const ask = await npm(['start', '--silent'], `/quotes zakharova\n/summary road closed\n/quotes ade bello\n/who\n/who ${'x'.repeat(10_000)}\n/who \u200Bfr\u200Dance\n/who ماريا\n/frobnicate\n`);
    expect(ask.code).toBe(0);
    expect(titles(ask.stdout)).toEqual([
      'Quotes from Maria Zakharova',
      'Road closed for repairs',
      expect.stringMatching(/Ade Bello|Not found/),
      '/who needs more',
      'Argument too long',
      'France',
      'Not found: “ماريا”',
    ]);
    expect(ask.stdout).toContain('Sorry, that argument is 10,000 characters long; the limit is 200.');
    expect(ask.stdout).toContain('Unknown command "/frobnicate". Type /help for the commands.');
    expect(storyCount()).toBe(before + 2);
  }, 120_000);
});

describe.skipIf(!TEST_DATABASE_URL)('cli on PostgreSQL (DATABASE_URL)', () => {
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await drop?.();
  });

  it('ingests into and answers from the database DATABASE_URL names, not the SQLite file', async () => {
    const db = await createTestDatabase(TEST_DATABASE_URL!);
    drop = db.drop;
    const sqliteFile = path.join(dir, 'pg-run-should-not-exist.db');
    const env = { DATABASE_URL: db.url, DATABASE_PATH: sqliteFile };
    const ingest = await npm(['run', '--silent', 'cli', '--', 'ingest', 'examples/articles'], '', env);
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/5 stories in 127\.0\.0\.1:\d+\//);
    expect(ingest.stdout).not.toMatch(/:\/\/[^ ]*@/); // no credentials echoed
    expect(fs.existsSync(sqliteFile)).toBe(false);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      expect(Number((await client.query('SELECT count(*) AS n FROM stories')).rows[0].n)).toBe(5);
    } finally {
      await client.end();
    }
    const who = await npm(['run', '--silent', 'cli', '--', 'ask', '/who france'], '', env);
    expect(who.code).toBe(0);
    expect(who.stdout).toContain('Seen in: 2 stories');
    // The same answer as from the SQLite file holding the same stories.
    const sqliteEnv = { DATABASE_URL: '', DATABASE_PATH: path.join(dir, 'same-stories.db') };
    expect((await npm(['run', '--silent', 'cli', '--', 'ingest', 'examples/articles'], '', sqliteEnv)).code).toBe(0);
    expect((await npm(['run', '--silent', 'cli', '--', 'ask', '/who france'], '', sqliteEnv)).stdout).toBe(who.stdout);
  }, 120_000);
});

