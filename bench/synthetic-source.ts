/**
 * The synthetic archive (bench/synthetic.ts `archiveStory`) as a stream of stories, and the
 * pooled-ingest benchmark: N archive stories into a fresh on-disk SQLite index, first parsed in
 * the ingesting thread (0 workers), then through the parse worker pool, in the same run, both
 * through `ingestStories` (runner + staged store, the path every source takes).
 *
 * Configurations run in rounds, interleaved (in-thread, then each pool size, then again), and the
 * median of the rounds is reported, so that other load on a shared machine skews them alike. Each
 * line also gives the ingesting thread's busy time per story (event-loop utilisation × elapsed /
 * stories): with the pool, 1000 / that is the rate the writes allow once the workers keep up.
 *
 * Run standalone: `npx tsx bench/synthetic-source.ts [COUNT] [WORKERS,...] [ROUNDS]` (default 2,000
 * stories, workers = cores − 1 (at least 1), 3 rounds).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqliteIndex } from '../src/index/sqlite.js';
import { ingestStories } from '../src/ingest/bulk.js';
import { defaultParseWorkers } from '../src/ingest/parse-pool.js';
import { archiveStories } from './synthetic.js';


/** One configuration's figures (medians over the rounds when from `benchPooledIngest`). */
export interface PoolRun {
  workers: number;
  stories: number;
  seconds: number;
  storiesPerSecond: number;
  /** The ingesting thread's busy time per story, in milliseconds. */
  mainMsPerStory: number;
  added: number;
  failed: number;
  /** Stories per second of each round. */
  rounds: number[];
}

/** Ingests `count` archive stories into a fresh SQLite file with `workers` parse workers (0 = in-thread). */
export async function ingestArchiveOnce(count: number, workers: number): Promise<PoolRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pool-'));
  const index = SqliteIndex.open(path.join(dir, 'index.db'));
  try {
    const elu0 = performance.eventLoopUtilization();
    const s = await ingestStories(index, archiveStories(0, count), { parseWorkers: workers });
    const busyMs = performance.eventLoopUtilization(elu0).active;
    return {
      workers,
      stories: s.total,
      seconds: s.elapsedMs / 1000,
      storiesPerSecond: s.storiesPerSecond,
      mainMsPerStory: busyMs / Math.max(1, s.total),
      added: s.added,
      failed: s.failed.length,
      rounds: [s.storiesPerSecond],
    };
  } finally {
    await index.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * The pooled-ingest benchmark: `rounds` rounds of in-thread, then each pool size in `workers`.
 * @returns one entry per configuration (in-thread first), with the medians over the rounds
 */
export async function benchPooledIngest(count = 2000, workers: number[] = [defaultParseWorkers()], rounds = 3): Promise<PoolRun[]> {
  const configs = [0, ...workers];
  const all: PoolRun[][] = configs.map(() => []);
  for (let r = 0; r < rounds; r++) for (const [i, w] of configs.entries()) all[i]!.push(await ingestArchiveOnce(count, w));
  return all.map((runs) => ({
    ...runs[0]!,
    seconds: median(runs.map((x) => x.seconds)),
    storiesPerSecond: median(runs.map((x) => x.storiesPerSecond)),
    mainMsPerStory: median(runs.map((x) => x.mainMsPerStory)),
    failed: runs.reduce((n, x) => n + x.failed, 0),
    rounds: runs.map((x) => x.storiesPerSecond),
  }));
}

/** One line per configuration, with the ratio against in-thread parsing. */
export function formatPoolRuns(runs: PoolRun[]): string {
  const base = runs[0]!.storiesPerSecond;
  return runs
    .map((r) => `ingest (synthetic archive, ${r.stories} stories, ${r.workers === 0 ? 'in-thread parse' : `${r.workers} parse worker${r.workers === 1 ? '' : 's'}`}): ` +
      `${r.storiesPerSecond.toFixed(0)} stories/s median of [${r.rounds.map((x) => x.toFixed(0)).join(', ')}], ingesting thread busy ${r.mainMsPerStory.toFixed(2)} ms/story, ` +
      `${r.added} added, ${r.failed} failed${r.workers === 0 ? '' : `; ×${(r.storiesPerSecond / base).toFixed(2)} vs in-thread`}`)
    .join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = Number(process.argv[2] ?? 2000);
  const workers = process.argv[3] ? process.argv[3].split(',').map(Number) : [defaultParseWorkers()];
  benchPooledIngest(count, workers, Number(process.argv[4] ?? 3)).then(
    (runs) => process.stdout.write(`${formatPoolRuns(runs)}\n`),
    (err: unknown) => {
      process.stderr.write(`bench pooled ingest failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
