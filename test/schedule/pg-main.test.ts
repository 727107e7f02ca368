/**
 * Acceptance (issue 8): two bot processes (`src/main.ts` under tsx, serve mode, each with its own
 * Slack HTTP port) share ONE PostgreSQL database (DATABASE_URL) and the same config file: four
 * Slack channels and one terminal screen get a daily digest whose slot fell due ten minutes
 * before start-up (inside the grace period). Both processes run the scheduler and race for every
 * slot; each slot reaches the fake Slack (or a stdout) exactly once, and the outbox holds one row
 * per slot. Yesterday's slot, older than the grace period, is recorded as skipped, once.
 *
 * So that the two first passes really overlap (one process usually starts a few hundred ms
 * before the other), the test holds an EXCLUSIVE lock on `digest_outbox` (reads still work,
 * writes wait) until both processes are waiting on it, then lets them go at the same moment.
 * Real clock, no waiting for a minute boundary. Skipped when TEST_DATABASE_URL is unset.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresIndex } from '../../src/index/postgres.js';
import { parseArticle } from '../../src/parse/index.js';
import { PostgresDigestStore } from '../../src/schedule/pg-store.js';
import type { OutboxRecord } from '../../src/schedule/store.js';
import { createTestDatabase } from '../index/backends.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.js';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from './backends.js';
import { HARBOUR_STORY } from './stories.js';
import { freePort, spawnBot } from '../support/bot-process.js';

const SLACK_CHANNELS = ['C0DESK', 'C0SPORTS', 'C0METRO', 'C0NIGHT'];
const SCREEN = 'desk-screen';

interface Bot {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/** JSON log lines of a bot's stderr (pino), unparsable lines skipped. */
function logLines(bot: Bot): Record<string, unknown>[] {
  return bot.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

describe.skipIf(!TEST_DATABASE_URL)('two bot processes on one PostgreSQL database', () => {
  let fake: FakeSlack;
  const bots: Bot[] = [];
  let drop: (() => Promise<void>) | undefined;
  let dir: string | undefined;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
  });
  afterAll(async () => {
    for (const b of bots) if (b.child.exitCode === null) b.child.kill('SIGKILL');
    await Promise.all(bots.map((b) => b.exited));
    await fake?.stop();
    await drop?.();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('post each digest slot exactly once between them, and both run the scheduler', async () => {
    const db = await createTestDatabase(TEST_DATABASE_URL!);
    drop = db.drop;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digest-pg-main-'));
    const due = new Date(Date.now() - 10 * 60_000);
    const time = `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`;
    const spec = { days: 'daily', time, timeZone: 'UTC' };
    const configFile = path.join(dir, 'newsroom.json');
    const schedules = [
      ...SLACK_CHANNELS.map((channel) => ({ platform: 'slack' as const, channel, ...spec })),
      { platform: 'terminal' as const, channel: SCREEN, ...spec },
    ];
    fs.writeFileSync(configFile, JSON.stringify({ examples: { ingestOnStart: false }, digests: { schedules, graceMinutes: 60 } }));

    // An earlier run made the schedules two days ago and stored a story an hour ago.
    const before = await PostgresIndex.open(db.url, { clock: () => new Date(Date.now() - 3600_000) });
    await before.upsert(HARBOUR_STORY, parseArticle(HARBOUR_STORY.text));
    await new PostgresDigestStore(before.connection).syncConfig(
      schedules.map((s) => ({ platform: s.platform, channelId: s.channel, spec })),
      new Date(Date.now() - 2 * 24 * 3600_000),
    );
    await before.close();

    // The gate: outbox writes wait until both processes are at their first one.
    const gate = new pg.Client({ connectionString: db.url });
    await gate.connect();
    await gate.query('BEGIN');
    await gate.query('LOCK TABLE digest_outbox IN EXCLUSIVE MODE');

    for (let i = 0; i < 2; i++) {
      const child = spawnBot({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        SLACK_PORT: String(await freePort()),
        NEWSROOM_CONFIG: configFile,
        DATABASE_URL: db.url,
        LOG_LEVEL: 'info',
      });
      const bot: Bot = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
      child.stdout!.on('data', (d: Buffer) => (bot.stdout += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (bot.stderr += d.toString()));
      bots.push(bot);
    }

    // Watched from another connection: inside the gate's transaction pg_stat_activity is a frozen snapshot.
    const watch = new pg.Client({ connectionString: db.url });
    await watch.connect();
    const waiting = async () =>
      Number(
        (await watch.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rows[0]!.n,
      );
    let atGate = 0;
    for (const end = Date.now() + 60_000; Date.now() < end && bots.every((b) => b.child.exitCode === null); ) {
      atGate = await waiting();
      if (atGate >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await gate.query('COMMIT');
    await gate.end();
    await watch.end();
    expect(atGate, bots.map((b, i) => `bot ${i} stderr:\n${b.stderr.slice(-3000)}`).join('\n')).toBe(2);

    // Done when both schedulers finished their first pass and every slot of today is settled
    // (posted), so that no late post can still come: a posted row is never taken over.
    const reader = await PostgresIndex.open(db.url, { maxConnections: 2 });
    const store = new PostgresDigestStore(reader.connection);
    let rows: OutboxRecord[] = [];
    const started = () => bots.every((b) => logLines(b).some((l) => l.msg === 'digest scheduler started'));
    const deadline = Date.now() + 60_000;
    for (;;) {
      rows = await store.outbox();
      const today = rows.filter((r) => r.status !== 'skipped');
      if (started() && today.length === schedules.length && today.every((r) => r.status === 'posted')) break;
      if (Date.now() > deadline || bots.some((b) => b.child.exitCode !== null)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const why = bots.map((b, i) => `bot ${i} stderr:\n${b.stderr.slice(-3000)}`).join('\n');
    expect(started(), why).toBe(true);
    await reader.close();

    // The outbox: per schedule, yesterday's slot skipped and today's posted, one row each.
    expect(rows).toHaveLength(2 * schedules.length);
    const bySchedule = new Map<number, OutboxRecord[]>();
    for (const r of rows) bySchedule.set(r.scheduleId, [...(bySchedule.get(r.scheduleId) ?? []), r]);
    expect(bySchedule.size).toBe(schedules.length);
    for (const list of bySchedule.values()) expect(list.map((r) => r.status), why).toEqual(['skipped', 'posted']);
    const posted = rows.filter((r) => r.status === 'posted');
    expect(posted.every((r) => r.attempts === 1 && r.dueAt.getTime() === posted[0]!.dueAt.getTime())).toBe(true);

    // Slack: exactly one chat.postMessage per channel, carrying the story.
    const posts = fake.of('chat.postMessage');
    expect(posts.map((p) => String(p.body.channel)).sort()).toEqual([...SLACK_CHANNELS].sort());
    for (const p of posts) expect(JSON.stringify(p.body.blocks)).toContain('Digest: 1 new story');
    // The terminal screen: one digest, on the stdout of whichever process claimed it.
    const header = `── digest for ${SCREEN} ──`;
    const screens = bots.map((b) => b.stdout.split(header).length - 1);
    expect(screens.reduce((a, b) => a + b, 0)).toBe(1);

    // Both processes ran the scheduler (distinct instance ids); between them they posted five digests.
    const instanceIds = bots.map((b) => logLines(b).find((l) => l.msg === 'digest scheduler started')?.instanceId);
    expect(new Set(instanceIds).size).toBe(2);
    const postedLogs = bots.map((b) => logLines(b).filter((l) => l.msg === 'digest posted').length);
    expect(postedLogs.reduce((a, b) => a + b, 0)).toBe(schedules.length);
    const skippedLogs = bots.map((b) => logLines(b).filter((l) => String(l.msg).startsWith('digest slot skipped')).length);
    expect(skippedLogs.reduce((a, b) => a + b, 0)).toBe(schedules.length);

    for (const b of bots) b.child.kill('SIGTERM');
    expect(await Promise.all(bots.map((b) => b.exited))).toEqual([0, 0]);
    for (const b of bots) expect(b.stderr, why).not.toMatch(/"level":(50|60)/);
    // Nothing more was posted while they shut down.
    expect(fake.of('chat.postMessage')).toHaveLength(SLACK_CHANNELS.length);
  }, 120_000);
});

if (!TEST_DATABASE_URL) {
  describe('two bot processes on one PostgreSQL database', () => {
    it.skip(POSTGRES_SKIP_REASON, () => undefined);
  });
}
