/**
 * Ingestion while the bot serves: backfill the configured folders and pages once, then watch
 * the folders and poll the feeds until stopped. Every failure is logged and contained; the bot
 * keeps answering from what is already indexed.
 */
import type { SourcesConfig } from './config.js';
import { FeedSource } from './feed.js';
import { FolderSource, FolderWatcher } from './folder.js';
import { PageSource } from './page.js';
import { SourcePoller } from './poller.js';
import { formatSummary, mergeSummary, runIngest, type IngestStore, type IngestSummary } from './runner.js';
import { silentLogger, type IngestLogger, type Source } from './types.js';

/** What `startIngestion` runs, for stopping and for health checks. */
export interface IngestionHandle {
  /** Resolves when the start-up backfill of folders and pages is done. */
  backfill: Promise<IngestSummary>;
  pollers: SourcePoller[];
  watchers: FolderWatcher[];
  /** Stops every watcher and poller and waits for work in progress. */
  stop(): Promise<void>;
}

/**
 * Starts ingestion from the config's `sources`.
 * @param store where stories go (see `storeInIndex`, `stagedStoreInIndex`)
 * @param opts.watch set false to backfill only (no watchers or pollers)
 * @param opts.allow hosts that may be fetched although not public (config `fetch.allow`)
 * @param opts.onBackfillItem called after each story of the start-up backfill (progress)
 */
export function startIngestion(
  config: SourcesConfig,
  store: IngestStore,
  opts: {
    logger?: IngestLogger;
    watch?: boolean;
    allow?: readonly string[];
    /** Called after each story of the start-up backfill (for a progress line), in order. */
    onBackfillItem?: (ref: string) => void;
  } = {},
): IngestionHandle {
  const logger = opts.logger ?? silentLogger;
  const fetch = { timeoutMs: config.fetchTimeoutSeconds * 1000, maxBytes: Math.round(config.maxFetchMegabytes * 1024 * 1024), allow: opts.allow ?? [] };
  const watch = opts.watch ?? true;
  const pollers: SourcePoller[] = [];
  const watchers: FolderWatcher[] = [];

  const backfill = (async (): Promise<IngestSummary> => {
    const summary: IngestSummary = await runIngest([], store, { progress: false });
    // Watchers take their snapshot before the backfill, so a file written during it is not missed
    // (re-ingesting a file the backfill also read is a no-op).
    if (watch) {
      for (const dir of config.folders) {
        const w = new FolderWatcher(
          dir,
          async (items, file) => {
            const one: Source = { kind: 'file', label: file, items: async function* () { yield* items; } };
            const s = await runIngest(one, store, { progress: false, logger });
            mergeSummary(summary, s);
            for (const f of s.failed) logger.warn({ file, reason: f.reason }, 'story file not ingested');
            if (s.added + s.updated > 0) logger.info({ file, added: s.added, updated: s.updated }, 'story file ingested');
          },
          { intervalMs: config.watchIntervalSeconds * 1000, logger },
        );
        watchers.push(w);
        await w.start();
      }
    }
    const sources: Source[] = [...config.folders.map((f) => new FolderSource(f)), ...config.pages.map((u) => new PageSource(u, { fetch, logger }))];
    mergeSummary(summary, await runIngest(sources, store, { progress: false, logger, ...(opts.onBackfillItem ? { onItem: (ref: string) => opts.onBackfillItem!(ref) } : {}) }));
    if (sources.length > 0) logger.info({ summary: formatSummary(summary) }, 'start-up ingest done');
    return summary;
  })();

  if (watch) {
    for (const f of config.feeds) {
      const source = new FeedSource(f.url, { fullText: f.fullText ?? 'auto', fetch, logger });
      const p = new SourcePoller(source, store, { intervalMs: (f.intervalSeconds ?? config.feedIntervalSeconds) * 1000, logger });
      pollers.push(p);
      p.start();
    }
  }

  return {
    backfill,
    pollers,
    watchers,
    async stop() {
      await backfill.catch(() => undefined);
      await Promise.all([...pollers.map((p) => p.stop()), ...watchers.map((w) => w.stop())]);
    },
  };
}
