/**
 * The scale benchmark: a synthetic archive of N stories (bench/synthetic.ts) loaded into each
 * backend, then per backend: ingest rate (parse + store, one story after another), index size on
 * disk, process memory (RSS), and p50/p99 latency of /quotes <speaker>, /who <name>,
 * /summary <story>, /search <words> through the real bot core, and of a one-day digest build.
 *
 * Run alone: `npx tsx bench/scale.ts [N]` (default 10000). PostgreSQL is measured when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server where a scratch database may be created.
 * The issue-8 targets (SQLite, 100,000 stories, this 2-core machine): p99 < 50 ms per command,
 * digest build < 2 s, ingest ≥ 200 stories/s, memory < 300 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildDigest } from '../src/core/digest.js';
import { createCore } from '../src/core/index.js';
import type { CommandRequest } from '../src/core/types.js';
import { PostgresIndex } from '../src/index/postgres.js';
import { SqliteIndex } from '../src/index/sqlite.js';
import type { ArticleIndex } from '../src/index/types.js';
import { ARCHIVE_START, archiveStory, loadArchive, personName, PEOPLE, STORIES_PER_DAY } from './synthetic.js';

/** Figures for one backend at one size. */
export interface ScaleResult {
  backend: 'sqlite' | 'postgres';
  stories: number;
  ingestPerSecond: number;
  indexBytes: number;
  rssBytes: number;
  /** Milliseconds: p50/p99 per command, plus the first (cold) call of each. */
  latency: Record<string, { p50: number; p99: number; first: number; n: number }>;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function time<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(index: ArticleIndex, n: number, runs: number): Promise<ScaleResult['latency']> {
  const lastDay = ARCHIVE_START + Math.floor(n / STORIES_PER_DAY) * 86_400_000;
  // Embargo/"now" is after the whole archive.
  const now = () => new Date(lastDay + 2 * 86_400_000);
  const core = createCore({ index, now });
  const ask = (command: CommandRequest['command'], args: string) => core.handle({ command, args, platform: 'terminal', userId: 'bench' });
  const seq = (i: number) => Math.floor((i * 7919) % n);
  const cases: Record<string, (i: number) => Promise<unknown>> = {
    '/quotes <speaker>': (i) => ask('quotes', personName((i * 131) % PEOPLE)),
    '/who <name>': (i) => ask('who', personName((i * 197 + 11) % PEOPLE)),
    '/summary <story>': (i) => ask('summary', archiveStory(seq(i)).text.split('\n')[0]!.replace(/\(\d+\)$/, '').trim()),
    '/search <words>': (i) => ask('search', `${['rail strike', 'harbour expansion', 'energy prices', 'grain exports', 'petition families'][i % 5]} ${personName((i * 53) % PEOPLE).split(' ')[1]}`),
    'digest build (one day)': (i) => {
      const day = ARCHIVE_START + ((i * 37) % Math.max(1, Math.floor(n / STORIES_PER_DAY))) * 86_400_000;
      return buildDigest(index, { since: new Date(day), until: new Date(day + 86_400_000) });
    },
  };
  const out: ScaleResult['latency'] = {};
  for (const [name, fn] of Object.entries(cases)) {
    const first = await time(() => fn(0));
    const xs: number[] = [];
    const k = name.startsWith('digest') ? Math.max(10, Math.floor(runs / 5)) : runs;
    for (let i = 1; i <= k; i++) xs.push(await time(() => fn(i)));
    out[name] = { p50: pct(xs, 50), p99: pct(xs, 99), first, n: k };
  }
  return out;
}

/** Loads N stories into a fresh SQLite file and measures it. */
export async function benchScaleSqlite(n: number, runs = 200): Promise<ScaleResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
  let clock = new Date(ARCHIVE_START);
  const index = SqliteIndex.open(path.join(dir, 'news.db'), { clock: () => clock });
  try {
    const load = await loadArchive(index, 0, n, (at) => (clock = at));
    index.connection.pragma('wal_checkpoint(TRUNCATE)');
    const indexBytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    const latency = await measure(index, n, runs);
    return { backend: 'sqlite', stories: n, ingestPerSecond: load.storiesPerSecond, indexBytes, rssBytes: process.memoryUsage().rss, latency };
  } finally {
    await index.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Loads N stories into a scratch database on the server at `baseUrl` and measures it; the database is dropped after. */
export async function benchScalePostgres(baseUrl: string, n: number, runs = 200): Promise<ScaleResult> {
  const name = `nb_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  let clock = new Date(ARCHIVE_START);
  const index = await PostgresIndex.open(url.toString(), { clock: () => clock });
  try {
    const load = await loadArchive(index, 0, n, (at) => (clock = at));
    await index.connection.query('VACUUM ANALYZE');
    const indexBytes = Number((await index.connection.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
    const latency = await measure(index, n, runs);
    return { backend: 'postgres', stories: n, ingestPerSecond: load.storiesPerSecond, indexBytes, rssBytes: process.memoryUsage().rss, latency };
  } finally {
    await index.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** One line per figure, for `npm run bench`. */
export function printScale(r: ScaleResult): void {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  console.log(`scale ${r.backend} ${r.stories} stories: ingest ${r.ingestPerSecond.toFixed(0)} stories/s, index ${mb(r.indexBytes)} on disk, RSS ${mb(r.rssBytes)}`);
  for (const [name, l] of Object.entries(r.latency)) {
    console.log(`  ${name.padEnd(24)} p50 ${l.p50.toFixed(1)} ms  p99 ${l.p99.toFixed(1)} ms  (first ${l.first.toFixed(0)} ms, ${l.n} runs)`);
  }
}

/** Every backend available at size `n`. */
export async function benchScale(n: number, runs = 200): Promise<ScaleResult[]> {
  const results = [await benchScaleSqlite(n, runs)];
  printScale(results[0]!);
  const pgUrl = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim();
  if (pgUrl) {
    const r = await benchScalePostgres(pgUrl, n, runs);
    printScale(r);
    results.push(r);
  } else {
    console.log('scale postgres: skipped (set BENCH_DATABASE_URL to a server where a scratch database may be created)');
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 10_000);
  const only = process.argv[3];
  const run = only === 'postgres' ? benchScalePostgres(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? '', n).then((r) => [r])
    : only === 'sqlite' ? benchScaleSqlite(n).then((r) => [r]) : benchScale(n);
  run.then(
    (rs) => {
      if (only) rs.forEach(printScale);
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
