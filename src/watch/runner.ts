/**
 * The watch runner: every instance runs one. Each pass
 *
 * 1. matches the stories surfaced since the scan position (stored, revised, or out of embargo:
 *    `ArticleIndex.storiesSince`, which leaves stories still under embargo out, so they are matched
 *    when it lifts) against every active watch, and records what each watch found
 *    (`WatchStore.recordHits`: an item is recorded once, whichever instance matches first, and
 *    joins one alert); stories surfaced before (or as) a watch was made are not its business;
 * 2. claims the alerts that are due and posts them through the platform's sink (the digests'
 *    sinks: `src/schedule/sinks/`), a user's alerts by direct message.
 *
 * A story published (or first seen) more than `maxCatchUpMs` before it surfaced is not news (an
 * archive backfilled today alerts no one). The scan looks `overlapMs` behind its stored position, so a story another process stored with an
 * earlier ingestion time but committed after the last pass is still seen (the store keeps it from
 * alerting twice). Posting follows the digests' outbox rules: claim with a lease, retry with
 * doubling waits, take over an alert whose poster died. Time comes from an injected `Clock`.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Platform } from '../core/types.js';
import type { ArticleIndex, StoryRecord } from '../index/types.js';
import { systemClock, type Clock, type TimerHandle } from '../schedule/clock.js';
import { retryDelay, type SchedulerLogger } from '../schedule/scheduler.js';
import { DigestPostError, type DigestSink } from '../schedule/sinks/types.js';
import { alertReply, type AlertStory } from './alert.js';
import { matchStory } from './match.js';
import type { AlertRecord, BurstPolicy, WatchRecord, WatchStore } from './store.js';

/** Options of `WatchRunner`. Durations are milliseconds. */
export interface WatchRunnerOptions {
  store: WatchStore;
  index: ArticleIndex;
  /** One sink per platform this process posts to; other platforms' alerts are left to other processes. */
  sinks: DigestSink[];
  clock?: Clock;
  logger?: SchedulerLogger;
  /** Time between passes. Default 30 s. */
  pollMs?: number;
  /** How far behind its stored position a scan looks again (a batch committed after its ingestion time). Default 1 min. */
  overlapMs?: number;
  /** Oldest story a first (or long-delayed) scan looks at. Default 24 h. */
  maxCatchUpMs?: number;
  /** Bursts (see `BurstPolicy`). Default 3 alerts in 10 min, then held 5 min. */
  burst?: Partial<BurstPolicy>;
  maxAttempts?: number;
  retryFirstMs?: number;
  retryMaxMs?: number;
  /** How long a claim protects an alert being posted. Default 2 min. */
  leaseMs?: number;
  /** Name of this process in leases. Default `host:pid:random`. */
  instanceId?: string;
}

const MINUTE = 60_000;

/** The time a story was surfaced: stored (this revision), or its embargo lifted. */
export function surfacedAt(s: StoryRecord): number {
  return Math.max(Date.parse(s.ingestedAt), s.embargoUntil ? Date.parse(s.embargoUntil) : 0);
}

/** Matches and posts watch alerts; see the module docstring. */
export class WatchRunner {
  readonly instanceId: string;
  private readonly clock: Clock;
  private readonly sinks: Map<Platform, DigestSink>;
  private readonly burst: BurstPolicy;
  private readonly o: { pollMs: number; overlapMs: number; maxCatchUpMs: number; maxAttempts: number; retryFirstMs: number; retryMaxMs: number; leaseMs: number };
  private timer: TimerHandle | null = null;
  private pass: Promise<void> | null = null;
  private again = false;
  private running = false;

  constructor(private readonly options: WatchRunnerOptions) {
    this.clock = options.clock ?? systemClock;
    this.sinks = new Map(options.sinks.map((s) => [s.platform, s]));
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.burst = { limit: 3, windowMs: 10 * MINUTE, holdMs: 5 * MINUTE, ...options.burst };
    this.o = {
      pollMs: options.pollMs ?? 30_000,
      overlapMs: options.overlapMs ?? MINUTE,
      maxCatchUpMs: options.maxCatchUpMs ?? 24 * 60 * MINUTE,
      maxAttempts: Math.max(1, options.maxAttempts ?? 8),
      retryFirstMs: options.retryFirstMs ?? 30_000,
      retryMaxMs: options.retryMaxMs ?? 30 * MINUTE,
      leaseMs: options.leaseMs ?? 2 * MINUTE,
    };
  }

  /** Platforms this process posts to. */
  get platforms(): Platform[] {
    return [...this.sinks.keys()];
  }

  /** Runs a first pass at once, then one every `pollMs` (sooner when an alert falls due). */
  async start(): Promise<void> {
    this.running = true;
    await this.tick();
    this.options.logger?.info({ instanceId: this.instanceId, platforms: this.platforms }, 'watch runner started');
  }

  /** Stops; waits for a pass under way. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    await this.idle();
  }

  /** Runs a pass soon (a story was stored, a watch added). */
  wake(): void {
    if (this.running) void this.tick();
  }

  /** Resolves once no pass is under way. */
  async idle(): Promise<void> {
    for (let i = 0; i < 100 && this.pass; i++) await this.pass.catch(() => undefined);
  }

  private tick(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    const pass = (async () => {
      try {
        for (let round = 0; round < 10; round++) {
          this.again = false;
          try {
            await this.runPass();
          } catch (err) {
            this.options.logger?.error({ err }, 'watch pass failed; retrying at the next one');
          }
          if (!this.again) break;
        }
        await this.plan();
      } finally {
        this.pass = null;
      }
    })();
    this.pass = pass;
    return pass;
  }

  private async plan(): Promise<void> {
    if (!this.running) return;
    const now = this.clock.now().getTime();
    let next = now + this.o.pollMs;
    try {
      const due = await this.options.store.nextDueAt(this.platforms);
      if (due) next = Math.min(next, Math.max(due.getTime(), now + 1000));
    } catch (err) {
      this.options.logger?.error({ err }, 'watch runner could not read its alerts');
    }
    if (!this.running) return;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = this.clock.setTimer(() => void this.tick(), Math.max(0, next - now));
  }

  /** One pass: match newly surfaced stories, then post what is due. */
  async runPass(): Promise<void> {
    await this.scan();
    await this.deliverDue();
  }

  /** Matches the stories surfaced since the scan position against every active watch. */
  async scan(): Promise<{ stories: number; hits: number }> {
    const { store, index } = this.options;
    const now = this.clock.now();
    const watches = await store.activeWatches();
    const last = await store.scannedUntil();
    const floor = now.getTime() - this.o.maxCatchUpMs;
    const from = new Date(Math.max(floor, (last?.getTime() ?? now.getTime()) - this.o.overlapMs));
    let hits = 0;
    let stories = 0;
    if (watches.length > 0) {
      // Published (or first seen) in the window, or surfaced in it having been published at most a
      // day earlier (an embargo lifting, a late wire): an archive backfilled today is not news.
      const surfaced = await index.storiesSince(from, new Date(now.getTime() + 1), { lateArrivalMs: this.o.maxCatchUpMs });
      stories = surfaced.length;
      // Oldest first, so a burst's alert lists the stories in the order they came.
      for (const story of surfaced.reverse()) {
        const at = surfacedAt(story);
        for (const w of watches) {
          if (at <= w.createdAt.getTime()) continue;
          const m = matchStory({ kind: w.kind, keys: w.keys }, story);
          if (m.items.length) hits += await store.recordHits(w, story.id, m.items, now, this.burst);
        }
      }
    }
    await store.setScannedUntil(now);
    if (hits) this.options.logger?.info({ hits, stories }, 'watch hits recorded');
    return { stories, hits };
  }

  /** Claims the alerts due on this process's platforms and posts them, one after another. */
  async deliverDue(): Promise<number> {
    const { store } = this.options;
    const now = this.clock.now();
    const claimed = await store.claimDue(this.platforms, now, this.instanceId, this.o.leaseMs);
    if (claimed.length === 0) return 0;
    const watches = new Map((await store.activeWatches()).map((w) => [w.id, w]));
    for (const alert of claimed) {
      const watch = watches.get(alert.watchId);
      if (watch) await this.post(alert, watch);
    }
    return claimed.length;
  }

  private async post(alert: AlertRecord, watch: WatchRecord): Promise<void> {
    const { store, index, logger } = this.options;
    const log = { alertId: alert.id, watchId: watch.id, platform: watch.platform, scope: watch.scope, attempt: alert.attempts };
    try {
      const sink = this.sinks.get(watch.platform);
      if (!sink) throw new DigestPostError(`no ${watch.platform} adapter in this process`, false);
      const byStory = new Map<string, string[]>();
      for (const h of await store.alertHits(alert.id)) byStory.set(h.storyId, [...(byStory.get(h.storyId) ?? []), h.item]);
      const stories: AlertStory[] = [];
      for (const [id, items] of byStory) {
        const story = await index.getStory(id);
        if (story) stories.push({ story, items });
      }
      stories.sort((a, b) => surfacedAt(a.story) - surfacedAt(b.story));
      if (stories.length === 0) {
        await store.finish(alert.id, this.instanceId, this.clock.now());
        return;
      }
      let channel = watch.target;
      if (watch.scope === 'user') {
        if (!sink.openDirect) throw new DigestPostError(`${watch.platform} cannot send direct messages`, true);
        channel = await sink.openDirect(watch.target);
      }
      await sink.post(channel, alertReply(watch, stories), {
        skipParts: alert.partsPosted,
        key: `watch-${alert.id}`,
        onPart: async (part, ref) => {
          if (!(await store.markPart(alert.id, this.instanceId, part, ref, this.clock.now(), this.o.leaseMs))) throw new Error('another process took this alert over');
        },
      });
      if (await store.finish(alert.id, this.instanceId, this.clock.now())) logger?.info({ ...log, stories: stories.length }, 'watch alert posted');
    } catch (err) {
      const now = this.clock.now();
      const permanent = err instanceof DigestPostError && err.permanent;
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = permanent || alert.attempts >= this.o.maxAttempts ? null : new Date(now.getTime() + retryDelay(alert.attempts, this.o.retryFirstMs, this.o.retryMaxMs));
      try {
        await store.fail(alert.id, this.instanceId, message, now, retryAt);
      } catch (e) {
        logger?.error({ ...log, err: e }, 'could not record the failed alert; it is retried when its lease runs out');
      }
      if (retryAt) logger?.warn({ ...log, err, retryAt: retryAt.toISOString() }, 'watch alert post failed; will retry');
      else logger?.error({ ...log, err }, 'watch alert could not be posted; giving up');
    }
  }
}
