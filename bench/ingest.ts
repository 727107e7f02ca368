/**
 * Ingest benchmark: a generated 10,000-story folder ingested into a fresh SQLite index
 * (on disk, WAL) through the folder source, the parser and the index, then ingested again
 * (every story unchanged). Reports stories per second for both passes.
 *
 * Run standalone: `npx tsx bench/ingest.ts [COUNT]`; `bench/run.ts` calls `benchIngest()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqliteIndex } from '../src/index/sqlite.js';
import { FolderSource } from '../src/ingest/folder.js';
import { runIngest } from '../src/ingest/runner.js';
import { storeInIndex } from '../src/ingest/store.js';
import { writeSyntheticFolder } from './ingest-corpus.js';

/** Figures of one benchmark run. */
export interface IngestBenchResult {
  name: 'ingest';
  stories: number;
  /** First pass: every story added. */
  addedPerSecond: number;
  addSeconds: number;
  /** Second pass: every story unchanged (read, parsed, compared). */
  unchangedPerSecond: number;
  unchangedSeconds: number;
  added: number;
  unchanged: number;
  failed: number;
}

/**
 * Runs the ingest benchmark in a temporary folder, removed afterwards.
 * @param count stories to generate (default 10,000)
 */
export async function benchIngest(count = 10_000): Promise<IngestBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
  try {
    const stories = path.join(dir, 'stories');
    writeSyntheticFolder(stories, count);
    const index = SqliteIndex.open(path.join(dir, 'index.db'));
    try {
      const store = storeInIndex(index);
      const first = await runIngest(new FolderSource(stories), store, { progress: false });
      const second = await runIngest(new FolderSource(stories), store, { progress: false });
      return {
        name: 'ingest',
        stories: count,
        addedPerSecond: first.storiesPerSecond,
        addSeconds: first.elapsedMs / 1000,
        unchangedPerSecond: second.storiesPerSecond,
        unchangedSeconds: second.elapsedMs / 1000,
        added: first.added,
        unchanged: second.unchanged,
        failed: first.failed.length + second.failed.length,
      };
    } finally {
      await index.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = Number(process.argv[2] ?? 10_000);
  benchIngest(count).then(
    (r) => {
      process.stdout.write(
        `ingest: ${r.stories} stories — first pass ${r.addedPerSecond.toFixed(0)} stories/s (${r.addSeconds.toFixed(1)} s, ${r.added} added), ` +
          `re-ingest ${r.unchangedPerSecond.toFixed(0)} stories/s (${r.unchangedSeconds.toFixed(1)} s, ${r.unchanged} unchanged), ${r.failed} failed\n`,
      );
    },
    (err: unknown) => {
      process.stderr.write(`bench ingest failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
