/**
 * A pool of worker threads that parse stories (piscina), so that ingest parses the next stories
 * while the ingesting thread writes the current one to the index. Each task is one story's text;
 * its result is the `ParsedArticle` (pure data), structured-cloned back, equal to what
 * `parseArticle` returns in-thread.
 *
 * Failure containment: an error thrown by the parser, a worker that dies (exits, runs out of
 * memory) and a parse that runs past `timeoutMs` each reject that story's `parse` with a
 * `ParseWorkerError` naming the cause; piscina replaces the worker, the other stories go on and
 * the process never crashes. `close()` stops every worker, so nothing keeps the process alive.
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
  /** Longest one parse may take, in milliseconds; past it the worker is stopped and the story fails. 0 = no limit. Default 60,000. */
  timeoutMs?: number;
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
 * Starts a pool of parse workers.
 * @throws RangeError when `workers` is not a whole number ≥ 1 (for in-thread parsing, use no pool)
 */
export function createParsePool(opts: ParsePoolOptions = {}): ParsePool {
  const workers = opts.workers ?? defaultParseWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`parse workers must be a whole number ≥ 1, got ${workers} (0 means parse in-thread: use no pool)`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  const logger = opts.logger ?? silentLogger;
  const given = opts.workerModule ?? PARSE_WORKER_MODULE;
  const moduleUrl = given instanceof URL ? given : given.startsWith('file:') ? new URL(given) : pathToFileURL(path.resolve(given));
  const file = fileURLToPath(moduleUrl);
  const piscina = new Piscina<string, ParsedArticle>({
    filename: moduleUrl.href,
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    execArgv: workerExecArgv(file),
    recordTiming: false,
  });
  // A worker that fails with no story in hand (dies while idle, fails to start) is replaced by
  // piscina; without a listener the 'error' event would throw in this thread.
  piscina.on('error', (err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'parse worker failed outside a story; it is replaced'));
  let closed: Promise<void> | null = null;

  return {
    workers,
    async parse(text: string): Promise<ParsedArticle> {
      if (closed) throw new ParseWorkerError('the parse pool is closed');
      const signal = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : null;
      try {
        return await piscina.run(text, signal ? { signal } : {});
      } catch (err) {
        if (signal?.aborted) throw new ParseWorkerError(`parse took longer than ${+(timeoutMs / 1000).toFixed(1)} s; its worker was stopped`);
        if (closed) throw new ParseWorkerError('the parse pool is closed');
        const msg = err instanceof Error ? err.message : String(err);
        throw new ParseWorkerError(`parse failed in a worker thread: ${msg}`);
      }
    },
    close(): Promise<void> {
      closed ??= piscina.close({ force: true });
      return closed;
    },
  };
}
