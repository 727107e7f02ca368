/**
 * Backfill and polling passes: pull items from sources, store each through a `StoreFn`, count
 * what happened, and show a progress bar (cli-progress) when the output is a terminal.
 *
 * Failure containment: an item that fails (unreadable file, malformed ninjs, storage error) is
 * counted with its reason and the pass goes on; a source that fails mid-way (network drop,
 * malformed feed, folder removed) ends that source's pass with its reason recorded, and the
 * remaining sources still run. Stories stored before the failure stay stored, since each store
 * is its own transaction.
 */
import cliProgress from 'cli-progress';
import type { ArticleInput, UpsertResult } from '../index/types.js';
import { silentLogger, type IngestLogger, type Source } from './types.js';

/** Stores one story; throws (with a readable message) when it cannot. */
export type StoreFn = (input: ArticleInput, ref: string) => Promise<UpsertResult & { warnings?: string[] }>;

/** Something that failed, and why. */
export interface IngestFailure {
  /** The item (file path, URL, feed item) or the source's label when the whole source failed. */
  ref: string;
  reason: string;
}

/** Counts of one run. `stories per second` counts every item handled, failed ones included. */
export interface IngestSummary {
  added: number;
  updated: number;
  unchanged: number;
  /** Same content re-read by a newer parser: the current revision's parse was replaced. */
  reparsed: number;
  /** Items that failed, each with its reason. */
  failed: IngestFailure[];
  /** Sources that failed (stopped early or never started), each with its reason. */
  sourceErrors: IngestFailure[];
  /** Stories stored with a warning from the parser (truncated, unbalanced quotation marks). */
  warned: IngestFailure[];
  /** Items handled: added + updated + unchanged + reparsed + failed. */
  total: number;
  elapsedMs: number;
  storiesPerSecond: number;
}

/** A writable stream as cli-progress needs it. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** Options for `runIngest`. */
export interface RunOptions {
  /**
   * Where to draw the progress bar. Default: `process.stderr`, drawn only when it is a TTY
   * (stdout stays for results). `false` turns it off.
   */
  progress?: ProgressStream | false;
  logger?: IngestLogger;
  signal?: AbortSignal;
  /** Called after each item (for callers that report progress their own way). */
  onItem?: (ref: string, outcome: UpsertResult['status'] | 'failed', reason?: string) => void;
}

/** An empty summary. */
export function emptySummary(): IngestSummary {
  return { added: 0, updated: 0, unchanged: 0, reparsed: 0, failed: [], sourceErrors: [], warned: [], total: 0, elapsedMs: 0, storiesPerSecond: 0 };
}

/**
 * Runs one pass over each source in turn and stores what they yield.
 * Never throws for source or item failures: they are in the summary.
 * @param sources the sources, run one after another
 * @param store stores one story (see `storeInIndex`)
 */
export async function runIngest(sources: Source | Source[], store: StoreFn, opts: RunOptions = {}): Promise<IngestSummary> {
  const list = Array.isArray(sources) ? sources : [sources];
  const logger = opts.logger ?? silentLogger;
  const summary = emptySummary();
  const started = performance.now();

  const stream = opts.progress === false ? null : (opts.progress ?? (process.stderr as ProgressStream));
  let bar: cliProgress.SingleBar | null = null;
  let barTotal = 0;
  if (stream && stream.isTTY) {
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'ingest [{bar}] {percentage}% | {value}/{total} stories | {rate}/s | ETA {eta_formatted} | {source}',
        hideCursor: false,
        clearOnComplete: false,
        etaBuffer: 200,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    for (const s of list) {
      const n = s.estimate ? await s.estimate().catch(() => null) : null;
      barTotal += n ?? 0;
    }
    bar.start(Math.max(barTotal, 1), 0, { source: list[0]?.label ?? '', rate: '0' });
  }

  const tick = (label: string): void => {
    if (!bar) return;
    if (summary.total > barTotal) {
      barTotal = summary.total;
      bar.setTotal(barTotal);
    }
    const secs = (performance.now() - started) / 1000;
    bar.update(summary.total, { source: label.length > 40 ? `…${label.slice(-39)}` : label, rate: secs > 0 ? (summary.total / secs).toFixed(0) : '0' });
  };

  try {
    for (const source of list) {
      if (opts.signal?.aborted) break;
      try {
        for await (const item of source.items(opts.signal)) {
          if (!item.ok) {
            summary.failed.push({ ref: item.ref, reason: item.reason });
            summary.total++;
            opts.onItem?.(item.ref, 'failed', item.reason);
            tick(source.label);
            continue;
          }
          try {
            const res = await store(item.input, item.ref);
            summary[res.status]++;
            if (res.warnings?.length) summary.warned.push({ ref: item.ref, reason: res.warnings.join('; ') });
            opts.onItem?.(item.ref, res.status);
          } catch (err) {
            const reason = err instanceof Error ? err.message : String(err);
            summary.failed.push({ ref: item.ref, reason });
            opts.onItem?.(item.ref, 'failed', reason);
          }
          summary.total++;
          tick(source.label);
          if (opts.signal?.aborted) break;
        }
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        summary.sourceErrors.push({ ref: source.label, reason });
        logger.warn({ source: source.label, err: reason }, 'source failed; what it stored before the failure is kept');
      }
    }
  } finally {
    if (bar) {
      if (barTotal !== summary.total) bar.setTotal(Math.max(summary.total, 1));
      bar.update(summary.total);
      bar.stop();
    }
  }
  summary.elapsedMs = performance.now() - started;
  summary.storiesPerSecond = summary.elapsedMs > 0 ? (summary.total * 1000) / summary.elapsedMs : 0;
  return summary;
}

/**
 * Adds the counts of `b` to `a` (for totals across polls).
 * @returns `a`, updated
 */
export function mergeSummary(a: IngestSummary, b: IngestSummary): IngestSummary {
  a.added += b.added;
  a.updated += b.updated;
  a.unchanged += b.unchanged;
  a.reparsed += b.reparsed;
  a.failed.push(...b.failed);
  a.sourceErrors.push(...b.sourceErrors);
  a.warned.push(...b.warned);
  a.total += b.total;
  a.elapsedMs += b.elapsedMs;
  a.storiesPerSecond = a.elapsedMs > 0 ? (a.total * 1000) / a.elapsedMs : 0;
  return a;
}

/**
 * The end-of-run summary as text lines: the counts, then each failure with its reason
 * (at most `maxFailures`, then "… and N more").
 */
export function formatSummary(s: IngestSummary, maxFailures = 20): string {
  const lines = [
    `ingested ${s.total} ${s.total === 1 ? 'story' : 'stories'} in ${(s.elapsedMs / 1000).toFixed(1)} s (${s.storiesPerSecond.toFixed(0)}/s): ` +
      `${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.reparsed ? `${s.reparsed} reparsed, ` : ''}${s.failed.length} failed` +
      (s.sourceErrors.length ? `; ${s.sourceErrors.length} ${s.sourceErrors.length === 1 ? 'source' : 'sources'} failed` : ''),
  ];
  const all = [...s.sourceErrors.map((f) => ({ ...f, ref: `source ${f.ref}` })), ...s.failed];
  for (const f of all.slice(0, maxFailures)) lines.push(`  failed: ${f.ref}: ${f.reason}`);
  if (all.length > maxFailures) lines.push(`  … and ${all.length - maxFailures} more failures`);
  for (const w of s.warned.slice(0, maxFailures)) lines.push(`  warning: ${w.ref}: ${w.reason}`);
  if (s.warned.length > maxFailures) lines.push(`  … and ${s.warned.length - maxFailures} more warnings`);
  return lines.join('\n');
}
