/**
 * The digest scheduler on a controlled clock, over each digest store (SQLite always, PostgreSQL
 * when TEST_DATABASE_URL is set): schedules in several IANA zones, daylight-saving days,
 * restarts (between claim and post, and after missing slots), two processes on one database, a
 * failing platform next to a working one, and empty periods. `ManualClock` moves only when the
 * test moves it; real time passes only while the database answers (and, bounded by
 * `HANG_BOUND_MS`, while a post hangs on purpose).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/index/types.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { digestStoreFor } from '../../src/schedule/index.js';
import { DigestScheduler, retryDelay } from '../../src/schedule/scheduler.js';
import { SqliteDigestStore, type DigestStore } from '../../src/schedule/store.js';
import { DIGEST_BACKENDS, POSTGRES_SKIP_REASON } from './backends.js';
import {
  addSchedule,
  ingest,
  makeScheduler,
  MemoryLogger,
  MemorySink,
  openIndex,
  replyText,
  runUntil,
  tempDb,
  type Posted,
} from './helpers.js';
import { BUDGET_STORY, embargoedStory, HARBOUR_STORY } from './stories.js';

const open: { index: ArticleIndex; schedulers: DigestScheduler[] }[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    for (const s of o.schedulers) await s.stop().catch(() => {});
    await o.index.close();
  }
});

describe.each(DIGEST_BACKENDS)('digest scheduler on $title', ({ backend }) => {
  if (!backend) {
    it.skip(POSTGRES_SKIP_REASON, () => undefined);
    return;
  }
  const bk = backend;
  afterAll(() => bk.cleanup());

  /** A fresh database, index, store and a started scheduler posting to a memory sink on `platform`. */
  async function setup(start: string, opts: { sinkPlatform?: 'slack' | 'discord' | 'terminal' } & Parameters<typeof makeScheduler>[3] = {}) {
    const clock = new ManualClock(start);
    const db = await bk.database();
    const index = await db.open(clock);
    const sink = new MemorySink(opts.sinkPlatform ?? 'slack', clock);
    const logger = new MemoryLogger();
    const { scheduler, store } = makeScheduler(index, clock, [sink], { logger, ...opts });
    open.push({ index, schedulers: [scheduler] });
    return { clock, db, index, sink, store, scheduler, logger };
  }

  /** `store`, except that `lastDueAt` always answers null: the view of a process that read the outbox before any claim. */
function staleStore(store: DigestStore): DigestStore {
  return new Proxy(store, {
    get: (target, key, receiver) => (key === 'lastDueAt' ? async () => null : Reflect.get(target, key, receiver)),
  });
}

const times = (posted: Posted[], channelId?: string) => posted.filter((p) => !channelId || p.channelId === channelId).map((p) => p.at);

  describe('daily and weekday schedules in two time zones', () => {
    it('posts at the local time of each zone: daily in London (BST), weekdays only in New York (EDT)', async () => {
      const t = await setup('2025-06-01T12:00:00Z'); // a Sunday
      await addSchedule(t.store, 'slack', 'C-LONDON', 'daily 08:00 Europe/London', t.clock);
      await addSchedule(t.store, 'slack', 'C-NEWYORK', 'weekdays 17:30 America/New_York', t.clock);
      await t.scheduler.start();
      await runUntil(t.clock, '2025-06-08T23:59:00Z', t.scheduler);
      expect(times(t.sink.posted, 'C-LONDON')).toEqual(
        ['02', '03', '04', '05', '06', '07', '08'].map((d) => `2025-06-${d}T07:00:00.000Z`),
      );
      // Monday 2 June to Friday 6 June; nothing on Saturday 7 or Sunday 8.
      expect(times(t.sink.posted, 'C-NEWYORK')).toEqual(['02', '03', '04', '05', '06'].map((d) => `2025-06-${d}T21:30:00.000Z`));
      expect((await t.store.outbox()).every((r) => r.status === 'posted' && r.attempts === 1)).toBe(true);
    });

    it('keeps local time across a change of offset: London 08:00 is 08:00 GMT after the October change', async () => {
      const t = await setup('2025-10-24T12:00:00Z');
      await addSchedule(t.store, 'slack', 'C-LONDON', 'daily 08:00 Europe/London', t.clock);
      await t.scheduler.start();
      await runUntil(t.clock, '2025-10-28T00:00:00Z', t.scheduler);
      expect(times(t.sink.posted)).toEqual([
        '2025-10-25T07:00:00.000Z',
        '2025-10-26T08:00:00.000Z',
        '2025-10-27T08:00:00.000Z',
      ]);
    });
  });

  describe('daylight-saving days', () => {
    async function run(spec: string, from: string, to: string) {
      const t = await setup(from);
      const s = await addSchedule(t.store, 'slack', 'C-DESK', spec, t.clock);
      await t.scheduler.start();
      await runUntil(t.clock, to, t.scheduler);
      return { posted: times(t.sink.posted), slots: (await t.store.outbox(s.id)).map((r) => r.slot) };
    }

    it('Europe/Berlin spring forward: a 02:30 job runs once, at 03:00, on 30 March', async () => {
      const r = await run('daily 02:30 Europe/Berlin', '2025-03-28T12:00:00Z', '2025-03-31T12:00:00Z');
      expect(r.posted).toEqual(['2025-03-29T01:30:00.000Z', '2025-03-30T01:00:00.000Z', '2025-03-31T00:30:00.000Z']);
      expect(r.slots).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']);
    });

    it('Europe/Berlin fall back: a 02:30 job runs once on 26 October, at the first 02:30 (CEST)', async () => {
      const r = await run('daily 02:30 Europe/Berlin', '2025-10-24T12:00:00Z', '2025-10-27T12:00:00Z');
      expect(r.posted).toEqual(['2025-10-25T00:30:00.000Z', '2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z']);
      expect(r.slots).toEqual(['2025-10-25', '2025-10-26', '2025-10-27']);
    });

    it('America/New_York fall back: a 01:30 job runs once on 2 November; spring forward: 02:30 runs once at 03:00', async () => {
      const fall = await run('daily 01:30 America/New_York', '2025-10-31T12:00:00Z', '2025-11-03T12:00:00Z');
      expect(fall.posted).toEqual(['2025-11-01T05:30:00.000Z', '2025-11-02T05:30:00.000Z', '2025-11-03T06:30:00.000Z']);
      const spring = await run('daily 02:30 America/New_York', '2025-03-07T12:00:00Z', '2025-03-10T12:00:00Z');
      expect(spring.posted).toEqual(['2025-03-08T07:30:00.000Z', '2025-03-09T07:00:00.000Z', '2025-03-10T06:30:00.000Z']);
    });

    it('America/Santiago spring forward at midnight (24:00 → 01:00 on 7 September): a midnight job still runs that date, at 01:00', async () => {
      const r = await run('daily 00:00 America/Santiago', '2025-09-05T12:00:00Z', '2025-09-09T12:00:00Z');
      expect(r.posted).toEqual([
        '2025-09-06T04:00:00.000Z',
        '2025-09-07T04:00:00.000Z', // 01:00 -03, the first minute of 7 September
        '2025-09-08T03:00:00.000Z',
        '2025-09-09T03:00:00.000Z',
      ]);
      expect(r.slots).toEqual(['2025-09-06', '2025-09-07', '2025-09-08', '2025-09-09']);
    });

    it('America/Santiago fall back at midnight (24:00 → 23:00 on 5 April): midnight runs once a date, 23:30 runs once on the repeated hour', async () => {
      const midnight = await run('daily 00:00 America/Santiago', '2025-04-04T12:00:00Z', '2025-04-07T12:00:00Z');
      expect(midnight.posted).toEqual(['2025-04-05T03:00:00.000Z', '2025-04-06T04:00:00.000Z', '2025-04-07T04:00:00.000Z']);
      expect(midnight.slots).toEqual(['2025-04-05', '2025-04-06', '2025-04-07']);
      const late = await run('daily 23:30 America/Santiago', '2025-04-04T12:00:00Z', '2025-04-07T12:00:00Z');
      // 23:30 on Saturday 5 April happens at 02:30Z (-03) and again at 03:30Z (-04): posted once, at the first.
      expect(late.posted).toEqual(['2025-04-05T02:30:00.000Z', '2025-04-06T02:30:00.000Z', '2025-04-07T03:30:00.000Z']);
      expect(late.slots).toEqual(['2025-04-04', '2025-04-05', '2025-04-06']);
    });
  });

  describe('restarts', () => {
    it('a restart between claim and post posts the digest once, after the crashed claim’s lease runs out', async () => {
      const db = await bk.database();
      // Process A claims the 08:00 slot, starts posting, and dies (its post never completes, its clock stops).
      const clockA = new ManualClock('2025-05-06T07:00:00Z');
      const indexA = await db.open(clockA);
      open.push({ index: indexA, schedulers: [] }); // A "dies": its scheduler is never stopped
      await ingest(indexA, [HARBOUR_STORY]);
      const sinkA = new MemorySink('slack', clockA);
      sinkA.behaviour.set('C-DESK', { hang: true });
      const a = makeScheduler(indexA, clockA, [sinkA], { leaseMs: 120_000 });
      const schedule = await addSchedule(a.store, 'slack', 'C-DESK', 'daily 08:00 UTC', clockA);
      await a.scheduler.start();
      await runUntil(clockA, '2025-05-06T08:00:00Z', a.scheduler);
      expect(sinkA.attempts).toHaveLength(1);
      expect(sinkA.posted).toHaveLength(0);
      const claimed = await a.store.outbox(schedule.id);
      expect(claimed).toMatchObject([{ status: 'posting', attempts: 1, leaseOwner: a.scheduler.instanceId }]);

      // Process B starts 30 s later on the same database: the lease still holds, so it waits…
      const clockB = new ManualClock('2025-05-06T08:00:30Z');
      const indexB = await db.open(clockB);
      const sinkB = new MemorySink('slack', clockB);
      const b = makeScheduler(indexB, clockB, [sinkB], { leaseMs: 120_000 });
      open.push({ index: indexB, schedulers: [b.scheduler] });
      await b.scheduler.start();
      await b.scheduler.idle();
      expect(sinkB.attempts).toHaveLength(0);
      // …and takes the digest over when the lease runs out (08:02), posting it once.
      await runUntil(clockB, '2025-05-06T09:00:00Z', b.scheduler);
      expect(sinkB.posted).toHaveLength(1);
      expect(sinkB.posted[0]!.at).toBe('2025-05-06T08:02:00.000Z');
      expect(replyText(sinkB.posted[0]!.reply)).toContain(HARBOUR_STORY.title);
      expect(await b.store.outbox(schedule.id)).toMatchObject([{ status: 'posted', attempts: 2, slot: '2025-05-06' }]);
      // The next day is posted once, by B, on time.
      await runUntil(clockB, '2025-05-07T09:00:00Z', b.scheduler);
      expect(times(sinkB.posted)).toEqual(['2025-05-06T08:02:00.000Z', '2025-05-07T08:00:00.000Z']);
    });

    it('a crash after the first of two messages: the restart posts only the second', async () => {
      const db = await bk.database();
      const clockA = new ManualClock('2025-05-06T07:00:00Z');
      const indexA = await db.open(clockA);
      open.push({ index: indexA, schedulers: [] }); // A "dies": its scheduler is never stopped
      const shared: Posted[] = [];
      const sinkA = new MemorySink('slack', clockA, shared);
      sinkA.behaviour.set('C-DESK', { parts: 2, hangAfterPart: 1 });
      const a = makeScheduler(indexA, clockA, [sinkA]);
      await addSchedule(a.store, 'slack', 'C-DESK', 'daily 08:00 UTC', clockA);
      await a.scheduler.start();
      await runUntil(clockA, '2025-05-06T08:00:00Z', a.scheduler);
      expect(shared.map((p) => p.part)).toEqual([1]);

      const clockB = new ManualClock('2025-05-06T08:05:00Z');
      const indexB = await db.open(clockB);
      const sinkB = new MemorySink('slack', clockB, shared);
      sinkB.behaviour.set('C-DESK', { parts: 2 });
      const b = makeScheduler(indexB, clockB, [sinkB]);
      open.push({ index: indexB, schedulers: [b.scheduler] });
      await b.scheduler.start();
      await b.scheduler.idle();
      expect(sinkB.attempts).toEqual([{ channelId: 'C-DESK', at: '2025-05-06T08:05:00.000Z', skipParts: 1 }]);
      expect(shared.map((p) => p.part)).toEqual([1, 2]);
      expect((await b.store.outbox())[0]).toMatchObject({ status: 'posted', partsPosted: 2, messageRefs: ['C-DESK-1', 'C-DESK-2'] });
    });

    async function runDayOneThenStop() {
      const db = await bk.database();
      const clock = new ManualClock('2025-05-05T07:00:00Z');
      const index = await db.open(clock);
      const sink = new MemorySink('slack', clock);
      const first = makeScheduler(index, clock, [sink], { graceMs: 2 * 3600_000 });
      const schedule = await addSchedule(first.store, 'slack', 'C-DESK', 'daily 08:00 UTC', clock);
      await first.scheduler.start();
      await runUntil(clock, '2025-05-05T09:00:00Z', first.scheduler);
      await first.scheduler.stop();
      expect(times(sink.posted)).toEqual(['2025-05-05T08:00:00.000Z']);
      // While the bot is down, a story comes in (ingested by another process, e.g. the CLI).
      await runUntil(clock, '2025-05-05T15:00:00Z');
      await ingest(index, [BUDGET_STORY]);
      return { db, clock, index, schedule };
    }

    it('a slot missed while down is posted at start-up when it is younger than the grace period', async () => {
      const { clock, index, schedule } = await runDayOneThenStop();
      await runUntil(clock, '2025-05-06T09:30:00Z'); // down through the 08:00 slot; 90 min late < 2 h grace
      const sink = new MemorySink('slack', clock);
      const again = makeScheduler(index, clock, [sink], { graceMs: 2 * 3600_000 });
      open.push({ index, schedulers: [again.scheduler] });
      await again.scheduler.start();
      await again.scheduler.idle();
      expect(times(sink.posted)).toEqual(['2025-05-06T09:30:00.000Z']);
      expect(replyText(sink.posted[0]!.reply)).toContain(BUDGET_STORY.title);
      const rows = await again.store.outbox(schedule.id);
      expect(rows.map((r) => [r.slot, r.status])).toEqual([
        ['2025-05-05', 'posted'],
        ['2025-05-06', 'posted'],
      ]);
      expect(rows[1]!.periodStart?.toISOString()).toBe('2025-05-05T08:00:00.000Z');
      expect(rows[1]!.periodEnd?.toISOString()).toBe('2025-05-06T08:00:00.000Z');
    });

    it('a slot missed by more than the grace period is recorded as skipped; its stories go into the next digest', async () => {
      const { clock, index, schedule } = await runDayOneThenStop();
      await runUntil(clock, '2025-05-06T10:30:00Z'); // 150 min late > 2 h grace
      const sink = new MemorySink('slack', clock);
      const logger = new MemoryLogger();
      const again = makeScheduler(index, clock, [sink], { graceMs: 2 * 3600_000, logger });
      open.push({ index, schedulers: [again.scheduler] });
      await again.scheduler.start();
      await again.scheduler.idle();
      expect(sink.posted).toHaveLength(0);
      expect((await again.store.outbox(schedule.id)).map((r) => [r.slot, r.status])).toEqual([
        ['2025-05-05', 'posted'],
        ['2025-05-06', 'skipped'],
      ]);
      expect((await again.store.outbox(schedule.id))[1]!.lastError).toBe('missed: 150 min late, grace 120 min');
      expect(logger.at('warn').map((l) => l.msg)).toEqual(['digest slot skipped (missed: 150 min late, grace 120 min)']);
      // Next morning's digest covers everything since the last one that was posted.
      await runUntil(clock, '2025-05-07T09:00:00Z', again.scheduler);
      expect(times(sink.posted)).toEqual(['2025-05-07T08:00:00.000Z']);
      expect(replyText(sink.posted[0]!.reply)).toContain(BUDGET_STORY.title);
      expect((await again.store.outbox(schedule.id))[2]!.periodStart?.toISOString()).toBe('2025-05-05T08:00:00.000Z');
    });
  });

  describe('two scheduler instances sharing one database', () => {
    it('posts each slot once, whichever instance claims it', async () => {
      const db = await bk.database();
      const clock = new ManualClock('2025-05-04T12:00:00Z');
      const index1 = await db.open(clock);
      const index2 = await db.open(clock);
      const shared: Posted[] = [];
      const one = makeScheduler(index1, clock, [new MemorySink('slack', clock, shared), new MemorySink('discord', clock, shared)], { instanceId: 'one' });
      const two = makeScheduler(index2, clock, [new MemorySink('slack', clock, shared), new MemorySink('discord', clock, shared)], { instanceId: 'two' });
      open.push({ index: index1, schedulers: [one.scheduler] }, { index: index2, schedulers: [two.scheduler] });
      await addSchedule(one.store, 'slack', 'C-DESK', 'daily 08:00 Europe/Paris', clock);
      await addSchedule(two.store, 'discord', '300000000000000003', 'weekdays 18:00 Asia/Tokyo', clock);
      await Promise.all([one.scheduler.start(), two.scheduler.start()]);
      await runUntil(clock, '2025-05-11T12:00:00Z', one.scheduler, two.scheduler);
      const keys = shared.map((p) => `${p.platform}:${p.at}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(shared.filter((p) => p.platform === 'slack')).toHaveLength(7); // 5–11 May
      expect(shared.filter((p) => p.platform === 'discord')).toHaveLength(5); // Mon 5 – Fri 9 May
      const rows = await digestStoreFor(index1).outbox();
      expect(rows).toHaveLength(12);
      expect(rows.every((r) => r.status === 'posted' && r.attempts === 1)).toBe(true);
      // Both instances' timers fire at every slot; the second finds the slot claimed and posts nothing.
      expect(new Set(shared.map((p) => p.key)).size).toBe(12);
    });

    it('the outbox key, not the instance’s view, decides: an instance that read the outbox before the other claimed still posts nothing', async () => {
      const db = await bk.database();
      const clock = new ManualClock('2025-05-05T07:00:00Z');
      const index1 = await db.open(clock);
      const index2 = await db.open(clock);
      // A store that always reads the outbox as it was before any claim (as a process whose pass began first would).
      const stale = staleStore(digestStoreFor(index2));
      const shared: Posted[] = [];
      const one = makeScheduler(index1, clock, [new MemorySink('slack', clock, shared)], { instanceId: 'one' });
      const two = new DigestScheduler({ store: stale, index: index2, sinks: [new MemorySink('slack', clock, shared)], clock, instanceId: 'two', pollMs: 30 * 60_000 });
      open.push({ index: index1, schedulers: [one.scheduler] }, { index: index2, schedulers: [two] });
      await addSchedule(one.store, 'slack', 'C-DESK', 'daily 08:00 UTC', clock);
      await one.scheduler.start();
      await two.start();
      await runUntil(clock, '2025-05-07T09:00:00Z', one.scheduler, two);
      expect(shared.map((p) => p.at)).toEqual(['2025-05-05T08:00:00.000Z', '2025-05-06T08:00:00.000Z', '2025-05-07T08:00:00.000Z']);
      // Claims race on the same key: exactly one connection gets each slot.
      const schedule = (await one.store.activeSchedules())[0]!;
      const at = new Date('2025-05-08T08:00:00Z');
      const claims = await Promise.all([
        one.store.claim(schedule, '2025-05-08', at, at, clock.now(), 'one', 60_000),
        stale.claim(schedule, '2025-05-08', at, at, clock.now(), 'two', 60_000),
      ]);
      expect(claims.filter((c) => c !== null).map((c) => c!.slot)).toEqual(['2025-05-08']);
      expect(await one.store.outbox(schedule.id)).toHaveLength(4);
    });

    it('two instances starting together after a missed slot post it once', async () => {
      const db = await bk.database();
      const clock = new ManualClock('2025-05-05T07:00:00Z');
      const index1 = await db.open(clock);
      const store = digestStoreFor(index1);
      await addSchedule(store, 'slack', 'C-DESK', 'daily 08:00 UTC', clock);
      await runUntil(clock, '2025-05-05T08:20:00Z');
      const index2 = await db.open(clock);
      const shared: Posted[] = [];
      const one = makeScheduler(index1, clock, [new MemorySink('slack', clock, shared)], { instanceId: 'one' });
      const two = makeScheduler(index2, clock, [new MemorySink('slack', clock, shared)], { instanceId: 'two' });
      open.push({ index: index1, schedulers: [one.scheduler] }, { index: index2, schedulers: [two.scheduler] });
      await Promise.all([two.scheduler.start(), one.scheduler.start()]);
      await Promise.all([one.scheduler.idle(), two.scheduler.idle()]);
      expect(shared).toHaveLength(1);
      expect(await store.outbox()).toMatchObject([{ status: 'posted', leaseOwner: null }]);
    });
  });

  describe('posting failures', () => {
    it('a platform error on one channel is retried with backoff while another channel posts on time', async () => {
      const t = await setup('2025-05-06T07:00:00Z', { retryFirstMs: 30_000, retryMaxMs: 600_000 });
      await ingest(t.index, [HARBOUR_STORY]);
      await addSchedule(t.store, 'slack', 'C-GOOD', 'daily 08:00 UTC', t.clock);
      const bad = await addSchedule(t.store, 'slack', 'C-BAD', 'daily 08:00 UTC', t.clock);
      t.sink.behaviour.set('C-BAD', { failTimes: 2 });
      await t.scheduler.start();
      await runUntil(t.clock, '2025-05-06T08:00:00Z', t.scheduler);
      expect(times(t.sink.posted, 'C-GOOD')).toEqual(['2025-05-06T08:00:00.000Z']);
      expect(await t.store.outbox(bad.id)).toMatchObject([{ status: 'retry', attempts: 1, lastError: 'service unavailable (503)' }]);
      expect((await t.store.outbox(bad.id))[0]!.nextAttemptAt?.toISOString()).toBe('2025-05-06T08:00:30.000Z');
      await runUntil(t.clock, '2025-05-06T08:10:00Z', t.scheduler);
      // Attempts at 08:00:00, 08:00:30 (+30 s) and 08:01:30 (+60 s); the third succeeds.
      expect(t.sink.attempts.filter((a) => a.channelId === 'C-BAD').map((a) => a.at)).toEqual([
        '2025-05-06T08:00:00.000Z',
        '2025-05-06T08:00:30.000Z',
        '2025-05-06T08:01:30.000Z',
      ]);
      expect(times(t.sink.posted, 'C-BAD')).toEqual(['2025-05-06T08:01:30.000Z']);
      expect(await t.store.outbox(bad.id)).toMatchObject([{ status: 'posted', attempts: 3 }]);
      expect(t.logger.at('warn').map((l) => l.msg)).toEqual(['digest post failed; will retry', 'digest post failed; will retry']);
      expect(t.logger.at('warn').map((l) => (l.obj as { channel: string }).channel)).toEqual(['C-BAD', 'C-BAD']);
      // Both channels carry the same content.
      expect(replyText(t.sink.posted[1]!.reply)).toBe(replyText(t.sink.posted[0]!.reply));
    });

    it('a platform that hangs times out without holding up the other channel', async () => {
      const t = await setup('2025-05-06T07:00:00Z', { postTimeoutMs: 60_000, leaseMs: 180_000 });
      await addSchedule(t.store, 'slack', 'C-GOOD', 'daily 08:00 UTC', t.clock);
      const hung = await addSchedule(t.store, 'slack', 'C-HUNG', 'daily 08:00 UTC', t.clock);
      t.sink.behaviour.set('C-HUNG', { hang: true });
      await t.scheduler.start();
      await runUntil(t.clock, '2025-05-06T08:00:00Z', t.scheduler);
      expect(times(t.sink.posted, 'C-GOOD')).toEqual(['2025-05-06T08:00:00.000Z']);
      await runUntil(t.clock, '2025-05-06T08:01:00Z', t.scheduler);
      expect(await t.store.outbox(hung.id)).toMatchObject([{ status: 'retry', lastError: 'post took longer than 60000 ms' }]);
      t.sink.behaviour.set('C-HUNG', {});
      await runUntil(t.clock, '2025-05-06T08:02:00Z', t.scheduler);
      expect(times(t.sink.posted, 'C-HUNG')).toEqual(['2025-05-06T08:01:30.000Z']);
    });

    it('an error no retry can fix fails at once; a transient one gives up after maxAttempts', async () => {
      const t = await setup('2025-05-06T07:00:00Z', { maxAttempts: 3, retryFirstMs: 10_000 });
      const gone = await addSchedule(t.store, 'slack', 'C-GONE', 'daily 08:00 UTC', t.clock);
      const flaky = await addSchedule(t.store, 'slack', 'C-FLAKY', 'daily 08:00 UTC', t.clock);
      t.sink.behaviour.set('C-GONE', { failTimes: 100, permanent: true });
      t.sink.behaviour.set('C-FLAKY', { failTimes: 100 });
      await t.scheduler.start();
      await runUntil(t.clock, '2025-05-06T12:00:00Z', t.scheduler);
      expect(t.sink.attempts.filter((a) => a.channelId === 'C-GONE')).toHaveLength(1);
      expect(await t.store.outbox(gone.id)).toMatchObject([{ status: 'failed', attempts: 1, lastError: 'channel_not_found' }]);
      expect(t.sink.attempts.filter((a) => a.channelId === 'C-FLAKY').map((a) => a.at)).toEqual([
        '2025-05-06T08:00:00.000Z',
        '2025-05-06T08:00:10.000Z',
        '2025-05-06T08:00:30.000Z',
      ]);
      expect(await t.store.outbox(flaky.id)).toMatchObject([{ status: 'failed', attempts: 3 }]);
      expect(t.logger.at('error').map((l) => l.msg).sort()).toEqual([
        'digest could not be posted and will not be retried',
        'digest failed 3 times; giving up',
      ]);
      expect(t.sink.posted).toHaveLength(0);
    });

    it('retry delays double from the first and stop at the maximum', () => {
      expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n, 30_000, 600_000))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000]);
    });
  });

  describe('periods and content', () => {
    it('an empty period posts a "nothing new" digest, or records the slot as empty when so configured', async () => {
      const posting = await setup('2025-05-06T07:00:00Z', { postWhenEmpty: true });
      await addSchedule(posting.store, 'slack', 'C-DESK', 'daily 08:00 UTC', posting.clock);
      await posting.scheduler.start();
      await runUntil(posting.clock, '2025-05-06T09:00:00Z', posting.scheduler);
      expect(posting.sink.posted).toHaveLength(1);
      const reply = posting.sink.posted[0]!.reply;
      expect(reply.title).toBe('Digest: no new stories');
      expect(replyText(reply)).toContain('Nothing new came in between Mon 5 May, 08:00 – Tue 6 May, 08:00 (UTC).');

      const silent = await setup('2025-05-06T07:00:00Z', { postWhenEmpty: false });
      const s = await addSchedule(silent.store, 'slack', 'C-DESK', 'daily 08:00 UTC', silent.clock);
      await silent.scheduler.start();
      await runUntil(silent.clock, '2025-05-06T09:00:00Z', silent.scheduler);
      expect(silent.sink.posted).toHaveLength(0);
      expect(await silent.store.outbox(s.id)).toMatchObject([{ status: 'empty', attempts: 1 }]);
      // A story the next day: posted as usual.
      await runUntil(silent.clock, '2025-05-06T12:00:00Z', silent.scheduler);
      await ingest(silent.index, [HARBOUR_STORY]);
      await runUntil(silent.clock, '2025-05-07T09:00:00Z', silent.scheduler);
      expect(silent.sink.posted.map((p) => p.reply.title)).toEqual(['Digest: 1 new story']);
    });

    it('each digest holds the stories surfaced since the previous one; an embargoed story waits for its embargo to lift', async () => {
      const t = await setup('2025-05-05T07:00:00Z');
      await addSchedule(t.store, 'slack', 'C-DESK', 'daily 08:00 UTC', t.clock);
      await t.scheduler.start();
      await runUntil(t.clock, '2025-05-05T09:00:00Z', t.scheduler);
      await ingest(t.index, [HARBOUR_STORY, embargoedStory('2025-05-06T12:00:00Z')]);
      await runUntil(t.clock, '2025-05-06T09:00:00Z', t.scheduler);
      await ingest(t.index, [BUDGET_STORY]);
      await runUntil(t.clock, '2025-05-07T09:00:00Z', t.scheduler);
      const [first, second, third] = t.sink.posted.map((p) => replyText(p.reply));
      expect(first).toContain('Nothing new came in');
      expect(second).toContain(HARBOUR_STORY.title);
      expect(second).not.toContain('Freedonia');
      expect(second).not.toContain(BUDGET_STORY.title);
      expect(third).toContain(BUDGET_STORY.title);
      expect(third).toContain('Central bank of Freedonia to cut rates, embargoed');
      expect(third).not.toContain(HARBOUR_STORY.title);
    });
  });
});

describe('several bot processes on one database file', () => {
  it('four processes racing at the same instant over eight missed slots post each slot once', async () => {
    const { spawn } = await import('node:child_process');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const file = tempDb();
    const out = path.join(path.dirname(file), 'posted.txt');
    fs.writeFileSync(out, '');
    const index = openIndex(file, new ManualClock(Date.now()));
    const store = new SqliteDigestStore(index.connection);
    // Eight channels whose 1-minute-ago slot is due (inside the 2-hour grace), schedules made yesterday.
    const due = new Date(Date.now() - 60_000);
    const time = `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`;
    const yesterday = new Date(Date.now() - 24 * 3600_000 + 5 * 60_000);
    for (let i = 0; i < 8; i++) await store.addSchedule('slack', `C-${i}`, { days: 'daily', time, timeZone: 'UTC' }, 'config', null, yesterday);
    await index.close();
    const goAt = Date.now() + 4000;
    const script = path.join(import.meta.dirname, 'fixtures', 'instance.ts');
    const exits = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, file, String(goAt), out], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return new Promise<{ code: number | null; stderr: string }>((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
    });
    const results = await Promise.all(exits);
    expect(results.map((r) => r.code), results.map((r) => r.stderr).join('\n')).toEqual([0, 0, 0, 0]);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `C-${i}`));
    const check = openIndex(file, new ManualClock(Date.now()));
    expect((await new SqliteDigestStore(check.connection).outbox()).map((r) => r.status)).toEqual(Array(8).fill('posted'));
    await check.close();
  }, 60_000);
});
