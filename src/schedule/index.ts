/**
 * Scheduled digests, wired together: `createDigests` (before the core: the schedule store and
 * the service `/digest` uses, config-file schedules synced into the database) and
 * `startDigestScheduler` (after the adapters: the scheduler with one sink per running platform).
 * See `scheduler.ts` for how each slot is posted exactly once.
 */
import type Database from 'better-sqlite3';
import type { Platform } from '../core/types.js';
import type { ArticleIndex } from '../index/types.js';
import { systemClock, type Clock } from './clock.js';
import type { DigestsConfig } from './config.js';
import { DigestScheduler, type SchedulerLogger } from './scheduler.js';
import { ScheduleService } from './service.js';
import { DigestStore } from './store.js';
import type { DigestSink } from './sinks/types.js';

export { DigestScheduler, retryDelay, type SchedulerLogger, type SchedulerOptions } from './scheduler.js';
export { ScheduleService, MAX_SCHEDULES_PER_CHANNEL } from './service.js';
export { DigestStore, type OutboxRecord, type OutboxStatus, type ScheduleRecord } from './store.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export { DigestPostError, type DigestSink, type DigestPostOptions } from './sinks/types.js';
export { DigestsSchema, type DigestsConfig } from './config.js';

/** The store and service of one process. */
export interface Digests {
  store: DigestStore;
  service: ScheduleService;
}

/**
 * Opens the digest store on the index's connection and syncs the config file's schedules into it.
 * @returns the store, and the service to give `createCore({ digests })`
 */
export function createDigests(
  db: Database.Database,
  config: DigestsConfig,
  options: { clock?: Clock; logger?: SchedulerLogger } = {},
): Digests {
  const clock = options.clock ?? systemClock;
  const store = new DigestStore(db);
  const synced = store.syncConfig(
    config.schedules.map((s) => ({
      platform: s.platform as Platform,
      channelId: s.channel,
      spec: { days: s.days, time: s.time, timeZone: s.timeZone ?? config.defaultTimeZone },
    })),
    clock.now(),
  );
  if (synced.added || synced.removed) options.logger?.info(synced, 'digest schedules from the config file synced');
  const service = new ScheduleService(store, { defaultTimeZone: config.defaultTimeZone, clock });
  return { store, service };
}

/** Starts the scheduler over `digests` with `sinks`; chat changes wake it. */
export async function startDigestScheduler(
  digests: Digests,
  index: ArticleIndex,
  sinks: DigestSink[],
  config: DigestsConfig,
  options: { clock?: Clock; logger?: SchedulerLogger } = {},
): Promise<DigestScheduler> {
  const scheduler = new DigestScheduler({
    store: digests.store,
    index,
    sinks,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    graceMs: config.graceMinutes * 60_000,
    postWhenEmpty: config.postWhenEmpty,
    maxAttempts: config.maxAttempts,
    retryFirstMs: config.retryFirstSeconds * 1000,
    retryMaxMs: config.retryMaxMinutes * 60_000,
    limits: config.limits,
  });
  digests.service.onChange = () => scheduler.wake();
  await scheduler.start();
  return scheduler;
}
