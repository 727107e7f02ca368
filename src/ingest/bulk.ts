/**
 * Bulk ingest of stories already in memory (a benchmark's synthetic archive, an importer):
 * `ingestStories` runs them through the same path as every other source — `runIngest` with a
 * `stagedStoreInIndex`, parsing in a `ParsePool` when there is more than one core — and returns
 * the run's `IngestSummary`.
 */
import type { ArticleIndex, ArticleInput } from '../index/types.js';
import { createParsePool, resolveParseWorkers, type ParsePool } from './parse-pool.js';
import { runIngest, type IngestSummary, type ProgressStream, type RunOptions } from './runner.js';
import { stagedStoreInIndex } from './store.js';
import type { IngestLogger, Source } from './types.js';

/** Stories as `ingestStories` takes them: an array, a generator, or an async iterable. */
export type StoryStream = Iterable<ArticleInput> | AsyncIterable<ArticleInput>;

/**
 * A `Source` (kind `memory`) over stories in memory; one pass iterates `stories` once (so a
 * generator gives one pass only). An abort stops the pass before the next story.
 * @param refOf names story `i` (0-based) in summaries; default its guid, else its URL, else `label#i+1`
 */
export function storiesSource(stories: StoryStream, label = 'stories', refOf?: (input: ArticleInput, i: number) => string): Source {
  const name = refOf ?? ((input: ArticleInput, i: number) => input.guid || input.url || `${label}#${i + 1}`);
  return {
    kind: 'memory',
    label,
    estimate: async () => (Array.isArray(stories) ? stories.length : null),
    async *items(signal?: AbortSignal) {
      let i = 0;
      for await (const input of stories) {
        if (signal?.aborted) return;
        yield { ok: true as const, ref: name(input, i), input };
        i++;
      }
    },
  };
}

/** Options of `ingestStories`. */
export interface IngestStoriesOptions {
  /**
   * Parse workers when no `pool` is given: 0 parses in this thread; default as the config's
   * `sources.parseWorkers` (cores − 1 on more than one core, else 0). The pool made for the run
   * is closed when it ends.
   */
  parseWorkers?: number;
  /** A pool to parse in (the caller closes it); null parses in this thread. Overrides `parseWorkers`. */
  pool?: ParsePool | null;
  /** Stories in flight (see `RunOptions.concurrency`); default the store's (twice the pool's capacity, or 1 in-thread). */
  concurrency?: number;
  /** Called in source order just before each story is written (e.g. to set a benchmark clock to its publication time). */
  beforeCommit?: (input: ArticleInput, ref: string) => void;
  /** Called after each story, in source order. */
  onItem?: RunOptions['onItem'];
  signal?: AbortSignal;
  /** Progress bar stream; default none. */
  progress?: ProgressStream | false;
  /** The source's label in summaries (default `stories`). */
  label?: string;
  /** Names each story in summaries (see `storiesSource`). */
  refOf?: (input: ArticleInput, i: number) => string;
  logger?: IngestLogger;
}

/**
 * Validates, parses and stores `stories` into `index`, writes in the stories' order.
 * Never throws for a bad story: failures are in the summary with their reasons.
 * @returns the run's summary (counts, failures, stories per second over the whole run,
 *   pool start-up included when the pool is made here)
 */
export async function ingestStories(index: ArticleIndex, stories: StoryStream, opts: IngestStoriesOptions = {}): Promise<IngestSummary> {
  let own: ParsePool | null = null;
  let pool = opts.pool;
  if (pool === undefined) {
    const workers = resolveParseWorkers(opts.parseWorkers);
    own = workers > 0 ? createParsePool({ workers, logger: opts.logger }) : null;
    pool = own;
  }
  try {
    const store = stagedStoreInIndex(index, { pool, concurrency: opts.concurrency, beforeCommit: opts.beforeCommit });
    return await runIngest(storiesSource(stories, opts.label, opts.refOf), store, {
      progress: opts.progress ?? false,
      logger: opts.logger,
      signal: opts.signal,
      onItem: opts.onItem,
    });
  } finally {
    await own?.close();
  }
}
