/**
 * `npm start` in serve mode runs the digest scheduler: src/main.ts (a child process under tsx)
 * with the Slack adapter against the fake Slack and two config-file schedules, one for a Slack
 * channel and one for the terminal (stdout). The schedules already exist in the database from
 * an earlier run, and their slot fell due ten minutes before start-up (inside the grace period),
 * so the started bot posts both at once; yesterday's slot, older than the grace period, is
 * recorded as skipped. Real clock, no waiting for a minute boundary.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { SqliteDigestStore } from '../../src/schedule/store.js';
import { parseArticle } from '../../src/parse/index.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.js';
import { HARBOUR_STORY } from './stories.js';
import { freePort, spawnBot } from '../support/bot-process.js';

let fake: FakeSlack;
let child: ChildProcess | undefined;

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake?.stop();
});

it('posts a digest missed ten minutes ago to Slack and to the terminal at start-up, and stops on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-main-'));
  const dbPath = path.join(dir, 'index.db');
  const due = new Date(Date.now() - 10 * 60_000);
  const time = `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`;
  const spec = { days: 'daily', time, timeZone: 'UTC' };
  const configFile = path.join(dir, 'newsroom.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      examples: { ingestOnStart: false },
      digests: {
        schedules: [
          { platform: 'slack', channel: 'C0DESK', days: 'daily', time, timeZone: 'UTC' },
          { platform: 'terminal', channel: 'desk-screen', days: 'daily', time, timeZone: 'UTC' },
        ],
        graceMinutes: 60,
      },
    }),
  );
  // An earlier run made the schedules two days ago and stored a story an hour ago.
  const before = SqliteIndex.open(dbPath, { clock: () => new Date(Date.now() - 3600_000) });
  await before.upsert(HARBOUR_STORY, parseArticle(HARBOUR_STORY.text));
  await new SqliteDigestStore(before.connection).syncConfig(
    [
      { platform: 'slack', channelId: 'C0DESK', spec },
      { platform: 'terminal', channelId: 'desk-screen', spec },
    ],
    new Date(Date.now() - 2 * 24 * 3600_000),
  );
  await before.close();

  child = spawnBot({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_PORT: String(await freePort()),
    NEWSROOM_CONFIG: configFile,
    DATABASE_PATH: dbPath,
    LOG_LEVEL: 'warn',
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));

  const posted = await fake.waitFor(() => fake.of('chat.postMessage').length > 0, 40_000);
  expect(posted, `no digest reached Slack; stderr: ${stderr}`).toBe(true);
  const post = fake.of('chat.postMessage')[0]!;
  expect(post.body.channel).toBe('C0DESK');
  expect(JSON.stringify(post.body.blocks)).toContain('Digest: 1 new story');
  expect(JSON.stringify(post.body.blocks)).toContain(HARBOUR_STORY.title!);
  for (let i = 0; i < 100 && !stdout.includes('── digest for desk-screen ──'); i++) await new Promise((r) => setTimeout(r, 100));
  expect(stdout).toContain(`── digest for desk-screen ──\nDigest: 1 new story\n`);
  expect(stdout).toContain(HARBOUR_STORY.title!);

  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  // Yesterday's slot was older than the grace period: a warning, not an error.
  expect(stderr).not.toMatch(/"level":(50|60)/);
  expect(stderr).toContain('digest slot skipped');

  const after = SqliteIndex.open(dbPath);
  const rows = await new SqliteDigestStore(after.connection).outbox();
  await after.close();
  expect(rows.map((r) => [r.platform, r.status]).sort()).toEqual([
    ['slack', 'posted'],
    ['slack', 'skipped'],
    ['terminal', 'posted'],
    ['terminal', 'skipped'],
  ]);
  expect(fake.of('chat.postMessage')).toHaveLength(1);
  fs.rmSync(dir, { recursive: true, force: true });
}, 90_000);
