/**
 * Watches, wired together: `createWatches` (before the core: the store in the index's own
 * database, SQLite or PostgreSQL, and the service `/watch` uses) and `startWatchRunner` (after
 * the adapters: the runner with one sink per running platform, the digests' sinks).
 */
import { PostgresIndex } from '../index/postgres.js';
import { SqliteIndex } from '../index/sqlite.js';
import type { ArticleIndex } from '../index/types.js';
import { systemClock, type Clock } from '../schedule/clock.js';
import type { SchedulerLogger } from '../schedule/scheduler.js';
import type { DigestSink } from '../schedule/sinks/types.js';
import type { WatchesConfig } from './config.js';
import { PostgresWatchStore } from './pg-store.js';
import { WatchRunner } from './runner.js';
import { WatchService } from './service.js';
import { SqliteWatchStore, type WatchStore } from './store.js';

export { WatchRunner, surfacedAt, type WatchRunnerOptions } from './runner.js';
export { WatchService } from './service.js';
export { SqliteWatchStore, type WatchStore, type WatchRecord, type AlertRecord, type BurstPolicy } from './store.js';
export { PostgresWatchStore } from './pg-store.js';
export { WatchesSchema, type WatchesConfig } from './config.js';

/** The store and service of one process. */
export interface Watches {
  store: WatchStore;
  service: WatchService;
}

/**
 * The watch store in `index`'s database.
 * @throws Error for an index that is neither SQLite nor PostgreSQL
 */
export function watchStoreFor(index: ArticleIndex): WatchStore {
  if (index instanceof SqliteIndex) return new SqliteWatchStore(index.connection);
  if (index instanceof PostgresIndex) return new PostgresWatchStore(index.connection);
  throw new Error('watches need the SQLite or PostgreSQL index');
}

/** The store and the service to give `createCore({ watches })`. */
export function createWatches(index: ArticleIndex, options: { clock?: Clock } = {}): Watches {
  const store = watchStoreFor(index);
  return { store, service: new WatchService(store, options.clock ?? systemClock) };
}

/** Starts the runner over `watches` with `sinks`; a new watch wakes it. Resolves after the first pass. */
export async function startWatchRunner(
  watches: Watches,
  index: ArticleIndex,
  sinks: DigestSink[],
  config: WatchesConfig,
  options: { clock?: Clock; logger?: SchedulerLogger } = {},
): Promise<WatchRunner> {
  const runner = new WatchRunner({
    store: watches.store,
    index,
    sinks,
    pollMs: config.pollSeconds * 1000,
    burst: { limit: config.burstAlerts, windowMs: config.burstMinutes * 60_000, holdMs: config.holdMinutes * 60_000 },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  watches.service.onChange = () => runner.wake();
  await runner.start();
  return runner;
}
