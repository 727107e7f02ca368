/**
 * The glue between sources and the index.
 * - `storeInIndex`: a `StoreFn` that validates, parses and upserts one story through the pipeline
 *   (`ingestInput`), one at a time, turning a failed outcome into an error with its reason so
 *   the runner can count it.
 * - `stagedStoreInIndex`: the same steps as a `StagedStore`: `prepare` validates and parses
 *   (in a `ParsePool`'s worker threads, or in-thread), `commit` upserts. The runner keeps several
 *   parses in flight and commits in source order (see `runner.ts`), so parsing the next stories
 *   overlaps writing the current one. Reasons of failed stories are the same as `storeInIndex`'s,
 *   plus the pool's (`ParseWorkerError`: parser error, worker crash, timeout).
 */
import type { ArticleIndex, ArticleInput } from '../index/types.js';
import { parseArticle } from '../parse/index.js';
import type { ParsedArticle } from '../parse/types.js';
import type { ParsePool } from './parse-pool.js';
import { withStoryDate } from './dates.js';
import { checkArticleInput, dateNotes, ingestInput } from './pipeline.js';
import type { StagedStore, StoreFn, StoreResult } from './runner.js';

/**
 * A `StoreFn` writing into `index`.
 * @param parse the parser, default `parseArticle` (tests may pass another)
 */
export function storeInIndex(index: ArticleIndex, parse?: (text: string) => ParsedArticle): StoreFn {
  return async (input, ref) => {
    const outcome = await ingestInput(index, input, ref, parse);
    if (!outcome.ok) throw new Error(outcome.error);
    return {
      status: outcome.status,
      storyId: outcome.storyId,
      revision: outcome.revision,
      warnings: outcome.warnings,
      undated: outcome.undated,
      unreadableDate: outcome.unreadableDate,
      ...(outcome.duplicateOf ? { duplicateOf: outcome.duplicateOf } : {}),
    };
  };
}

/** Options of `stagedStoreInIndex`. */
export interface StagedStoreOptions {
  /** Parse in this pool's workers; null or absent: parse in the ingesting thread with `parse`. The caller closes the pool. */
  pool?: ParsePool | null;
  /** The in-thread parser when there is no pool (default `parseArticle`; tests may pass another). */
  parse?: (text: string) => ParsedArticle;
  /**
   * Items the runner keeps in flight (≥ 1). Default with a pool: twice its capacity, so that its
   * workers' queues stay full while parsed stories wait for their turn to be written; without a
   * pool: 1 (in-thread parsing gains nothing from running ahead).
   */
  concurrency?: number;
  /**
   * Called in source order just before each story is written (e.g. a benchmark's clock set to
   * the story's publication time). An exception fails that story with its message.
   */
  beforeCommit?: (input: ArticleInput, ref: string) => void;
  /**
   * Most stories written per transaction (`ArticleIndex.upsertMany`). Default with a pool: the
   * concurrency (every story parsed ahead can join the front one's write); without: 1. In a
   * batch, `beforeCommit` runs for each story before the batch is written.
   */
  batch?: number;
}

/**
 * A `StagedStore` writing into `index`; see the module docstring. With no pool and concurrency 1
 * it stores exactly as `storeInIndex` does (same outcomes, same reasons).
 */
export function stagedStoreInIndex(index: ArticleIndex, opts: StagedStoreOptions = {}): StagedStore<ParsedArticle> {
  const pool = opts.pool ?? null;
  const parse = opts.parse ?? parseArticle;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? (pool ? 2 * pool.capacity : 1)));
  // Batched writes only where stories are prepared ahead (a pool); in-thread stays one by one.
  const batch = Math.max(1, Math.floor(opts.batch ?? (pool ? concurrency : 1)));
  return {
    concurrency,
    async prepare(input: ArticleInput): Promise<ParsedArticle> {
      const bad = checkArticleInput(input);
      if (bad !== null) throw new Error(bad);
      return pool ? pool.parse(input.text) : parse(input.text);
    },
    async commit(parsed: ParsedArticle, input: ArticleInput, ref: string): Promise<StoreResult> {
      opts.beforeCommit?.(input, ref);
      const dated = withStoryDate(input, parsed);
      const r = await index.upsert(dated, parsed);
      return { ...r, warnings: parsed.warnings, ...dateNotes(dated) };
    },
    batch,
    async commitMany(items: { prepared: ParsedArticle; input: ArticleInput; ref: string }[]): Promise<(StoreResult | Error)[]> {
      const ok: { input: ArticleInput; parsed: ParsedArticle; at: number }[] = [];
      const out: (StoreResult | Error)[] = new Array(items.length);
      items.forEach((it, i) => {
        try {
          opts.beforeCommit?.(it.input, it.ref);
          ok.push({ input: withStoryDate(it.input, it.prepared), parsed: it.prepared, at: i });
        } catch (err) {
          out[i] = err instanceof Error ? err : new Error(String(err));
        }
      });
      const results = ok.length ? await index.upsertMany(ok) : [];
      ok.forEach((it, k) => {
        const r = results[k]!;
        out[it.at] = 'error' in r ? new Error(r.error) : { ...r, warnings: it.parsed.warnings, ...dateNotes(it.input) };
      });
      return out;
    },
  };
}
