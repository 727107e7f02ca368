/**
 * Watches on both backends (PostgreSQL when TEST_DATABASE_URL is set), each test on a fresh
 * database shared by two bot instances (two indexes, two runners, one set of watch tables), on
 * a manual clock: each (watch, story) alerts once across instances and a restart; an embargoed
 * story alerts when its embargo lifts; a revision alerts again only for a new quote; a burst
 * becomes one message. Watches are made through the core's /watch, as a user would.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import type { ArticleIndex } from '../../src/index/types.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { createWatches, WatchRunner, type WatchStore } from '../../src/watch/index.js';
import { DIGEST_BACKENDS, type DigestDatabase } from '../schedule/backends.js';
import { ingest, MemorySink, replyText, type Posted } from '../schedule/helpers.js';
import { followUp, INTRO_STORY, UNRELATED_STORY } from './stories.js';

const START = '2026-06-01T08:00:00Z';
const MIN = 60_000;

interface Instance {
  index: ArticleIndex;
  store: WatchStore;
  runner: WatchRunner;
}

describe.each(DIGEST_BACKENDS)('watches on $title', ({ backend }) => {
  const open: ArticleIndex[] = [];
  afterEach(async () => {
    for (const i of open.splice(0)) await i.close();
  });
  afterAll(async () => {
    await backend?.cleanup();
  });
  const run = backend ? it : it.skip;

  /** An instance of the bot on `db`: its own index, store and runner, posting into `posted`. */
  async function instance(db: DigestDatabase, clock: ManualClock, posted: Posted[], name: string): Promise<Instance> {
    const index = await db.open(clock);
    open.push(index);
    const { store } = createWatches(index, { clock });
    const runner = new WatchRunner({ store, index, sinks: [new MemorySink('slack', clock, posted)], clock, instanceId: name, burst: { limit: 3, windowMs: 10 * MIN, holdMs: 5 * MIN } });
    return { index, store, runner };
  }

  /** A channel watch on Ingrid Solberg, made by an admin with /watch in Slack channel C0DESK. */
  async function watchSolberg(index: ArticleIndex, clock: ManualClock): Promise<void> {
    const core = createCore({ index, now: () => clock.now(), watches: createWatches(index, { clock }).service });
    const reply = await core.handle({ command: 'watch', args: 'solberg', platform: 'slack', userId: 'U0ADMIN', channelId: 'C0DESK', isAdmin: true });
    expect(reply.title).toBe('Watching Ingrid Solberg');
  }

  const both = (a: Instance, b: Instance) => Promise.all([a.runner.runPass(), b.runner.runPass()]);

  /** A fresh database with two instances on it, the intro story stored and Ingrid Solberg watched. */
  async function desk(): Promise<{ clock: ManualClock; posted: Posted[]; a: Instance; b: Instance }> {
    const db = await backend!.database();
    const clock = new ManualClock(START);
    const posted: Posted[] = [];
    const a = await instance(db, clock, posted, 'A');
    const b = await instance(db, clock, posted, 'B');
    await ingest(a.index, [INTRO_STORY]);
    await watchSolberg(a.index, clock);
    return { clock, posted, a, b };
  }

  run('each new story alerts once, with two instances racing and one restarted in between', async () => {
    const db = await backend!.database();
    const clock = new ManualClock(START);
    const posted: Posted[] = [];
    const a = await instance(db, clock, posted, 'A');
    const b = await instance(db, clock, posted, 'B');
    await ingest(a.index, [INTRO_STORY]);
    await clock.advance(MIN);
    await watchSolberg(a.index, clock);
    // Stories from before the watch never alert; a story not about her never does either.
    await both(a, b);
    expect(posted).toEqual([]);
    await clock.advance(4 * MIN);
    await ingest(a.index, [followUp(1), UNRELATED_STORY]);
    await both(a, b);
    await both(a, b);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.channelId).toBe('C0DESK');
    expect(posted[0]!.reply.title).toBe('Ingrid Solberg: quoted in a new story');
    expect(replyText(posted[0]!.reply)).toContain('The survey of berth 1 will be finished before the summer');
    expect(replyText(posted[0]!.reply)).toContain('Halden harbour update number 1');

    // Instance A restarts: a new index and runner on the same database alert nothing again.
    await a.index.close();
    const a2 = await instance(db, clock, posted, 'A-restarted');
    await a2.runner.runPass();
    expect(posted).toHaveLength(1);
    await clock.advance(3 * MIN);
    await ingest(b.index, [followUp(2, { quote: false })]);
    await both(a2, b);
    await both(a2, b);
    expect(posted).toHaveLength(2);
    expect(posted[1]!.reply.title).toBe('Ingrid Solberg: in a new story');
    expect(replyText(posted[1]!.reply)).toContain('attended the meeting about berth 2');
    const alerts = await b.store.alerts();
    expect(alerts.map((x) => x.status)).toEqual(['posted', 'posted']);
  });

  run('an embargoed story alerts when its embargo lifts, not before', async () => {
    const { clock, posted, a, b } = await desk();
    await clock.advance(MIN);
    await ingest(a.index, [followUp(7, { embargoUntil: '2026-06-01T09:00:00Z' })]);
    await clock.advance(10 * MIN);
    await both(a, b);
    expect(posted).toEqual([]);
    await clock.advanceTo('2026-06-01T09:02:00Z');
    await both(a, b);
    await both(a, b);
    expect(posted).toHaveLength(1);
    expect(replyText(posted[0]!.reply)).toContain('berth 7');
  });

  run('a revision alerts again only for a quote that is new', async () => {
    const { clock, posted, a } = await desk();
    await clock.advance(MIN);
    await ingest(a.index, [followUp(3)]);
    await a.runner.runPass();
    expect(posted).toHaveLength(1);
    // Revised without a new quote (a sentence added): nothing.
    await clock.advance(MIN);
    const r = await a.index.upsert(followUp(3, { extra: 'The meeting lasted two hours.' }), (await import('../../src/parse/index.js')).parseArticle(followUp(3, { extra: 'The meeting lasted two hours.' }).text));
    expect(r.status).toBe('updated');
    await a.runner.runPass();
    expect(posted).toHaveLength(1);
    // Revised with a new quote of hers: one alert, with the new quote only.
    await clock.advance(MIN);
    await ingest(a.index, [followUp(3, { extra: 'The meeting lasted two hours. “Dredging starts in May,” Solberg added.' })]);
    await a.runner.runPass();
    expect(posted).toHaveLength(2);
    expect(posted[1]!.reply.title).toBe('Ingrid Solberg: a new quote in an updated story');
    const quotes = posted[1]!.reply.blocks.filter((x) => x.type === 'quote');
    expect(quotes.map((q) => q.type === 'quote' && q.text)).toEqual(['Dredging starts in May']);
  });

  run('a burst becomes one message; alerts trickling in are held after the third', async () => {
    const { clock, posted, a, b } = await desk();
    await clock.advance(MIN);
    // Six stories at once: one message listing them, oldest first.
    await ingest(a.index, [10, 11, 12, 13, 14, 15].map((n) => followUp(n)));
    await both(a, b);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.reply.title).toBe('Ingrid Solberg: 6 new stories');
    const text = replyText(posted[0]!.reply);
    expect(text.indexOf('update number 10')).toBeLessThan(text.indexOf('update number 11'));
    expect(text).toContain('update number 15');

    // Then one a minute: the watch has had 1 alert in 10 minutes, so 2 more go at once; the rest wait 5 minutes together.
    for (const n of [20, 21, 22, 23]) {
      await clock.advance(MIN);
      await ingest(b.index, [followUp(n)]);
      await both(a, b);
    }
    expect(posted.map((p) => p.reply.title)).toEqual(['Ingrid Solberg: 6 new stories', 'Ingrid Solberg: quoted in a new story', 'Ingrid Solberg: quoted in a new story']);
    await clock.advance(6 * MIN);
    await both(a, b);
    expect(posted).toHaveLength(4);
    expect(posted[3]!.reply.title).toBe('Ingrid Solberg: 2 new stories');
    expect(replyText(posted[3]!.reply)).toMatch(/update number 22[\s\S]*update number 23/);
  });

  run('/watch list, /unwatch, words watches and user watches through the core', async () => {
    const db = await backend!.database();
    const clock = new ManualClock(START);
    const posted: Posted[] = [];
    const a = await instance(db, clock, posted, 'A');
    await ingest(a.index, [INTRO_STORY]);
    const core = createCore({ index: a.index, now: () => clock.now(), watches: createWatches(a.index, { clock }).service });
    const ask = (args: string, user = 'U0REPORTER', admin = false, command: 'watch' | 'unwatch' = 'watch') =>
      core.handle({ command, args, platform: 'slack', userId: user, channelId: 'C0DESK', isAdmin: admin });
    // A non-admin in a channel gets a watch of their own, by DM.
    const mine = await ask('berg');
    expect(mine.title).toBe('Watching Tomas Berg');
    expect(replyText(mine)).toContain('to you by direct message');
    expect(replyText(mine)).toContain('Channel watches are for admins');
    const words = await ask('"berth 30"', 'U0ADMIN', true);
    expect(words.title).toBe('Watching “berth 30”');
    expect((await ask('list')).blocks[0]).toEqual({ type: 'list', items: ['#1 Tomas Berg → you, by direct message', '#2 the words “berth 30” → this channel'] });
    // Someone else cannot stop my watch; a non-admin cannot stop the channel's.
    expect((await ask('1', 'U0OTHER', false, 'unwatch')).title).toBe('Nothing to stop');
    expect((await ask('2', 'U0REPORTER', false, 'unwatch')).title).toBe('Only admins can stop channel watches');
    await clock.advance(MIN);
    await ingest(a.index, [followUp(30), followUp(31)]);
    await a.runner.runPass();
    expect(posted.map((p) => [p.channelId, p.reply.title])).toEqual([['C0DESK', '“berth 30”: in a new story']]);
    expect((await ask('2', 'U0ADMIN', true, 'unwatch')).title).toBe('Watch stopped');
    expect((await a.store.watchesFor('slack', 'C0DESK', 'U0REPORTER')).map((w) => w.id)).toEqual([1]);
  });
});
