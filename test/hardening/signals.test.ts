/**
 * Durability under signals (issue 7), with real processes:
 * (a) SIGKILL in the middle of a large `cli ingest` (a generated folder of 2,500 stories): the
 *     index opens, `PRAGMA integrity_check` is ok, no story is half-stored (every story has its
 *     revision, sentences and quotes), and a second ingest completes the job;
 * (b) SIGTERM to `npm start` (Slack HTTP mode against the fake Slack) while a slash command's
 *     reply is still being delivered: the reply is delivered, the index is closed (its WAL file
 *     checkpointed away) and the process exits 0. Loopback only.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/parse/index.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { FakeSlack, sendToApp, slashCommandBody } from '../slack/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const STORIES = 2500;
let dir: string;
const children: ChildProcess[] = [];

/** One generated story: same shape for every i (5 sentences, 2 quotes from one speaker), different facts. */
export function crane(i: number): string {
  return (
    `Harbour crane ${i} enters service after repairs\n\n` +
    `PORT ELIZABETH — The harbour board said on Monday that crane ${i} had returned to service after six weeks of repairs to its boom.\n\n` +
    `The crane moved ${100 + (i % 50)} containers on its first shift, according to the board's figures.\n\n` +
    `“We are back to full strength on the quay,” said Maria Okafor, the board's operations chief. “Ships will wait less this week.”\n\n` +
    `Shipping agents had complained about delays of up to three days while crane ${i} was out of service.\n`
  );
}

/** Environment without the developer's own chat tokens or database settings. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD_|SLACK_|DATABASE_|NEWSROOM_|HEALTH_)/.test(k)));
  return { ...env, ...extra };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signals-'));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SIGKILL in the middle of a large ingest', () => {
  it('leaves a consistent index, and a second ingest completes the job', async () => {
    const folder = path.join(dir, 'backfill');
    fs.mkdirSync(folder);
    for (let i = 0; i < STORIES; i++) fs.writeFileSync(path.join(folder, `crane-${String(i).padStart(5, '0')}.txt`), crane(i));
    const db = path.join(dir, 'kill.db');
    const configFile = path.join(dir, 'kill.json');
    fs.writeFileSync(configFile, JSON.stringify({ database: { path: db }, examples: { ingestOnStart: false } }));
    const env = cleanEnv({ NEWSROOM_CONFIG: configFile });

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', folder], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));

    // Wait (bounded) until a few hundred stories are in, read through a second connection (WAL lets it read).
    let seen = 0;
    for (const end = Date.now() + 120_000; Date.now() < end && child.exitCode === null; ) {
      await new Promise((r) => setTimeout(r, 25));
      if (!fs.existsSync(db)) continue;
      try {
        const reader = new Database(db, { readonly: true, fileMustExist: true });
        try {
          seen = (reader.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n;
        } finally {
          reader.close();
        }
      } catch {
        continue; // schema not created yet
      }
      if (seen >= 300) break;
    }
    expect(seen, `ingest never got going; stderr: ${stderr}`).toBeGreaterThanOrEqual(300);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The index opens, is intact, and holds only whole stories.
    const raw = new Database(db);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    const stored = (raw.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n;
    expect(stored).toBeGreaterThanOrEqual(seen);
    expect(stored).toBeLessThan(STORIES);
    const expected = parseArticle(crane(0));
    const perStory = raw
      .prepare(
        `SELECT s.id,
           (SELECT count(*) FROM revisions r WHERE r.story_id = s.id) AS revisions,
           (SELECT count(*) FROM sentences x WHERE x.story_id = s.id) AS sentences,
           (SELECT count(DISTINCT quote_id) FROM quotes q WHERE q.story_id = s.id) AS quotes
         FROM stories s`,
      )
      .all() as { id: string; revisions: number; sentences: number; quotes: number }[];
    expect(perStory).toHaveLength(stored);
    expect(expected.sentences.length).toBeGreaterThan(0);
    expect(expected.quotes.length).toBeGreaterThan(0);
    const whole = perStory.filter((r) => r.revisions === 1 && r.sentences === expected.sentences.length && r.quotes === expected.quotes.length);
    expect(whole.length, JSON.stringify(perStory.find((r) => !whole.includes(r)))).toBe(stored);
    raw.close();

    // The bot's own open works too, and a second ingest stores the rest.
    const reopened = SqliteIndex.open(db);
    expect(await reopened.storyCount()).toBe(stored);
    await reopened.close();
    const second = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', folder], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    expect(second.stdout).toMatch(new RegExp(`${STORIES - stored} added, 0 updated, ${stored} unchanged, 0 failed`));
    expect(second.stdout).toContain(`${STORIES} stories in`);
    const after = new Database(db, { readonly: true });
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((after.prepare('SELECT count(*) AS n FROM stories').get() as { n: number }).n).toBe(STORIES);
    after.close();
  }, 240_000);
});

describe('SIGTERM while a command is in flight', () => {
  let fake: FakeSlack;
  let slowResponses: http.Server;
  const deliveries: { id: string; completed: boolean; body: string }[] = [];
  let requestArrived: () => void = () => undefined;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    // A response_url endpoint that takes 1.5 s to answer: the bot's reply is in flight meanwhile.
    slowResponses = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const rec = { id: req.url ?? '', completed: false, body };
        deliveries.push(rec);
        requestArrived();
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}', () => (rec.completed = !res.destroyed));
        }, 1500);
      });
    });
    await new Promise<void>((r) => slowResponses.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    await fake.stop();
    slowResponses.closeAllConnections();
    await new Promise<void>((r) => slowResponses.close(() => r()));
  });

  it('delivers the reply, closes the index and exits 0', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const db = path.join(dir, 'term.db');
    const configFile = path.join(dir, 'term.json');
    fs.writeFileSync(configFile, JSON.stringify({ database: { path: db } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: cleanEnv({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        SLACK_PORT: String(port),
        NEWSROOM_CONFIG: configFile,
        LOG_LEVEL: 'info',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let up = false;
    for (const end = Date.now() + 60_000; !up && Date.now() < end && child.exitCode === null; ) {
      up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (!up) await new Promise((r) => setTimeout(r, 100));
    }
    expect(up, `the bot did not come up; stderr: ${stderr}`).toBe(true);
    expect(fs.existsSync(`${db}-wal`)).toBe(true); // open in WAL mode

    const arrived = new Promise<void>((r) => (requestArrived = r));
    const responseUrl = `http://127.0.0.1:${(slowResponses.address() as net.AddressInfo).port}/response/term1`;
    const ack = await sendToApp(`http://127.0.0.1:${port}/slack/events`, slashCommandBody({ command: '/quotes', text: 'okafor', responseUrl }), 'application/x-www-form-urlencoded', SIGNING_SECRET);
    expect(ack.status).toBe(200);
    await arrived;
    const termAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // It waited for the reply (the endpoint answers 1.5 s after the request arrived), which was delivered whole.
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.completed).toBe(true);
    expect(JSON.parse(deliveries[0]!.body)).toHaveProperty('blocks');
    expect(Date.now() - termAt).toBeLessThan(15_000);
    expect(stderr).toContain('shutting down');
    expect(stderr).not.toMatch(/"level":(50|60)/);
    // Closed cleanly: the last connection's close checkpoints and removes the WAL file.
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
    const after = new Database(db, { readonly: true });
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
  }, 120_000);
});
