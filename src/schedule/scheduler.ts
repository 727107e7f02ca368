/**
 * The digest scheduler: wakes at each schedule's next run (croner, in the schedule's IANA zone),
 * claims the (schedule, slot) in the outbox, builds the digest from the index and hands it to
 * the platform's `DigestSink`. Exactly once, across restarts and across several bot processes:
 *
 * - A slot is posted only by the process whose outbox insert succeeded (`DigestStore.claim`).
 * - Each pass looks at every run since the schedule's last recorded slot (or its creation), so
 *   slots that fell due while the bot was down are found at start-up: those younger than the
 *   grace period are posted, older ones are recorded as `skipped`.
 * - A claimed digest that was never posted (the process died between claim and post) is taken
 *   over once its lease runs out, by any process, the restarted one included.
 * - A failed post is retried with exponential backoff (`retryFirstMs`, doubling, at most
 *   `retryMaxMs`) up to `maxAttempts`, then recorded as `failed`; errors a retry cannot fix fail
 *   at once. Every failure is logged. Each post runs on its own with a timeout, so a slow or
 *   failing platform never holds up another channel.
 *
 * Time comes from an injected `Clock` (`ManualClock` in tests), never from `Date.now()` directly.
 * The store is asynchronous (SQLite or PostgreSQL, see `store.ts`); a pass, including the
 * planning of the next wake-up, counts as under way until its last store call has returned.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { buildDigest, DEFAULT_LATE_ARRIVAL_MS, type DigestLimits } from '../core/digest.js';
import type { Platform } from '../core/types.js';
import type { ArticleIndex } from '../index/types.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { nextRun, previousRun, runsBetween, slotKey } from './spec.js';
import type { DigestStore, OutboxRecord, ScheduleRecord } from './store.js';
import { DigestPostError, type DigestSink } from './sinks/types.js';

/** The logging the scheduler does (a pino logger fits). */
export interface SchedulerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options of `DigestScheduler`. Durations are milliseconds. */
export interface SchedulerOptions {
  store: DigestStore;
  index: ArticleIndex;
  /** One sink per platform this process can post to; slots of other platforms are left to other processes. */
  sinks: DigestSink[];
  clock?: Clock;
  logger?: SchedulerLogger;
  /** A slot older than this when found (the bot was down) is skipped, not posted. Default 2 h. */
  graceMs?: number;
  /** Post a "nothing new" digest (true, default) or record the slot as `empty` without posting. */
  postWhenEmpty?: boolean;
  /** Attempts before a digest is recorded as failed. Default 8. */
  maxAttempts?: number;
  /** Wait before the first retry; doubles per attempt. Default 30 s. */
  retryFirstMs?: number;
  /** Longest wait between retries. Default 30 min. */
  retryMaxMs?: number;
  /** How long a claim protects a digest being posted from takeover. Default 2 min; keep it above `postTimeoutMs`. */
  leaseMs?: number;
  /** Longest one post may take before it counts as failed. Default 60 s. */
  postTimeoutMs?: number;
  /** Longest sleep between passes (picks up schedules added by other processes). Default 60 s. */
  pollMs?: number;
  /** Runs further back than this are not looked at (a bot down for months does not list every missed day). Default 31 days. */
  maxCatchUpMs?: number;
  limits?: Partial<DigestLimits>;
  /**
   * A story arriving in a digest's period that was published at most this long before the period
   * began is in it (it came too late for the previous digest); older ones are archive. Default
   * `DEFAULT_LATE_ARRIVAL_MS` (24 h). See `ArticleIndex.storiesSince`.
   */
  lateArrivalMs?: number;
  /** Name of this process in the outbox's lease column. Default `host:pid:random`. */
  instanceId?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Ms before retry number `attempt` (1 = the first retry): `first · 2^(attempt-1)`, at most `max`. */
export function retryDelay(attempt: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, Math.min(30, attempt - 1)));
}

class PostTimeout extends Error {
  override readonly name = 'PostTimeout';
}

class LostLease extends Error {
  override readonly name = 'LostLease';
}

/** Posts scheduled digests; see the module docstring. */
export class DigestScheduler {
  readonly instanceId: string;
  private readonly clock: Clock;
  private readonly sinks: Map<Platform, DigestSink>;
  private readonly o: Required<Omit<SchedulerOptions, 'clock' | 'logger' | 'sinks' | 'limits' | 'instanceId' | 'store' | 'index' | 'lateArrivalMs'>>;
  private readonly inflight = new Map<number, Promise<void>>();
  private timer: TimerHandle | null = null;
  private pass: Promise<void> | null = null;
  private again = false;
  private running = false;
  /** Next run of each schedule after a given start (`id|startMs` → ms): croner's zone arithmetic is the costly part of a pass. */
  private readonly nextAfter = new Map<string, number>();

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.sinks = new Map(options.sinks.map((s) => [s.platform, s]));
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.o = {
      graceMs: options.graceMs ?? 2 * HOUR,
      postWhenEmpty: options.postWhenEmpty ?? true,
      maxAttempts: Math.max(1, options.maxAttempts ?? 8),
      retryFirstMs: options.retryFirstMs ?? 30_000,
      retryMaxMs: options.retryMaxMs ?? 30 * MINUTE,
      leaseMs: options.leaseMs ?? 2 * MINUTE,
      postTimeoutMs: options.postTimeoutMs ?? MINUTE,
      pollMs: options.pollMs ?? MINUTE,
      maxCatchUpMs: options.maxCatchUpMs ?? 31 * 24 * HOUR,
    };
  }

  /** Platforms this process posts to. */
  get platforms(): Platform[] {
    return [...this.sinks.keys()];
  }

  /**
   * Runs a first pass at once (recovering missed and interrupted digests), then keeps waking for
   * each run. Logs `digest scheduler started` (info) with the instance id once the first pass is done.
   */
  async start(): Promise<void> {
    this.running = true;
    await this.tick();
    this.options.logger?.info({ instanceId: this.instanceId, platforms: this.platforms }, 'digest scheduler started');
  }

  /**
   * Stops waking; waits for posts already under way, at most `waitMs` of real time (default 10 s).
   * A post still under way then is left to its lease: a restarted process takes it over.
   */
  async stop(waitMs = 10_000): Promise<void> {
    this.running = false;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref?.();
    });
    await Promise.race([this.idle(), bound]);
    clearTimeout(timer);
  }

  /** Re-plans now (a schedule was added or removed). */
  wake(): void {
    if (this.running) void this.tick();
  }

  /** Resolves once no pass and no post is under way. */
  async idle(): Promise<void> {
    for (let i = 0; i < 1000 && (this.pass || this.inflight.size > 0); i++) {
      await Promise.allSettled([this.pass, ...this.inflight.values()]);
    }
  }

  /**
   * Runs one pass, or marks that another is needed when one is running; then sets the next
   * wake-up. The pass promise covers the planning too, so `idle()` never returns between a pass
   * and its timer. Never rejects: a failing pass or plan is logged and retried at the next wake-up.
   */
  private tick(): Promise<void> {
    if (this.pass) {
      this.again = true;
      return this.pass;
    }
    const pass = (async () => {
      let passAt = this.clock.now().getTime();
      try {
        for (let round = 0; ; round++) {
          this.again = false;
          passAt = this.clock.now().getTime();
          try {
            await this.runPass();
          } catch (err) {
            this.options.logger?.error({ err }, 'digest scheduler pass failed; retrying at the next wake-up');
          }
          if (this.again && round < 100) continue;
          await this.plan(passAt);
          if (!this.again || round >= 100) break;
        }
      } finally {
        this.pass = null;
      }
    })();
    this.pass = pass;
    return pass;
  }

  /**
   * One pass: records or claims every run that fell due since the schedule's last slot (oldest
   * first across schedules, so a channel's digests keep their order), then takes over retries and
   * abandoned claims. Posting is started, not awaited.
   */
  async runPass(): Promise<void> {
    const { store } = this.options;
    const now = this.clock.now();
    const platforms = this.platforms;
    const due: { schedule: ScheduleRecord; at: Date }[] = [];
    for (const schedule of await store.activeSchedules()) {
      if (!this.sinks.has(schedule.platform)) continue;
      const from = await this.startOf(schedule, now);
      if (this.firstRunAfter(schedule, from) > now.getTime()) continue;
      for (const at of runsBetween(schedule.spec, new Date(from), now)) due.push({ schedule, at });
    }
    due.sort((a, b) => a.at.getTime() - b.at.getTime() || a.schedule.id - b.schedule.id);
    for (const { schedule, at } of due) {
      const slot = slotKey(schedule.spec.timeZone, at);
      const late = now.getTime() - at.getTime();
      if (late > this.o.graceMs) {
        const reason = `missed: ${Math.round(late / MINUTE)} min late, grace ${Math.round(this.o.graceMs / MINUTE)} min`;
        if (await store.recordSkipped(schedule, slot, at, now, reason)) {
          this.options.logger?.warn({ scheduleId: schedule.id, slot, dueAt: at.toISOString(), channel: schedule.channelId, platform: schedule.platform }, `digest slot skipped (${reason})`);
        }
        continue;
      }
      const since = previousRun(schedule.spec, at) ?? new Date(at.getTime() - 24 * HOUR);
      const row = await store.claim(schedule, slot, at, since, now, this.instanceId, this.o.leaseMs);
      if (row) this.deliver(row, schedule);
    }
    const scheduleById = new Map((await store.activeSchedules()).map((s) => [s.id, s]));
    for (const row of await store.takeOver(platforms, now, this.instanceId, this.o.leaseMs)) {
      const schedule = scheduleById.get(row.scheduleId);
      if (schedule && !this.inflight.has(row.id)) this.deliver(row, schedule);
    }
  }

  /** Where to look for due runs of `schedule`: after its last recorded slot, its creation, and the catch-up horizon. */
  private async startOf(schedule: ScheduleRecord, now: Date): Promise<number> {
    const last = await this.options.store.lastDueAt(schedule.id);
    return Math.max(schedule.createdAt.getTime(), last?.getTime() ?? 0, now.getTime() - this.o.maxCatchUpMs);
  }

  /** The schedule's first run after `from` (ms; Infinity when none), cached. */
  private firstRunAfter(schedule: ScheduleRecord, from: number): number {
    const key = `${schedule.id}|${from}`;
    let t = this.nextAfter.get(key);
    if (t === undefined) {
      t = nextRun(schedule.spec, new Date(from))?.getTime() ?? Infinity;
      if (this.nextAfter.size > 10_000) this.nextAfter.clear();
      this.nextAfter.set(key, t);
    }
    return t;
  }

  /**
   * Sets the timer for the next run, retry or lease expiry, at most `pollMs` away. `passAt` (ms):
   * when the pass just run looked at the clock. A run after that is planned even when the clock
   * has passed it meanwhile (the timer then fires at once); a run the pass saw due but could not
   * record (its store call failed) waits for the schedule's following run or the poll.
   */
  private async plan(passAt: number): Promise<void> {
    if (!this.running) return;
    const now = this.clock.now().getTime();
    let next = now + this.o.pollMs;
    try {
      const at = new Date(now);
      for (const s of await this.options.store.activeSchedules()) {
        if (!this.sinks.has(s.platform)) continue;
        const cached = this.firstRunAfter(s, await this.startOf(s, at));
        next = Math.min(next, cached > passAt ? cached : (nextRun(s.spec, at)?.getTime() ?? Infinity));
      }
      const open = await this.options.store.nextOpenAt(this.platforms);
      if (open) next = Math.min(next, Math.max(open.getTime(), now + 1000));
    } catch (err) {
      this.options.logger?.error({ err }, 'digest scheduler could not read its schedules');
    }
    // Stopped while reading: no timer.
    if (!this.running) return;
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = this.clock.setTimer(() => void this.tick(), Math.max(0, next - now));
  }

  /** Starts posting one claimed row (tracked in `inflight`). */
  private deliver(row: OutboxRecord, schedule: ScheduleRecord): void {
    const p = this.post(row, schedule).finally(() => {
      this.inflight.delete(row.id);
    });
    this.inflight.set(row.id, p);
  }

  private async post(row: OutboxRecord, schedule: ScheduleRecord): Promise<void> {
    const { store, index, logger } = this.options;
    const log = { outboxId: row.id, scheduleId: row.scheduleId, slot: row.slot, platform: row.platform, channel: row.channelId, attempt: row.attempts };
    try {
      const sink = this.sinks.get(row.platform);
      if (!sink) throw new DigestPostError(`no ${row.platform} adapter in this process`, false);
      const period = { since: row.periodStart ?? new Date(row.dueAt.getTime() - 24 * HOUR), until: row.periodEnd ?? row.dueAt };
      const digest = await buildDigest(index, period, {
        limits: this.options.limits ?? {},
        timeZone: schedule.spec.timeZone,
        lateArrivalMs: this.options.lateArrivalMs ?? DEFAULT_LATE_ARRIVAL_MS,
      });
      if (digest.empty && !this.o.postWhenEmpty) {
        await store.finish(row.id, this.instanceId, 'empty', this.clock.now());
        logger?.info(log, 'digest slot had no new stories; not posted (postWhenEmpty is false)');
        return;
      }
      await this.withTimeout(
        sink.post(row.channelId, digest.reply, {
          skipParts: row.partsPosted,
          key: `digest-${row.id}`,
          onPart: async (part, ref) => {
            if (!(await store.markPart(row.id, this.instanceId, part, ref, this.clock.now(), this.o.leaseMs))) {
              throw new LostLease('another process took this digest over');
            }
          },
        }),
      );
      if (await store.finish(row.id, this.instanceId, 'posted', this.clock.now())) {
        logger?.info({ ...log, stories: digest.storyCount }, 'digest posted');
      }
    } catch (err) {
      const now = this.clock.now();
      if (err instanceof LostLease) {
        logger?.warn(log, 'digest was taken over by another process while posting; leaving it to that process');
        return;
      }
      const permanent = err instanceof DigestPostError && err.permanent;
      const message = err instanceof Error ? err.message : String(err);
      if (permanent || row.attempts >= this.o.maxAttempts) {
        await this.recordFailure(row.id, message, now, null, log);
        logger?.error({ ...log, err }, permanent ? 'digest could not be posted and will not be retried' : `digest failed ${row.attempts} times; giving up`);
      } else {
        const retryAt = new Date(now.getTime() + retryDelay(row.attempts, this.o.retryFirstMs, this.o.retryMaxMs));
        await this.recordFailure(row.id, message, now, retryAt, log);
        logger?.warn({ ...log, err, retryAt: retryAt.toISOString() }, 'digest post failed; will retry');
      }
      this.wake();
    }
  }

  /**
   * Records a failed attempt (see `DigestStore.fail`). When the database itself cannot be written,
   * logs that and leaves the row to its lease: once it runs out, a pass takes the row over.
   */
  private async recordFailure(id: number, message: string, now: Date, retryAt: Date | null, log: object): Promise<void> {
    try {
      await this.options.store.fail(id, this.instanceId, message, now, retryAt);
    } catch (err) {
      this.options.logger?.error({ ...log, err }, 'could not record the failed digest post; it is retried when its lease runs out');
    }
  }

  /** Rejects with `PostTimeout` when `p` takes longer than `postTimeoutMs` on the scheduler's clock. */
  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: TimerHandle | null = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimer(() => reject(new PostTimeout(`post took longer than ${this.o.postTimeoutMs} ms`)), this.o.postTimeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => {
      if (timer) this.clock.clearTimer(timer);
    });
  }
}
