/**
 * `/digest` through the real core over the real schedule store (SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set): on-demand digests, schedule, list and unschedule (admins only), bad
 * input, and a chat schedule picked up by the scheduler.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import type { BotCore, CommandRequest, Reply } from '../../src/core/types.js';
import type { ArticleIndex } from '../../src/index/types.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { digestStoreFor } from '../../src/schedule/index.js';
import type { DigestScheduler } from '../../src/schedule/scheduler.js';
import { ScheduleService } from '../../src/schedule/service.js';
import type { DigestStore } from '../../src/schedule/store.js';
import { DIGEST_BACKENDS, POSTGRES_SKIP_REASON } from './backends.js';
import { ingest, makeScheduler, MemorySink, replyText, runUntil } from './helpers.js';
import { BUDGET_STORY, HARBOUR_STORY } from './stories.js';

describe.each(DIGEST_BACKENDS)('/digest on $title', ({ backend }) => {
  if (!backend) {
    it.skip(POSTGRES_SKIP_REASON, () => undefined);
    return;
  }
  const bk = backend;
  afterAll(() => bk.cleanup());

  let clock: ManualClock;
  let index: ArticleIndex;
  let store: DigestStore;
  let service: ScheduleService;
  let core: BotCore;
  let schedulers: DigestScheduler[];

  beforeEach(async () => {
    clock = new ManualClock('2025-05-05T12:00:00Z'); // Monday
    index = await (await bk.database()).open(clock);
    store = digestStoreFor(index);
    service = new ScheduleService(store, { clock, defaultTimeZone: 'Europe/London' });
    core = createCore({ index, now: () => clock.now(), digests: service, config: { digests: { defaultTimeZone: 'Europe/London' } } });
    schedulers = [];
  });

  afterEach(async () => {
    for (const s of schedulers) await s.stop();
    await index.close();
  });

  function ask(args: string, extra: Partial<CommandRequest> = {}): Promise<Reply> {
    return core.handle({ command: 'digest', args, platform: 'slack', userId: 'U0EDITOR', channelId: 'C0DESK', ...extra });
  }
  const admin = { userId: 'U0ADMIN', isAdmin: true };

  describe('/digest schedule, list, unschedule', () => {
    it('lets admins schedule a digest in the channel, and nobody else', async () => {
      const refused = await ask('schedule daily 08:00 Europe/London');
      expect(refused).toMatchObject({ status: 'error', title: 'Only admins can change digest schedules', visibility: 'ephemeral' });
      expect(await store.activeSchedules()).toEqual([]);

      const made = await ask('schedule daily 08:00 Europe/London', admin);
      expect(made.title).toBe('Digest scheduled');
      expect(replyText(made)).toContain('This channel will get a digest daily at 08:00 (Europe/London) (#1). The first one comes Tue 6 May, 08:00 (Europe/London).');
      expect(await store.activeSchedules()).toMatchObject([
        { platform: 'slack', channelId: 'C0DESK', spec: { days: 'daily', time: '08:00', timeZone: 'Europe/London' }, source: 'chat', createdBy: 'U0ADMIN' },
      ]);

      const again = await ask('schedule every day 8am europe/london', admin);
      expect(again.title).toBe('Already scheduled');
      expect(await store.activeSchedules()).toHaveLength(1);

      await ask('schedule weekdays 17:30 America/New_York', admin);
      const list = await ask('list'); // anyone may look
      expect(list.blocks).toEqual([
        {
          type: 'list',
          items: [
            '#1 daily at 08:00 (Europe/London) · next Tue 6 May, 08:00 · set by U0ADMIN',
            '#2 weekdays at 17:30 (America/New_York) · next Mon 5 May, 17:30 · set by U0ADMIN',
          ],
        },
      ]);
      // Another channel's list is its own.
      expect((await ask('list', { channelId: 'C0OTHER' })).title).toBe('No digest schedules here');
    });

    it('uses the default zone when none is given, and explains bad schedules', async () => {
      const made = await ask('schedule mon,thu 7:15', admin);
      expect(replyText(made)).toContain('Mon, Thu at 07:15 (Europe/London)');
      for (const [text, why] of [
        ['schedule daily 25:00 UTC', '“25:00” is not a time of day'],
        ['schedule sometimes 08:00 UTC', '“sometimes” is not a day'],
        ['schedule daily 08:00 Mars/Olympus_Mons', '“Mars/Olympus_Mons” is not an IANA time zone'],
        ['schedule daily', 'no time of day found'],
        ['schedule', 'Say when'],
      ] as const) {
        const r = await ask(text, admin);
        expect(r.status, text).toBe('error');
        expect(replyText(r), text).toContain(why);
      }
      expect(await store.activeSchedules()).toHaveLength(1);
    });

    it('unschedules chat schedules (admins only) and leaves config-file schedules in place', async () => {
      await ask('schedule daily 08:00 UTC', admin);
      await ask('schedule weekdays 18:00 UTC', admin);
      await store.syncConfig([{ platform: 'slack', channelId: 'C0DESK', spec: { days: 'weekends', time: '10:00', timeZone: 'UTC' } }], clock.now());
      expect((await ask('unschedule')).status).toBe('error');
      const one = await ask('unschedule #2', admin);
      expect(one.blocks[0]).toEqual({ type: 'list', items: ['Stopped #2 weekdays at 18:00 (UTC)'] });
      const rest = await ask('unschedule', admin);
      expect(rest.blocks).toEqual([
        { type: 'list', items: ['Stopped #1 daily at 08:00 (UTC)'] },
        { type: 'context', text: '#3 comes from the config file; remove it there (digests.schedules).' },
      ]);
      expect((await store.activeSchedules()).map((s) => s.id)).toEqual([3]);
      expect((await ask('unschedule 99', admin)).title).toBe('Nothing to stop');
      expect((await ask('unschedule soon', admin)).status).toBe('error');
    });

    it('refuses schedules outside a channel, and says so when the bot has no schedule store', async () => {
      const terminal = await core.handle({ command: 'digest', args: 'schedule daily 08:00 UTC', platform: 'terminal', userId: 'local', isAdmin: true });
      expect(terminal.title).toBe('Digest schedules belong to a channel');
      const plain = createCore({ index, now: () => clock.now() });
      const off = await plain.handle({ command: 'digest', args: 'list', platform: 'slack', userId: 'U0ADMIN', channelId: 'C0DESK', isAdmin: true });
      expect(off.title).toBe('Scheduling is off');
      const onDemand = await plain.handle({ command: 'digest', args: '', platform: 'slack', userId: 'U0EDITOR', channelId: 'C0DESK' });
      expect(onDemand).toMatchObject({ status: 'answer', title: 'Digest: no new stories', visibility: 'channel' });
    });
  });

  describe('/digest on demand', () => {
    it('covers the stories since the channel’s last scheduled digest, without moving the schedule', async () => {
      const sink = new MemorySink('slack', clock);
      const { scheduler } = makeScheduler(index, clock, [sink]);
      schedulers.push(scheduler);
      service.onChange = () => scheduler.wake();
      await scheduler.start();
      await ask('schedule daily 08:00 UTC', admin);
      await ingest(index, [HARBOUR_STORY]); // Monday 12:00
      await runUntil(clock, '2025-05-06T09:00:00Z', scheduler); // Tuesday 08:00 digest: the harbour story
      expect(sink.posted.map((p) => p.reply.title)).toEqual(['Digest: 1 new story']);
      await ingest(index, [BUDGET_STORY]); // Tuesday 09:00
      await runUntil(clock, '2025-05-06T10:00:00Z', scheduler);

      const now = await ask('');
      expect(now).toMatchObject({ status: 'answer', title: 'Digest since the last one: 1 new story', visibility: 'channel' });
      expect(replyText(now)).toContain(BUDGET_STORY.title);
      expect(replyText(now)).not.toContain(HARBOUR_STORY.title);
      expect(replyText(now)).toContain('Stories in Tue 6 May, 08:00 – Tue 6 May, 10:00 (UTC)');

      // The next scheduled digest still covers Tuesday 08:00 → Wednesday 08:00.
      await runUntil(clock, '2025-05-07T09:00:00Z', scheduler);
      expect(sink.posted).toHaveLength(2);
      expect(replyText(sink.posted[1]!.reply)).toContain(BUDGET_STORY.title);
      expect((await store.outbox())[1]!.periodStart?.toISOString()).toBe('2025-05-06T08:00:00.000Z');
      expect(sink.posted.map((p) => p.at)).toEqual(['2025-05-06T08:00:00.000Z', '2025-05-07T08:00:00.000Z']);
    });

    it('takes a fixed period: 24h, 3d, today (in the channel’s zone); rejects others', async () => {
      await ingest(index, [HARBOUR_STORY]); // Monday 12:00 UTC
      await runUntil(clock, '2025-05-07T11:00:00Z'); // Wednesday
      await ingest(index, [BUDGET_STORY]);
      expect((await ask('24h')).title).toBe('Digest: 1 new story');
      expect((await ask('3d')).title).toBe('Digest: 2 new stories');
      const today = await ask('today');
      expect(replyText(today)).toContain('Stories in Wed 7 May, 00:00 – Wed 7 May, 12:00 (Europe/London)');
      expect(replyText(today)).toContain(BUDGET_STORY.title);
      expect((await ask('0h')).status).toBe('error');
      expect((await ask('999d')).status).toBe('error');
      expect(replyText(await ask('tomorrow'))).toContain('“tomorrow” is not a digest period or subcommand.');
    });

    it('a schedule made in chat wakes the scheduler, which posts at the next run', async () => {
      const sink = new MemorySink('slack', clock);
      const { scheduler } = makeScheduler(index, clock, [sink], { pollMs: 6 * 3600_000 });
      schedulers.push(scheduler);
      service.onChange = () => scheduler.wake();
      await scheduler.start();
      await runUntil(clock, '2025-05-05T12:59:30Z', scheduler);
      await ask('schedule daily 13:00 UTC', admin);
      await runUntil(clock, '2025-05-05T13:05:00Z', scheduler);
      expect(sink.posted.map((p) => p.at)).toEqual(['2025-05-05T13:00:00.000Z']);
    });
  });
});
