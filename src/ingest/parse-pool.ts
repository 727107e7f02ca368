/**
 * A pool of worker threads that parse stories (piscina), so that ingest parses the next stories
 * while the ingesting thread writes the current one to the index. Each task is one story's text;
 * its result is the `ParsedArticle` (pure data), structured-cloned back, equal to what
 * `parseArticle` returns in-thread.
 *
 * Throughput: each worker is handed up to `queuePerWorker` stories at once and parses them one
 * after another, so it keeps working while the ingesting thread is inside a (synchronous) index
 * write: a hand-over from piscina needs that thread's event loop, and with one story per worker
 * the worker sat idle for much of each write and pooling gained nothing on a 2-core machine
 * (bench/synthetic-source.ts measures it).
 *
 * Failure containment: a story whose parse fails in the shared workers (the parser throws, the
 * worker dies or runs out of memory, taking the stories queued on it along) is tried again in an
 * isolation lane: one more worker thread, started on first need, that parses failed stories one
 * at a time. So a story that kills its worker fails alone, with a `ParseWorkerError` naming the
 * cause, and the stories queued behind it are parsed. A parse in the shared workers that has not
 * finished `timeoutMs` after the call restarts them (piscina cannot stop one queued task), and the
 * stories they held go to the lane, where a parse past `timeoutMs` is stopped and fails: a hung
 * story fails after about twice `timeoutMs`. The process never crashes, and `close()` stops every
 * worker, so nothing keeps the process alive.
 *
 * TypeScript in workers: the project runs from source (tsx). A worker thread inherits the
 * parent's `execArgv`, which under `tsx` (npm start, npm run cli, npm run bench) already holds
 * tsx's `--import …/tsx/dist/loader.mjs`; under vitest it does not, so the pool adds
 * `--import <tsx loader>` itself whenever its worker module is a `.ts` file and no tsx loader is
 * among the inherited options. (On Node 20 `--import` in a worker's `execArgv` works; the older
 * `--loader` form does not: nodejs/node#47747.) Compiled to `.js`, no loader is added.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { ParsedArticle } from '../parse/types.js';
import { silentLogger, type IngestLogger } from './types.js';

/** Longest one story's parse may take in a worker before the worker is stopped: 60 s (the parser's bound is well under a second). */
export const DEFAULT_PARSE_TIMEOUT_MS = 60_000;

/**
 * The default pool size: one worker per core, less one for the thread that reads sources and
 * writes the index, and at least one.
 * @param cores logical cores (default `os.availableParallelism()`)
 */
export function defaultParseWorkers(cores: number = os.availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * How many parse workers to run for a configured value (config `sources.parseWorkers`,
 * `cli ingest --parse-workers`).
 * @param configured a count (0 = parse in the ingesting thread), or undefined/null for the
 *   default: `defaultParseWorkers()` when the machine has more than one core, else 0
 * @param cores logical cores (default `os.availableParallelism()`)
 * @returns a whole number ≥ 0
 */
export function resolveParseWorkers(configured?: number | null, cores: number = os.availableParallelism()): number {
  if (configured !== undefined && configured !== null) return Math.max(0, Math.floor(configured));
  return cores > 1 ? defaultParseWorkers(cores) : 0;
}

/** Why a story could not be parsed in the pool; the message is the reason shown in ingest summaries. */
export class ParseWorkerError extends Error {
  override readonly name = 'ParseWorkerError';
}

/** Options of `createParsePool`. */
export interface ParsePoolOptions {
  /** Worker threads, ≥ 1 (default `defaultParseWorkers()`). All start at once and live until `close()`. */
  workers?: number;
  /**
   * Longest one parse may take, in milliseconds, counted from the call (queue wait included);
   * see the module docstring. 0 = no limit. Default 60,000.
   */
  timeoutMs?: number;
  /** Stories handed to one worker at once (≥ 1, default 4); see the module docstring. */
  queuePerWorker?: number;
  /**
   * The module the workers load: its default export takes a story's text and returns its
   * `ParsedArticle`; a file URL or a path. Default `parse-worker.ts` (or `.js` when compiled) beside this file; tests
   * pass a stand-in that can crash on purpose.
   */
  workerModule?: string | URL;
  /** Where worker failures outside any story (a worker dying while idle) are logged. */
  logger?: IngestLogger;
}

/** A running parse pool. */
export interface ParsePool {
  /** Worker threads in the pool. */
  readonly workers: number;
  /** Stories the pool holds at once: workers × stories handed to each. */
  readonly capacity: number;
  /**
   * Parses one story in a worker thread.
   * @returns the parse, equal (deep) to `parseArticle(text)` in this thread
   * @throws ParseWorkerError (as a rejection) when the parser throws, the worker dies or the
   *   parse times out, or the pool is closed
   */
  parse(text: string): Promise<ParsedArticle>;
  /** Stops every worker (stories still queued fail with "the parse pool is closed"). Idempotent. */
  close(): Promise<void>;
}

const OWN_EXT = path.extname(fileURLToPath(import.meta.url));

/** The default worker module: `parse-worker` with this file's own extension (`.ts` from source, `.js` compiled). */
export const PARSE_WORKER_MODULE = new URL(`./parse-worker${OWN_EXT}`, import.meta.url);

/** True when `execArgv` already loads tsx (`--import tsx`, `--import=…/tsx/dist/loader.mjs`, `--import tsx/esm`). */
function hasTsxLoader(execArgv: readonly string[]): boolean {
  return execArgv.some((a) => /(^|[=\s/\\])tsx([/\\]dist[/\\](loader|esm[/\\]index)\.mjs|[/\\]esm)?$/.test(a));
}

/**
 * The `execArgv` for workers running `file`: the parent's options, plus tsx's loader when `file`
 * is TypeScript and the parent has no tsx loader (vitest, plain node).
 */
export function workerExecArgv(file: string, parent: readonly string[] = process.execArgv): string[] {
  if (!/\.[mc]?ts$/.test(file) || hasTsxLoader(parent)) return [...parent];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return [...parent, '--import', tsx];
}

/**
 * Starts a pool of parse workers (all start at once and live until `close()`).
 * @throws RangeError when `workers` or `queuePerWorker` is not a whole number ≥ 1 (for in-thread
 *   parsing, use no pool)
 */
export function createParsePool(opts: ParsePoolOptions = {}): ParsePool {
  const workers = opts.workers ?? defaultParseWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`parse workers must be a whole number ≥ 1, got ${workers} (0 means parse in-thread: use no pool)`);
  const perWorker = opts.queuePerWorker ?? 4;
  if (!Number.isInteger(perWorker) || perWorker < 1) throw new RangeError(`queuePerWorker must be a whole number ≥ 1, got ${perWorker}`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const seconds = `${+(timeoutMs / 1000).toFixed(1)} s`;
  const logger = opts.logger ?? silentLogger;
  const given = opts.workerModule ?? PARSE_WORKER_MODULE;
  const moduleUrl = given instanceof URL ? given : given.startsWith('file:') ? new URL(given) : pathToFileURL(path.resolve(given));
  const execArgv = workerExecArgv(fileURLToPath(moduleUrl));

  const start = (threads: number, perThread: number): Piscina<string, ParsedArticle> => {
    const p = new Piscina<string, ParsedArticle>({
      filename: moduleUrl.href,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: perThread,
      execArgv,
      recordTiming: false,
    });
    // A worker that fails with no story in hand (dies while idle, fails to start) is replaced by
    // piscina; without a listener the 'error' event would throw in this thread.
    p.on('error', (err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'parse worker failed outside a story; it is replaced'));
    return p;
  };
  let shared = start(workers, perWorker);
  let lane: Piscina<string, ParsedArticle> | null = null;
  let laneTail: Promise<unknown> = Promise.resolve();
  const stopping = new Set<Promise<void>>();
  let closed: Promise<void> | null = null;
  const closedError = () => new ParseWorkerError('the parse pool is closed');

  /** Replaces shared workers of which one is stuck; the stories they held reject and go to the lane. */
  const restart = (stuck: Piscina<string, ParsedArticle>): void => {
    if (stuck !== shared || closed) return;
    logger.warn({ timeoutMs }, `a story's parse took longer than ${seconds}; restarting the parse workers`);
    shared = start(workers, perWorker);
    const done = stuck.destroy().catch(() => undefined);
    stopping.add(done);
    void done.finally(() => stopping.delete(done));
  };

  /** Parses one story in the isolation lane, after the lane's previous story has settled. */
  const alone = (text: string): Promise<ParsedArticle> => {
    const run = laneTail.then(async () => {
      if (closed) throw closedError();
      lane ??= start(1, 1);
      const signal = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : null;
      try {
        return await lane.run(text, signal ? { signal } : {});
      } catch (err) {
        if (closed) throw closedError();
        if (signal?.aborted) throw new ParseWorkerError(`parse took longer than ${seconds}; its worker was stopped`);
        throw new ParseWorkerError(`parse failed in a worker thread: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    laneTail = run.catch(() => undefined);
    return run;
  };

  return {
    workers,
    capacity: workers * perWorker,
    async parse(text: string): Promise<ParsedArticle> {
      if (closed) throw closedError();
      const pool = shared;
      const timer = timeoutMs > 0 ? setTimeout(() => restart(pool), timeoutMs).unref() : null;
      try {
        return await pool.run(text);
      } catch {
        if (closed) throw closedError();
      } finally {
        if (timer) clearTimeout(timer);
      }
      return alone(text);
    },
    close(): Promise<void> {
      closed ??= (async () => {
        await Promise.all([shared.close({ force: true }), lane?.close({ force: true })]);
        await Promise.all(stopping);
      })();
      return closed;
    },
  };
}
