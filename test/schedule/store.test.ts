/**
 * The digest store on its own, over each backend (SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set): claims, skipped slots, leases and takeover, parts, finishing and
 * failing, config sync, and exact round trips of times. Then PostgreSQL only: races between
 * separate connections (one slot claimed by many clients at once, one channel's schedules
 * claimed at once, takeover, config sync at start-up) and migration 3 converting version 2 rows.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/index/types.js';
import { migratePg, PG_MIGRATIONS } from '../../src/index/pg-migrations.js';
import { PostgresIndex } from '../../src/index/postgres.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { digestStoreFor } from '../../src/schedule/index.js';
import { PostgresDigestStore } from '../../src/schedule/pg-store.js';
import type { ScheduleSpec } from '../../src/schedule/spec.js';
import type { ConfigSchedule, DigestStore, ScheduleRecord } from '../../src/schedule/store.js';
import { createTestDatabase } from '../index/backends.js';
import { DIGEST_BACKENDS, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from './backends.js';

const T0 = new Date('2025-05-05T07:00:00.000Z');
const at = (iso: string) => new Date(iso);
const MIN = 60_000;
const daily = (time: string, timeZone = 'UTC'): ScheduleSpec => ({ days: 'daily', time, timeZone });

describe.each(DIGEST_BACKENDS)('digest store on $title', ({ backend }) => {
  if (!backend) {
    it.skip(POSTGRES_SKIP_REASON, () => undefined);
    return;
  }
  const bk = backend;
  afterAll(() => bk.cleanup());

  let index: ArticleIndex;
  let store: DigestStore;
  let desk: ScheduleRecord;
  beforeEach(async () => {
    index = await (await bk.database()).open(new ManualClock(T0));
    store = digestStoreFor(index);
    desk = (await store.addSchedule('slack', 'C-DESK', daily('08:00'), 'chat', 'U0ADMIN', T0)).schedule;
  });
  afterEach(async () => {
    await index.close();
  });

  it('adds a schedule once per platform, channel and spec, and keeps its fields and creation time to the millisecond', async () => {
    const made = at('2025-05-05T07:00:00.123Z');
    const again = await store.addSchedule('slack', 'C-DESK', daily('08:00'), 'chat', 'U0OTHER', made);
    expect(again).toEqual({ schedule: desk, created: false });
    const other = await store.addSchedule('slack', 'C-DESK', daily('08:00', 'Europe/London'), 'chat', 'U0OTHER', made);
    expect(other.created).toBe(true);
    expect(other.schedule).toEqual({
      id: desk.id + 1,
      platform: 'slack',
      channelId: 'C-DESK',
      spec: { days: 'daily', time: '08:00', timeZone: 'Europe/London' },
      source: 'chat',
      createdBy: 'U0OTHER',
      createdAt: made,
    });
    expect((await store.channelSchedules('slack', 'C-DESK')).map((s) => s.id)).toEqual([desk.id, desk.id + 1]);
    expect(await store.channelSchedules('discord', 'C-DESK')).toEqual([]);
  });

  it('claims a slot once: the row, its lease and its period; the channel moves on to the slot', async () => {
    const due = at('2025-05-05T08:00:00Z');
    const now = at('2025-05-05T08:00:00.250Z');
    const row = await store.claim(desk, '2025-05-05', due, at('2025-05-04T08:00:00Z'), now, 'one', 2 * MIN);
    expect(row).toMatchObject({
      scheduleId: desk.id,
      slot: '2025-05-05',
      dueAt: due,
      platform: 'slack',
      channelId: 'C-DESK',
      status: 'posting',
      attempts: 1,
      partsPosted: 0,
      leaseOwner: 'one',
      leaseUntil: at('2025-05-05T08:02:00.250Z'),
      periodStart: at('2025-05-04T08:00:00Z'),
      periodEnd: due,
      claimedAt: now,
      messageRefs: [],
      finishedAt: null,
      lastError: null,
    });
    expect(await store.claim(desk, '2025-05-05', due, at('2025-05-04T08:00:00Z'), now, 'two', 2 * MIN)).toBeNull();
    expect(await store.lastDigestEnd('slack', 'C-DESK')).toEqual(due);
    expect(await store.lastDueAt(desk.id)).toEqual(due);
    // A second schedule of the same channel starts where the first one's digest ended.
    const evening = (await store.addSchedule('slack', 'C-DESK', daily('18:00'), 'chat', null, T0)).schedule;
    const later = await store.claim(evening, '2025-05-05', at('2025-05-05T18:00:00Z'), at('2025-05-05T07:00:00Z'), at('2025-05-05T18:00:00Z'), 'two', MIN);
    expect(later?.periodStart).toEqual(due);
    expect(await store.lastDigestEnd('slack', 'C-DESK')).toEqual(at('2025-05-05T18:00:00Z'));
    // An older slot claimed late never moves the channel back, and its period is never negative.
    const late = await store.claim(desk, '2025-05-04', at('2025-05-04T08:00:00Z'), at('2025-05-03T08:00:00Z'), at('2025-05-05T18:01:00Z'), 'one', MIN);
    expect(late).toMatchObject({ periodStart: at('2025-05-04T08:00:00Z'), periodEnd: at('2025-05-04T08:00:00Z') });
    expect(await store.lastDigestEnd('slack', 'C-DESK')).toEqual(at('2025-05-05T18:00:00Z'));
    expect((await store.outbox()).map((r) => [r.scheduleId, r.slot])).toEqual([
      [desk.id, '2025-05-04'],
      [desk.id, '2025-05-05'],
      [evening.id, '2025-05-05'],
    ]);
  });

  it('records a missed slot as skipped once, and a skipped slot is never claimed', async () => {
    const due = at('2025-05-05T08:00:00Z');
    expect(await store.recordSkipped(desk, '2025-05-05', due, at('2025-05-05T11:00:00Z'), 'missed: 180 min late')).toBe(true);
    expect(await store.recordSkipped(desk, '2025-05-05', due, at('2025-05-05T11:00:00Z'), 'missed again')).toBe(false);
    expect(await store.claim(desk, '2025-05-05', due, T0, at('2025-05-05T11:00:00Z'), 'one', MIN)).toBeNull();
    const [row] = await store.outbox(desk.id);
    expect(row).toMatchObject({ status: 'skipped', lastError: 'missed: 180 min late', leaseOwner: null, attempts: 0, finishedAt: at('2025-05-05T11:00:00Z') });
    // The channel's state did not move: the next digest covers the skipped slot's stories too.
    expect(await store.lastDigestEnd('slack', 'C-DESK')).toBeNull();
    // A reason longer than the limit is cut to 500 characters.
    expect(await store.recordSkipped(desk, '2025-05-06', at('2025-05-06T08:00:00Z'), T0, 'x'.repeat(2000))).toBe(true);
    expect((await store.outbox(desk.id))[1]!.lastError).toHaveLength(500);
  });

  it('parts, finish and fail belong to the lease owner; a posted digest sets the channel’s last post', async () => {
    const due = at('2025-05-05T08:00:00Z');
    const row = (await store.claim(desk, '2025-05-05', due, T0, due, 'one', 2 * MIN))!;
    expect(await store.markPart(row.id, 'two', 1, 'ts-1', due, 2 * MIN)).toBe(false);
    expect(await store.markPart(row.id, 'one', 1, '1746432000.000100', at('2025-05-05T08:00:05Z'), 2 * MIN)).toBe(true);
    expect(await store.markPart(row.id, 'one', 2, null, at('2025-05-05T08:00:06Z'), 2 * MIN)).toBe(true);
    expect(await store.markPart(row.id, 'one', 3, '1746432000.000300', at('2025-05-05T08:00:07Z'), 2 * MIN)).toBe(true);
    expect(await store.row(row.id)).toMatchObject({ partsPosted: 3, messageRefs: ['1746432000.000100', '1746432000.000300'], leaseUntil: at('2025-05-05T08:02:07Z') });
    expect(await store.finish(row.id, 'two', 'posted', at('2025-05-05T08:00:08Z'))).toBe(false);
    expect(await store.fail(row.id, 'two', 'nope', at('2025-05-05T08:00:08Z'), null)).toBe(false);
    expect(await store.lastPostedAt('slack', 'C-DESK')).toBeNull();
    expect(await store.finish(row.id, 'one', 'posted', at('2025-05-05T08:00:08Z'))).toBe(true);
    expect(await store.row(row.id)).toMatchObject({ status: 'posted', leaseOwner: null, leaseUntil: null, finishedAt: at('2025-05-05T08:00:08Z') });
    expect(await store.lastPostedAt('slack', 'C-DESK')).toEqual(at('2025-05-05T08:00:08Z'));
    // Done is done: neither the owner nor anyone else changes it again.
    expect(await store.finish(row.id, 'one', 'posted', at('2025-05-05T09:00:00Z'))).toBe(false);
    expect(await store.markPart(row.id, 'one', 4, 'x', at('2025-05-05T09:00:00Z'), MIN)).toBe(false);
    expect(await store.row(999_999)).toBeNull();
  });

  it('a failed post waits for its retry time, a crashed poster for its lease; takeover hands each row to one owner', async () => {
    const evening = (await store.addSchedule('slack', 'C-NIGHT', daily('18:00'), 'chat', null, T0)).schedule;
    const board = (await store.addSchedule('discord', '300000000000000003', daily('08:00'), 'chat', null, T0)).schedule;
    const due = at('2025-05-05T08:00:00Z');
    const failing = (await store.claim(desk, '2025-05-05', due, T0, due, 'one', 2 * MIN))!;
    const crashed = (await store.claim(evening, '2025-05-04', at('2025-05-04T18:00:00Z'), T0, due, 'gone', 2 * MIN))!;
    const discord = (await store.claim(board, '2025-05-05', due, T0, due, 'gone', 2 * MIN))!;
    expect(await store.fail(failing.id, 'one', 'service unavailable (503)', at('2025-05-05T08:00:01Z'), at('2025-05-05T08:00:31Z'))).toBe(true);
    expect(await store.row(failing.id)).toMatchObject({ status: 'retry', nextAttemptAt: at('2025-05-05T08:00:31Z'), leaseOwner: null, finishedAt: null });
    expect(await store.nextOpenAt(['slack'])).toEqual(at('2025-05-05T08:00:31Z'));
    expect(await store.nextOpenAt(['discord'])).toEqual(at('2025-05-05T08:02:00Z'));
    expect(await store.nextOpenAt([])).toBeNull();

    expect(await store.takeOver(['slack', 'discord'], at('2025-05-05T08:00:30Z'), 'two', MIN)).toEqual([]);
    const first = await store.takeOver(['slack'], at('2025-05-05T08:00:31Z'), 'two', MIN);
    expect(first.map((r) => [r.id, r.status, r.attempts, r.leaseOwner, r.nextAttemptAt])).toEqual([[failing.id, 'posting', 2, 'two', null]]);
    expect(first[0]!.leaseUntil).toEqual(at('2025-05-05T08:01:31Z'));
    // The crashed claims' leases run out at 08:02; only the platforms asked for are taken, oldest slot first.
    const second = await store.takeOver(['slack'], at('2025-05-05T08:02:00Z'), 'three', MIN);
    expect(second.map((r) => r.id)).toEqual([crashed.id, failing.id]);
    expect((await store.row(discord.id))!.leaseOwner).toBe('gone');
    // The taken-over poster lost the row: its late result changes nothing.
    expect(await store.finish(failing.id, 'two', 'posted', at('2025-05-05T08:02:01Z'))).toBe(false);
    expect(await store.fail(failing.id, 'three', 'x'.repeat(900), at('2025-05-05T08:02:02Z'), null)).toBe(true);
    expect(await store.row(failing.id)).toMatchObject({ status: 'failed', attempts: 3, finishedAt: at('2025-05-05T08:02:02Z') });
    expect((await store.row(failing.id))!.lastError).toHaveLength(500);
    expect(await store.takeOver(['slack'], at('2025-05-06T00:00:00Z'), 'four', MIN, 100)).toMatchObject([{ id: crashed.id, attempts: 3 }]);
  });

  it('removing a chat schedule drops its pending retry; takeover ignores rows of removed schedules', async () => {
    const due = at('2025-05-05T08:00:00Z');
    const row = (await store.claim(desk, '2025-05-05', due, T0, due, 'one', MIN))!;
    await store.fail(row.id, 'one', 'timeout', due, at('2025-05-05T08:01:00Z'));
    await store.syncConfig([{ platform: 'slack', channelId: 'C-DESK', spec: daily('10:00') }], T0);
    const res = await store.removeSchedules('slack', 'C-DESK', null, at('2025-05-05T08:00:30Z'));
    expect(res.removed.map((s) => s.id)).toEqual([desk.id]);
    expect(res.fromConfig.map((s) => s.spec.time)).toEqual(['10:00']);
    expect(await store.row(row.id)).toMatchObject({ status: 'skipped', lastError: 'schedule removed', finishedAt: at('2025-05-05T08:00:30Z') });
    expect(await store.takeOver(['slack'], at('2025-05-05T09:00:00Z'), 'two', MIN)).toEqual([]);
    expect((await store.activeSchedules()).map((s) => [s.source, s.spec.time])).toEqual([['config', '10:00']]);
    // Only the named schedule goes when an id is given; an unknown id removes nothing.
    expect(await store.removeSchedules('slack', 'C-DESK', 12345, T0)).toEqual({ removed: [], fromConfig: [] });
  });

  it('syncs the config file: adds, adopts a chat schedule with the same spec, ends the ones no longer listed; idempotent', async () => {
    const wanted: ConfigSchedule[] = [
      { platform: 'slack', channelId: 'C-DESK', spec: daily('08:00') },
      { platform: 'terminal', channelId: 'desk-screen', spec: { days: 'weekdays', time: '17:30', timeZone: 'Europe/London' } },
    ];
    expect(await store.syncConfig(wanted, T0)).toEqual({ added: 1, removed: 0 });
    expect(await store.syncConfig(wanted, T0)).toEqual({ added: 0, removed: 0 });
    expect((await store.activeSchedules()).map((s) => [s.id, s.platform, s.source])).toEqual([
      [desk.id, 'slack', 'config'],
      [desk.id + 1, 'terminal', 'config'],
    ]);
    expect(await store.syncConfig(wanted.slice(1), at('2025-05-06T00:00:00Z'))).toEqual({ added: 0, removed: 1 });
    expect((await store.activeSchedules()).map((s) => s.platform)).toEqual(['terminal']);
    // Back in the config: a new schedule (a change is a new row), created now.
    const back = await store.syncConfig(wanted, at('2025-05-07T00:00:00Z'));
    expect(back).toEqual({ added: 1, removed: 0 });
    expect((await store.activeSchedules()).map((s) => [s.id, s.createdAt.toISOString()])).toEqual([
      [desk.id + 1, T0.toISOString()],
      [desk.id + 2, '2025-05-07T00:00:00.000Z'],
    ]);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('PostgreSQL digest store under concurrency', () => {
  const drops: (() => Promise<void>)[] = [];
  const pools: pg.Pool[] = [];
  afterAll(async () => {
    for (const p of pools.splice(0)) await p.end().catch(() => undefined);
    for (const d of drops.splice(0)) await d();
  });

  /** A fresh, migrated database and `n` stores, each on its own single-connection pool (a separate client), connected. */
  async function clients(n: number): Promise<{ url: string; stores: PostgresDigestStore[] }> {
    const db = await createTestDatabase(TEST_DATABASE_URL!);
    drops.push(db.drop);
    await (await PostgresIndex.open(db.url)).close();
    const stores: PostgresDigestStore[] = [];
    for (let i = 0; i < n; i++) {
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      pool.on('error', () => undefined);
      pools.push(pool);
      await pool.query('SELECT 1'); // connected before the race starts
      stores.push(new PostgresDigestStore(pool));
    }
    return { url: db.url, stores };
  }

  it('24 clients claiming one slot at the same moment: exactly one wins, one row, one period', async () => {
    const { stores } = await clients(24);
    const schedule = (await stores[0]!.addSchedule('slack', 'C-DESK', daily('08:00'), 'config', null, T0)).schedule;
    const due = at('2025-05-05T08:00:00Z');
    for (let round = 0; round < 5; round++) {
      const slot = `2025-05-0${5 + round}`;
      const dueAt = new Date(due.getTime() + round * 24 * 3600_000);
      const claims = await Promise.all(stores.map((s, i) => s.claim(schedule, slot, dueAt, T0, dueAt, `client-${i}`, MIN)));
      const winners = claims.filter((c) => c !== null);
      expect(winners, `round ${round}`).toHaveLength(1);
      const rows = (await stores[0]!.outbox(schedule.id)).filter((r) => r.slot === slot);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.leaseOwner).toBe(winners[0]!.leaseOwner);
      expect(rows[0]!.periodEnd).toEqual(dueAt);
    }
    expect(await stores[5]!.lastDigestEnd('slack', 'C-DESK')).toEqual(new Date(due.getTime() + 4 * 24 * 3600_000));
  });

  it('one channel’s eight schedules claimed at once by eight clients: the periods chain, only the first starts where yesterday’s digest ended', async () => {
    const { stores } = await clients(8);
    for (let round = 0; round < 4; round++) {
      const channel = `C-ROUND-${round}`;
      const schedules: ScheduleRecord[] = [];
      for (let i = 0; i < 8; i++) schedules.push((await stores[0]!.addSchedule('slack', channel, daily(`08:0${i}`), 'config', null, T0)).schedule);
      // Yesterday's digest: the channel's row exists, so nothing but the row lock orders today's claims.
      const yesterday = at('2025-05-04T08:00:00Z');
      await stores[0]!.claim(schedules[0]!, '2025-05-04', yesterday, T0, yesterday, 'earlier', MIN);
      const dues = schedules.map((_, i) => at(`2025-05-05T08:0${i}:00Z`));
      const rows = await Promise.all(stores.map((s, i) => s.claim(schedules[i]!, '2025-05-05', dues[i]!, T0, at('2025-05-05T08:10:00Z'), `client-${i}`, MIN)));
      expect(rows.every((r) => r !== null)).toBe(true);
      // Serialised on the channel's row: one claim read yesterday's end, every other one read a slot claimed before it.
      const starts = rows.map((r) => r!.periodStart!.getTime());
      expect(starts.filter((t) => t === yesterday.getTime()), `round ${round}`).toHaveLength(1);
      for (const t of starts.filter((x) => x !== yesterday.getTime())) expect(dues.map((d) => d.getTime())).toContain(t);
      expect(await stores[0]!.lastDigestEnd('slack', channel)).toEqual(dues[7]);
    }
  });

  it('six clients taking over 30 abandoned claims at once split them: every row taken exactly once', async () => {
    const { stores } = await clients(6);
    const due = at('2025-05-05T08:00:00Z');
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const s = (await stores[0]!.addSchedule('slack', `C-${i}`, daily('08:00'), 'config', null, T0)).schedule;
      ids.push((await stores[0]!.claim(s, '2025-05-05', due, T0, due, 'crashed', MIN))!.id);
    }
    const taken = await Promise.all(stores.map((s, i) => s.takeOver(['slack'], at('2025-05-05T08:05:00Z'), `client-${i}`, 2 * MIN, 100)));
    const all = taken.flat();
    expect(all.map((r) => r.id).sort((a, b) => a - b)).toEqual(ids);
    for (const [i, rows] of taken.entries()) for (const r of rows) expect(r).toMatchObject({ leaseOwner: `client-${i}`, attempts: 2, status: 'posting' });
    const after = await stores[0]!.outbox();
    expect(after.every((r) => r.attempts === 2 && r.leaseOwner !== 'crashed')).toBe(true);
    // Nothing is due again until the new leases run out.
    expect(await stores[1]!.takeOver(['slack'], at('2025-05-05T08:06:59Z'), 'late', MIN)).toEqual([]);
  });

  it('four instances syncing the same config file at start-up add each schedule once', async () => {
    const { stores } = await clients(4);
    const wanted: ConfigSchedule[] = Array.from({ length: 12 }, (_, i) => ({ platform: 'slack' as const, channelId: `C-${i}`, spec: daily('08:00') }));
    const results = await Promise.all(stores.map((s) => s.syncConfig(wanted, T0)));
    expect(results.reduce((n, r) => n + r.added, 0)).toBe(12);
    expect(await stores[0]!.activeSchedules()).toHaveLength(12);
  });

  it('migration 3 turns version 2’s ISO text rows into the same instants and message ids', async () => {
    const db = await createTestDatabase(TEST_DATABASE_URL!);
    drops.push(db.drop);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query('SET client_min_messages = warning');
      expect(await migratePg(c, PG_MIGRATIONS.filter((m) => m.version <= 2))).toEqual([1, 2]);
      await c.query(
        `INSERT INTO digest_schedules (platform, channel_id, days, time, time_zone, source, created_by, created_at, spec_key)
         VALUES ('slack', 'C-OLD', 'daily', '08:00', 'UTC', 'config', NULL, '2025-05-01T06:59:59.125Z', 'slack|C-OLD|daily|08:00|UTC')`,
      );
      await c.query(
        `INSERT INTO digest_outbox (schedule_id, slot, due_at, platform, channel_id, status, period_start, period_end, attempts, parts_posted, message_refs, claimed_at, finished_at)
         VALUES (1, '2025-05-02', '2025-05-02T08:00:00.000Z', 'slack', 'C-OLD', 'posted', '2025-05-01T08:00:00.000Z', '2025-05-02T08:00:00.000Z', 1, 2, '["1.1","1.2"]', '2025-05-02T08:00:00.500Z', '2025-05-02T08:00:01.000Z'),
                (1, '2025-05-03', '2025-05-03T08:00:00.000Z', 'slack', 'C-OLD', 'skipped', NULL, NULL, 0, 0, NULL, '2025-05-03T11:00:00.000Z', '2025-05-03T11:00:00.000Z')`,
      );
      await c.query(`INSERT INTO digest_channels (platform, channel_id, last_until, last_posted_at) VALUES ('slack', 'C-OLD', '2025-05-02T08:00:00.000Z', '2025-05-02T08:00:01.000Z')`);
      expect(await migratePg(c)).toEqual(PG_MIGRATIONS.filter((m) => m.version > 2).map((m) => m.version));
    } finally {
      await c.end();
    }
    const index = await PostgresIndex.open(db.url);
    try {
      const store = digestStoreFor(index);
      expect((await store.activeSchedules())[0]!.createdAt).toEqual(at('2025-05-01T06:59:59.125Z'));
      const [posted, skipped] = await store.outbox();
      expect(posted).toMatchObject({ dueAt: at('2025-05-02T08:00:00Z'), periodStart: at('2025-05-01T08:00:00Z'), messageRefs: ['1.1', '1.2'], partsPosted: 2 });
      expect(skipped).toMatchObject({ status: 'skipped', messageRefs: [], periodStart: null });
      expect(await store.lastDigestEnd('slack', 'C-OLD')).toEqual(at('2025-05-02T08:00:00Z'));
      expect(await store.lastPostedAt('slack', 'C-OLD')).toEqual(at('2025-05-02T08:00:01Z'));
      // A row being posted without a lease cannot be written any more.
      await expect(index.connection.query(`UPDATE digest_outbox SET status = 'posting' WHERE slot = '2025-05-03'`)).rejects.toThrow(/digest_outbox_posting_lease/);
    } finally {
      await index.close();
    }
  });
});
