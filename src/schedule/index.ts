/**
 * Scheduled digests, wired together: `createDigests` (before the core: the schedule store in the
 * index's own database, SQLite or PostgreSQL, and the service `/digest` uses, config-file
 * schedules synced into the database) and `startDigestScheduler` (after the adapters: the
 * scheduler with one sink per running platform). See `scheduler.ts` for how each slot is posted
 * exactly once, and `store.ts` / `pg-store.ts` for how the two databases keep that promise.
 */
import type { Platform } from '../core/types.js';
import { PostgresIndex } from '../index/postgres.js';
import { SqliteIndex } from '../index/sqlite.js';
import type { ArticleIndex } from '../index/types.js';
import { systemClock, type Clock } from './clock.js';
import type { DigestsConfig } from './config.js';
import { DigestScheduler, type SchedulerLogger } from './scheduler.js';
import { ScheduleService } from './service.js';
import { PostgresDigestStore } from './pg-store.js';
import { SqliteDigestStore, type DigestStore } from './store.js';
import type { DigestSink } from './sinks/types.js';

export { DigestScheduler, retryDelay, type SchedulerLogger, type SchedulerOptions } from './scheduler.js';
export { ScheduleService, MAX_SCHEDULES_PER_CHANNEL } from './service.js';
export { SqliteDigestStore, type DigestStore, type OutboxRecord, type OutboxStatus, type ScheduleRecord } from './store.js';
export { PostgresDigestStore } from './pg-store.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export { DigestPostError, type DigestSink, type DigestPostOptions } from './sinks/types.js';
export { DigestsSchema, type DigestsConfig } from './config.js';

/** The store and service of one process. */
export interface Digests {
  store: DigestStore;
  service: ScheduleService;
}

/**
 * The digest store in `index`'s database: `SqliteDigestStore` on the SQLite connection,
 * `PostgresDigestStore` on the PostgreSQL pool (tables from the index's migrations).
 * @throws Error for any other `ArticleIndex` (it has no database the digests could share)
 */
export function digestStoreFor(index: ArticleIndex): DigestStore {
  if (index instanceof SqliteIndex) return new SqliteDigestStore(index.connection);
  if (index instanceof PostgresIndex) return new PostgresDigestStore(index.connection);
  throw new Error('scheduled digests need the SQLite or PostgreSQL index');
}

/**
 * Opens the digest store in the index's database (either backend, see `digestStoreFor`) and syncs
 * the config file's schedules into it.
 * @returns the store, and the service to give `createCore({ digests })`
 * @throws Error when the index is neither backend; rejects when the database cannot be written
 */
export async function createDigests(
  index: ArticleIndex,
  config: DigestsConfig,
  options: { clock?: Clock; logger?: SchedulerLogger } = {},
): Promise<Digests> {
  const clock = options.clock ?? systemClock;
  const store = digestStoreFor(index);
  const synced = await store.syncConfig(
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

/**
 * Starts the scheduler over `digests` with `sinks` (one per platform this process posts to);
 * chat changes wake it. Resolves after the first pass (missed and interrupted digests recovered).
 */
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
    lateArrivalMs: config.lateArrivalHours * 3600_000,
  });
  digests.service.onChange = () => scheduler.wake();
  await scheduler.start();
  return scheduler;
}
