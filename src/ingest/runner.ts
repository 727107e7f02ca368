/**
 * Backfill and polling passes: pull items from sources, store each through a store (a `StoreFn`,
 * or a `StagedStore` that parses ahead), count what happened, and show a progress bar
 * (cli-progress) when the output is a terminal.
 *
 * Failure containment: an item that fails (unreadable file, malformed ninjs, parse or storage
 * error) is counted with its reason and the pass goes on; a source that fails mid-way (network
 * drop, malformed feed, folder removed) ends that source's pass with its reason recorded, and the
 * remaining sources still run. Stories stored before the failure stay stored, since each store
 * (or batch, see below) is its own transaction.
 *
 * Concurrency (`StagedStore`): storing is split into `prepare` (validate and parse; may run
 * several at once, e.g. in a parse worker pool) and `commit` (the index write). The runner keeps
 * up to `concurrency` items in flight: it starts `prepare` for each item as the source yields it,
 * and takes items off the front of that window in source order, awaiting the front item's
 * `prepare` and then its `commit`. So commits run one at a time, strictly in source order, even
 * when later parses finish first; counting, `onItem`, the progress bar and the order of the
 * summary's lists are those of a one-at-a-time pass. Items a source yielded before it failed are
 * still stored, before its failure is recorded. An abort is checked after each stored story, as
 * in a one-at-a-time pass: nothing is committed after it, and items already pulled from the
 * source but not yet committed are dropped uncounted (their parses are awaited, not stored).
 * A plain `StoreFn`, and a `StagedStore` with concurrency 1, run one item at a time.
 *
 * Batches (`StagedStore.commitMany`): the front story and the stories right behind it whose
 * `prepare` has finished are written together (one transaction), still in source order and
 * counted one by one as above; an abort is then checked after each batch, so a batch that was
 * being written when the abort came is stored in full.
 */
import cliProgress from 'cli-progress';
import type { ArticleInput, UpsertResult } from '../index/types.js';
import { silentLogger, type IngestLogger, type Source, type SourceItem } from './types.js';

/**
 * What storing one story gives: the index's outcome, the parser's warnings, and how its dates
 * were (undated; an unreadable date kept raw).
 */
export type StoreResult = UpsertResult & { warnings?: string[]; undated?: boolean; unreadableDate?: string | null };

/** Stores one story; throws (with a readable message) when it cannot. */
export type StoreFn = (input: ArticleInput, ref: string) => Promise<StoreResult>;

/**
 * A store in two steps, so that the runner can prepare later stories while it commits the
 * current one (see the module docstring). `P` is what `prepare` hands to `commit` (the parse).
 */
export interface StagedStore<P = unknown> {
  /** Items the runner keeps in flight by default (≥ 1; 1 = one at a time). */
  readonly concurrency: number;
  /**
   * Validates and parses one story; may run concurrently with other `prepare`s and with a
   * `commit`. Rejects (with a readable message) when the story cannot be stored.
   */
  prepare(input: ArticleInput, ref: string): Promise<P>;
  /** Writes one prepared story. Called one at a time, in source order. Rejects with a readable message. */
  commit(prepared: P, input: ArticleInput, ref: string): Promise<StoreResult>;
  /**
   * Writes several prepared stories at once, in order (one transaction: far cheaper per story).
   * Resolves with one outcome per item, an `Error` for a story that could not be stored.
   * Optional; when present the runner hands it every story at the front of its window whose
   * `prepare` has finished, up to `batch` at a time.
   */
  commitMany?(items: { prepared: P; input: ArticleInput; ref: string }[]): Promise<(StoreResult | Error)[]>;
  /** Most stories per `commitMany` (default 1: `commit` one at a time). */
  readonly batch?: number;
}

/** Anything `runIngest` stores through. */
export type IngestStore = StoreFn | StagedStore;

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
  /** New identities whose text repeats a story already stored: remembered, counted once (see `UpsertResult`). */
  duplicate: number;
  /** Stories added or updated without a publication time (shown as "undated, first seen …"). */
  undated: number;
  /** Stories whose source gave a publication date that could not be read: `reason` holds it as written (kept raw). */
  unreadableDates: IngestFailure[];
  /** Items that failed, each with its reason. */
  failed: IngestFailure[];
  /** Sources that failed (stopped early or never started), each with its reason. */
  sourceErrors: IngestFailure[];
  /** Stories stored with a warning from the parser (truncated, unbalanced quotation marks). */
  warned: IngestFailure[];
  /** Items handled: added + updated + unchanged + reparsed + duplicate + failed. */
  total: number;
  elapsedMs: number;
  /** Stories stored (or found unchanged) per second: `storedCount`, failures not counted. */
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
  /** Called after each item (for callers that report progress their own way), in source order. */
  onItem?: (ref: string, outcome: UpsertResult['status'] | 'failed', reason?: string) => void;
  /**
   * Items in flight with a `StagedStore` (prepared ahead of the one being committed), ≥ 1.
   * Default: the store's `concurrency`. A `StoreFn` always runs one item at a time.
   */
  concurrency?: number;
}

/** An empty summary. */
export function emptySummary(): IngestSummary {
  return { added: 0, updated: 0, unchanged: 0, reparsed: 0, duplicate: 0, undated: 0, unreadableDates: [], failed: [], sourceErrors: [], warned: [], total: 0, elapsedMs: 0, storiesPerSecond: 0 };
}

/** One item in the runner's window: a source's failed item, or a story whose `prepare` has started. */
type Slot =
  | { ok: false; ref: string; reason: string }
  | {
      ok: true;
      ref: string;
      input: ArticleInput;
      prepared: Promise<{ ok: true; value: unknown } | { ok: false; err: unknown }> | null;
      /** Set once `prepared` has settled (so a batch can take it without waiting). */
      ready?: boolean;
    };

/**
 * Runs one pass over each source in turn and stores what they yield.
 * Never throws for source or item failures: they are in the summary.
 * @param sources the sources, run one after another
 * @param store stores one story: a `StoreFn`, or a `StagedStore` (see `storeInIndex`,
 *   `stagedStoreInIndex`) whose parses run up to `concurrency` items ahead of the commits
 */
export async function runIngest(sources: Source | Source[], store: IngestStore, opts: RunOptions = {}): Promise<IngestSummary> {
  const list = Array.isArray(sources) ? sources : [sources];
  const logger = opts.logger ?? silentLogger;
  const summary = emptySummary();
  const started = performance.now();
  const staged = typeof store === 'function' ? null : store;
  const windowSize = staged ? Math.max(1, Math.floor(opts.concurrency ?? staged.concurrency) || 1) : 1;

  const stream = opts.progress === false ? null : (opts.progress ?? (process.stderr as ProgressStream));
  let bar: cliProgress.SingleBar | null = null;
  let barTotal = 0;
  if (stream && stream.isTTY) {
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'ingest [{bar}] {percentage}% | {value}/{total} stories | {rate} | ETA {eta_formatted} | {source}',
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
    bar.start(Math.max(barTotal, 1), 0, { source: list[0]?.label ?? '', rate: '0/s' });
  }

  const tick = (label: string): void => {
    if (!bar) return;
    if (summary.total > barTotal) {
      barTotal = summary.total;
      bar.setTotal(barTotal);
    }
    bar.update(summary.total, { source: label.length > 40 ? `…${label.slice(-39)}` : label, rate: formatRate(summary.total, performance.now() - started) ?? '0/s' });
  };

  /** Takes an item into the window, starting its `prepare` at once (a rejection is kept, not thrown). */
  const enter = (item: SourceItem): Slot => {
    if (!item.ok || !staged) return item.ok ? { ...item, prepared: null } : item;
    let prepared: Promise<unknown>;
    try {
      prepared = staged.prepare(item.input, item.ref);
    } catch (err) {
      prepared = Promise.reject(err);
    }
    const slot: Slot = { ...item, prepared: null };
    slot.prepared = prepared.then(
      (value) => ((slot.ready = true), { ok: true as const, value }),
      (err: unknown) => ((slot.ready = true), { ok: false as const, err }),
    );
    return slot;
  };
  const batch = staged?.commitMany ? Math.max(1, Math.floor(staged.batch ?? 1)) : 1;

  /** Counts one stored story: its status, warnings and dates (an unreadable one is logged with its source). */
  const stored = (ref: string, label: string, res: StoreResult): void => {
    summary[res.status]++;
    if (res.warnings?.length) summary.warned.push({ ref, reason: res.warnings.join('; ') });
    if (res.undated && (res.status === 'added' || res.status === 'updated')) summary.undated++;
    if (res.unreadableDate && res.status !== 'unchanged') {
      summary.unreadableDates.push({ ref, reason: res.unreadableDate });
      logger.warn({ source: label, item: ref, date: res.unreadableDate }, 'unreadable publication date: kept as written, story stored undated');
    }
    opts.onItem?.(ref, res.status);
  };

  /** Counts one stored or failed story, exactly as a one-at-a-time pass does. */
  const count = (ref: string, label: string, out: StoreResult | { error: unknown }): void => {
    if ('error' in out) {
      const reason = out.error instanceof Error ? out.error.message : String(out.error);
      summary.failed.push({ ref, reason });
      opts.onItem?.(ref, 'failed', reason);
    } else {
      stored(ref, label, out);
    }
    summary.total++;
    tick(label);
  };

  /**
   * Commits the front slot and the ready slots right behind it (up to `batch`) with one
   * `commitMany`, then counts each in source order. Only with a batching store.
   */
  const settleBatch = async (window: Slot[], label: string): Promise<void> => {
    const group: Slot[] = [window.shift()!];
    const front = group[0]!;
    if (front.ok && front.prepared) await front.prepared;
    while (group.length < batch && window.length > 0 && (!window[0]!.ok || window[0]!.ready)) group.push(window.shift()!);
    const outcomes: (StoreResult | { error: unknown })[] = new Array(group.length);
    const writes: { prepared: unknown; input: ArticleInput; ref: string; at: number }[] = [];
    for (let i = 0; i < group.length; i++) {
      const slot = group[i]!;
      if (!slot.ok) {
        outcomes[i] = { error: slot.reason };
        continue;
      }
      const p = await slot.prepared!;
      if (p.ok) writes.push({ prepared: p.value, input: slot.input, ref: slot.ref, at: i });
      else outcomes[i] = { error: p.err };
    }
    if (writes.length > 0) {
      try {
        const results = await staged!.commitMany!(writes);
        writes.forEach((w, k) => {
          const r = results[k];
          outcomes[w.at] = r === undefined ? { error: 'no outcome from the store' } : r instanceof Error ? { error: r } : r;
        });
      } catch (err) {
        for (const w of writes) outcomes[w.at] = { error: err };
      }
    }
    group.forEach((slot, i) => count(slot.ref, label, outcomes[i]!));
  };

  /** Stores (commits) the front item and counts it, exactly as a one-at-a-time pass does. */
  const settle = async (slot: Slot, label: string): Promise<void> => {
    if (!slot.ok) {
      summary.failed.push({ ref: slot.ref, reason: slot.reason });
      summary.total++;
      opts.onItem?.(slot.ref, 'failed', slot.reason);
      tick(label);
      return;
    }
    try {
      let res: StoreResult;
      if (staged && slot.prepared) {
        const p = await slot.prepared;
        if (!p.ok) throw p.err;
        res = await staged.commit(p.value, slot.input, slot.ref);
      } else {
        res = await (store as StoreFn)(slot.input, slot.ref);
      }
      stored(slot.ref, label, res);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      summary.failed.push({ ref: slot.ref, reason });
      opts.onItem?.(slot.ref, 'failed', reason);
    }
    summary.total++;
    tick(label);
  };

  try {
    for (const source of list) {
      if (opts.signal?.aborted) break;
      const window: Slot[] = [];
      let aborted = false;
      /** Settles window items from the front until at most `keep` remain; false once aborted. */
      const drain = async (keep: number): Promise<boolean> => {
        while (window.length > keep) {
          if (batch > 1) {
            await settleBatch(window, source.label);
            if (opts.signal?.aborted) {
              aborted = true;
              return false;
            }
            continue;
          }
          const slot = window.shift()!;
          await settle(slot, source.label);
          if (slot.ok && opts.signal?.aborted) {
            aborted = true;
            return false;
          }
        }
        return true;
      };
      try {
        for await (const item of source.items(opts.signal)) {
          window.push(enter(item));
          if (!(await drain(windowSize - 1))) break;
        }
        if (!aborted) await drain(0);
      } catch (err) {
        // What the source yielded before it failed is still stored, then the failure recorded.
        if (!aborted) await drain(0).catch(() => undefined);
        const reason = err instanceof Error ? err.message : String(err);
        summary.sourceErrors.push({ ref: source.label, reason });
        logger.warn({ source: source.label, err: reason }, 'source failed; what it stored before the failure is kept');
      } finally {
        // Dropped after an abort: let their parses finish so no work outlives the pass.
        if (window.length > 0) await Promise.all(window.map((s) => (s.ok ? s.prepared : null)));
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
  summary.storiesPerSecond = summary.elapsedMs > 0 ? (storedCount(summary) * 1000) / summary.elapsedMs : 0;
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
  a.duplicate += b.duplicate;
  a.undated += b.undated;
  a.unreadableDates.push(...b.unreadableDates);
  a.failed.push(...b.failed);
  a.sourceErrors.push(...b.sourceErrors);
  a.warned.push(...b.warned);
  a.total += b.total;
  a.elapsedMs += b.elapsedMs;
  a.storiesPerSecond = a.elapsedMs > 0 ? (storedCount(a) * 1000) / a.elapsedMs : 0;
  return a;
}

/** Stories a pass stored or found unchanged: the items it handled less those that failed. */
export function storedCount(s: Pick<IngestSummary, 'total' | 'failed'>): number {
  return s.total - s.failed.length;
}

/**
 * A rate of `count` stories in `elapsedMs`, for people: `120/s`, `4.2/s`, and below one a second
 * `2.4 s per story` (never `0/s`); null when there is no rate (nothing done, no time measured).
 */
export function formatRate(count: number, elapsedMs: number): string | null {
  if (count <= 0 || !(elapsedMs > 0)) return null;
  const perSecond = (count * 1000) / elapsedMs;
  if (perSecond >= 9.95) return `${perSecond.toFixed(0)}/s`;
  if (perSecond >= 0.995) return `${perSecond.toFixed(1)}/s`;
  return `${(elapsedMs / 1000 / count).toFixed(1)} s per story`;
}

/**
 * The end-of-run summary as text lines: the stories stored (failures are counted apart) and
 * the rate, the counts, then each failure with its reason (at most `maxFailures`, then "… and N more").
 */
export function formatSummary(s: IngestSummary, maxFailures = 20): string {
  const stored = storedCount(s);
  const rate = formatRate(stored, s.elapsedMs);
  const lines = [
    `ingested ${stored} ${stored === 1 ? 'story' : 'stories'} in ${(s.elapsedMs / 1000).toFixed(1)} s${rate ? ` (${rate})` : ''}: ` +
      `${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ${s.reparsed ? `${s.reparsed} reparsed, ` : ''}` +
      `${s.duplicate ? `${s.duplicate} ${s.duplicate === 1 ? 'duplicate' : 'duplicates'} (same text as a stored story, counted once), ` : ''}${s.failed.length} failed` +
      (s.sourceErrors.length ? `; ${s.sourceErrors.length} ${s.sourceErrors.length === 1 ? 'source' : 'sources'} failed` : ''),
  ];
  if (s.undated > 0 || s.unreadableDates.length > 0) {
    const unread = s.unreadableDates.length;
    lines.push(
      `  dates: ${s.undated} ${s.undated === 1 ? 'story' : 'stories'} stored undated (shown as "undated, first seen …")` +
        (unread ? `; ${unread} with a date that could not be read, kept as written` : ''),
    );
    for (const u of s.unreadableDates.slice(0, maxFailures)) lines.push(`  unreadable date: ${u.ref}: "${u.reason}"`);
    if (unread > maxFailures) lines.push(`  … and ${unread - maxFailures} more unreadable dates`);
  }
  const all = [...s.sourceErrors.map((f) => ({ ...f, ref: `source ${f.ref}` })), ...s.failed];
  for (const f of all.slice(0, maxFailures)) lines.push(`  failed: ${f.ref}: ${f.reason}`);
  if (all.length > maxFailures) lines.push(`  … and ${all.length - maxFailures} more failures`);
  for (const w of s.warned.slice(0, maxFailures)) lines.push(`  warning: ${w.ref}: ${w.reason}`);
  if (s.warned.length > maxFailures) lines.push(`  … and ${s.warned.length - maxFailures} more warnings`);
  return lines.join('\n');
}
