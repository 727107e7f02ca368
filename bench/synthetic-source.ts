/**
 * The synthetic archive (bench/synthetic.ts `archiveStory`) as a stream of stories, and the
 * pooled-ingest benchmark: N archive stories into a fresh on-disk SQLite index, first parsed in
 * the ingesting thread (0 workers), then through the parse worker pool, in the same run, both
 * through `ingestStories` (runner + staged store, the path every source takes).
 *
 * Run standalone: `npx tsx bench/synthetic-source.ts [COUNT] [WORKERS]` (default 2,000 stories,
 * workers = cores − 1, at least 1).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArticleInput } from '../src/index/types.js';
import { SqliteIndex } from '../src/index/sqlite.js';
import { ingestStories } from '../src/ingest/bulk.js';
import { defaultParseWorkers } from '../src/ingest/parse-pool.js';
import { archiveStory } from './synthetic.js';

/** Stories `[from, to)` of the synthetic archive, generated as they are pulled. */
export function* archiveStories(from: number, to: number): Generator<ArticleInput> {
  for (let n = from; n < to; n++) yield archiveStory(n);
}

/** One configuration's figures. */
export interface PoolRun {
  workers: number;
  stories: number;
  seconds: number;
  storiesPerSecond: number;
  added: number;
  failed: number;
}

/** Ingests `count` archive stories into a fresh SQLite file with `workers` parse workers (0 = in-thread). */
export async function ingestArchiveOnce(count: number, workers: number): Promise<PoolRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pool-'));
  const index = SqliteIndex.open(path.join(dir, 'index.db'));
  try {
    const s = await ingestStories(index, archiveStories(0, count), { parseWorkers: workers });
    return { workers, stories: s.total, seconds: s.elapsedMs / 1000, storiesPerSecond: s.storiesPerSecond, added: s.added, failed: s.failed.length };
  } finally {
    await index.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The pooled-ingest benchmark: in-thread first, then each pool size in `workers`.
 * @returns one run per configuration, in that order
 */
export async function benchPooledIngest(count = 2000, workers: number[] = [defaultParseWorkers()]): Promise<PoolRun[]> {
  const runs = [await ingestArchiveOnce(count, 0)];
  for (const w of workers) runs.push(await ingestArchiveOnce(count, w));
  return runs;
}

/** One line per configuration, with the ratio against in-thread parsing. */
export function formatPoolRuns(runs: PoolRun[]): string {
  const base = runs[0]!.storiesPerSecond;
  return runs
    .map((r) => `ingest (synthetic archive, ${r.stories} stories, ${r.workers === 0 ? 'in-thread parse' : `${r.workers} parse worker${r.workers === 1 ? '' : 's'}`}): ` +
      `${r.storiesPerSecond.toFixed(0)} stories/s (${r.seconds.toFixed(2)} s, ${r.added} added, ${r.failed} failed)${r.workers === 0 ? '' : `, ×${(r.storiesPerSecond / base).toFixed(2)} vs in-thread`}`)
    .join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = Number(process.argv[2] ?? 2000);
  const workers = process.argv[3] ? process.argv[3].split(',').map(Number) : [defaultParseWorkers()];
  benchPooledIngest(count, workers).then(
    (runs) => process.stdout.write(`${formatPoolRuns(runs)}\n`),
    (err: unknown) => {
      process.stderr.write(`bench pooled ingest failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
