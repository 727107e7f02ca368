/**
 * The scale benchmark (issue 8): a synthetic archive of N stories (bench/synthetic.ts) ingested
 * into each backend through the real ingest path (validation, parse worker pool, batched writes),
 * then a separate bot process opens that index and answers commands through the real bot core.
 *
 * Printed per backend and size: ingest rate (stories/s), index size on disk, the bot process's
 * memory with the parser's data loaded (given names, gazetteer, attribution model: a serving bot
 * parses what it ingests) — RSS before any command, after its commands, and its peak — and p50/p99 latency of /quotes <speaker>,
 * /who <person>, /who <country>, /summary <headline words>, /search <words>, /check <quote> and a
 * one-day digest build; the first (cold) call of each is printed apart; and how much the quotes
 * index behind /check adds to the index. A verdict line checks the targets:
 * SQLite at 100,000 stories on this 2-core machine: p99 < 50 ms per command, digest build
 * < 2 s, ingest ≥ 200 stories/s, bot memory < 300 MB.
 *
 * Run: `npm run bench:scale` (10,000 and 100,000 stories), or
 * `npx tsx bench/scale.ts [N,N…] [sqlite|postgres]`. PostgreSQL is measured when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server where a scratch database may be
 * created (`scripts/with-postgres.sh` starts one on 127.0.0.1). When both run, a line gives
 * PostgreSQL's figures as a ratio of SQLite's (same run, same archive).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildDigest } from '../src/core/digest.js';
import { createCore } from '../src/core/index.js';
import type { CommandRequest } from '../src/core/types.js';
import { PostgresIndex } from '../src/index/postgres.js';
import { SqliteIndex } from '../src/index/sqlite.js';
import type { ArticleIndex } from '../src/index/types.js';
import { ARCHIVE_START, archiveStory, loadArchive, personName, PEOPLE, STORIES_PER_DAY } from './synthetic.js';

/** Latency of one command, in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
  /** The first call (cold caches, the name resolver built). */
  first: number;
  n: number;
}

/** Figures for one backend at one size. */
export interface ScaleResult {
  backend: 'sqlite' | 'postgres';
  stories: number;
  ingestPerSecond: number;
  /** Parse workers the ingest used. */
  workers: number;
  indexBytes: number;
  /** Of `indexBytes`, what the quotes index behind /check takes (quote_search, its indexes, quotes_fts); null when not measured. */
  quoteIndexBytes: number | null;
  /** The bot process: RSS after its commands, and its peak (bytes), with the parser's data loaded. */
  botRssBytes: number;
  botPeakRssBytes: number;
  /** The bot process's RSS with the index open and the parser's data loaded, before any command (bytes). */
  botLoadedRssBytes: number;
  latency: Record<string, Latency>;
}

/** What the bot process reports. */
interface BotReport {
  rssBytes: number;
  peakRssBytes: number;
  loadedRssBytes: number;
  latency: Record<string, Latency>;
}

/**
 * Loads what the parser keeps for the process (given-name lists, the gazetteer, the attribution
 * model) by parsing one short story: a serving bot parses the stories it ingests (in-process when
 * it runs no parse workers), so its memory is measured with them loaded.
 */
async function loadParserData(): Promise<void> {
  const { parseArticle } = await import('../src/parse/index.js');
  parseArticle('Harbour story\n\nLISBON — Maria Leal, the port’s director, said on Monday in Lisbon that “the cranes are back”.');
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

const COUNTRIES = ['France', 'Germany', 'Kenya', 'Japan', 'Peru', 'Norway', 'Chile', 'Ghana'];

/**
 * The claim /check is asked about in run `i`: in turn a quote verbatim (one the archive repeats
 * thousands of times), the same with words changed and dropped and straight marks, a fragment,
 * a quote attributed to a speaker, two quotes joined, and words no one said.
 */
export function checkClaim(i: number, n: number): string {
  const story = archiveStory((i * 7919) % n).text;
  const quotes = [...story.matchAll(/“([^”]+)”/g)].map((m) => m[1]!.replace(/,$/, ''));
  const [first, second] = [quotes[0]!, quotes[1] ?? quotes[0]!];
  const words = second.split(' ');
  switch (i % 6) {
    case 0:
      return `“${first}”`;
    case 1:
      return `"${first.replace('asking', 'telling').replace(' the ', ' ').replace('walked', 'gone')}"`;
    case 2:
      return words.slice(2, 9).join(' ');
    case 3:
      return `${personName((i * 131) % PEOPLE)}: "${second}"`;
    case 4:
      return `"${first}. ${second}"`;
    default:
      return `"The lighthouse keepers will strike over pay until the ${i}th of next month"`;
  }
}

/** Runs every command `runs` times against `index` (the bot process's side). */
async function measure(index: ArticleIndex, n: number, runs: number): Promise<BotReport> {
  await loadParserData();
  const loadedRssBytes = process.memoryUsage().rss;
  const lastDay = ARCHIVE_START + Math.floor(n / STORIES_PER_DAY) * 86_400_000;
  // Embargo/"now" is after the whole archive.
  const now = () => new Date(lastDay + 2 * 86_400_000);
  const core = createCore({ index, now });
  const ask = async (command: CommandRequest['command'], args: string) => {
    const reply = await core.handle({ command, args, platform: 'terminal', userId: 'bench' });
    if (reply.status === 'error') throw new Error(`/${command} ${args}: ${reply.title}`);
    return reply;
  };
  const seq = (i: number) => Math.floor((i * 7919) % n);
  const cases: Record<string, (i: number) => Promise<unknown>> = {
    '/quotes <speaker>': (i) => ask('quotes', personName((i * 131) % PEOPLE)),
    '/who <person>': (i) => ask('who', personName((i * 197 + 11) % PEOPLE)),
    '/who <country>': (i) => ask('who', COUNTRIES[i % COUNTRIES.length]!),
    '/summary <story>': (i) => ask('summary', archiveStory(seq(i)).text.split('\n')[0]!.replace(/\(\d+\)$/, '').trim()),
    '/search <words>': (i) => ask('search', `${['rail strike', 'harbour expansion', 'energy prices', 'grain exports', 'petition families'][i % 5]} ${personName((i * 53) % PEOPLE).split(' ')[1]}`),
    '/check <quote>': (i) => ask('check', checkClaim(i, n)),
    'digest build (one day)': (i) => {
      const day = ARCHIVE_START + ((i * 37) % Math.max(1, Math.floor(n / STORIES_PER_DAY))) * 86_400_000;
      return buildDigest(index, { since: new Date(day), until: new Date(day + 86_400_000) });
    },
  };
  const latency: Record<string, Latency> = {};
  for (const [name, fn] of Object.entries(cases)) {
    const first = await time(() => fn(0));
    const xs: number[] = [];
    const k = name.startsWith('digest') ? Math.max(10, Math.floor(runs / 5)) : runs;
    for (let i = 1; i <= k; i++) xs.push(await time(() => fn(i)));
    latency[name] = { p50: pct(xs, 50), p99: pct(xs, 99), first, n: k };
  }
  return { rssBytes: process.memoryUsage().rss, peakRssBytes: process.resourceUsage().maxRSS * 1024, loadedRssBytes, latency };
}

/** Runs `measure` in a fresh bot process over the index at `target` (a SQLite file or a postgres:// URL). */
function measureInBotProcess(backend: ScaleResult['backend'], target: string, n: number, runs: number): Promise<BotReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--bot', backend, target, String(n), String(runs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as BotReport);
      else reject(new Error(`bot process exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

/** Ingests N stories into a fresh SQLite file, then measures a bot process over it. */
export async function benchScaleSqlite(n: number, runs = 200): Promise<ScaleResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
  const file = path.join(dir, 'news.db');
  let clock = new Date(ARCHIVE_START);
  const index = SqliteIndex.open(file, { clock: () => clock });
  try {
    const load = await loadArchive(index, 0, n, (at) => (clock = at));
    if (load.failed) throw new Error(`${load.failed} stories failed to ingest`);
    index.connection.pragma('wal_checkpoint(TRUNCATE)');
    const quoteIndexBytes = (
      index.connection
        .prepare(`SELECT coalesce(sum(pgsize), 0) AS b FROM dbstat WHERE name LIKE 'quote_search%' OR name LIKE 'quotes_fts%'`)
        .get() as { b: number }
    ).b;
    await index.close();
    const indexBytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
    const bot = await measureInBotProcess('sqlite', file, n, runs);
    return { backend: 'sqlite', stories: n, ingestPerSecond: load.storiesPerSecond, workers: load.workers, indexBytes, quoteIndexBytes, botRssBytes: bot.rssBytes, botPeakRssBytes: bot.peakRssBytes, botLoadedRssBytes: bot.loadedRssBytes, latency: bot.latency };
  } finally {
    await index.close().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Ingests N stories into a scratch database on the server at `baseUrl`, measures a bot process over it; the database is dropped after. */
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
    if (load.failed) throw new Error(`${load.failed} stories failed to ingest`);
    await index.connection.query('VACUUM ANALYZE');
    const indexBytes = Number((await index.connection.query('SELECT pg_database_size(current_database()) AS b')).rows[0].b);
    const quoteIndexBytes = Number((await index.connection.query("SELECT pg_total_relation_size('quote_search') AS b")).rows[0].b);
    await index.close();
    const bot = await measureInBotProcess('postgres', url.toString(), n, runs);
    return { backend: 'postgres', stories: n, ingestPerSecond: load.storiesPerSecond, workers: load.workers, indexBytes, quoteIndexBytes, botRssBytes: bot.rssBytes, botPeakRssBytes: bot.peakRssBytes, botLoadedRssBytes: bot.loadedRssBytes, latency: bot.latency };
  } finally {
    await index.close().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

/** One line per figure, for `npm run bench`. */
export function printScale(r: ScaleResult): void {
  console.log(
    `scale ${r.backend} ${r.stories} stories: ingest ${r.ingestPerSecond.toFixed(0)} stories/s (${r.workers} parse worker${r.workers === 1 ? '' : 's'}), index ${mb(r.indexBytes)} on disk, bot RSS ${mb(r.botRssBytes)} (peak ${mb(r.botPeakRssBytes)}; ${mb(r.botLoadedRssBytes)} with the index open and the parser's given names, gazetteer and model loaded, before any command)`,
  );
  if (r.quoteIndexBytes !== null) console.log(`  quotes index (/check)     ${mb(r.quoteIndexBytes)}: adds ${quoteIndexShare(r).toFixed(1)}% to the rest of the index`);
  for (const [name, l] of Object.entries(r.latency)) {
    console.log(`  ${name.padEnd(24)} p50 ${l.p50.toFixed(1)} ms  p99 ${l.p99.toFixed(1)} ms  (first ${l.first.toFixed(0)} ms, ${l.n} runs)`);
  }
}

/** How much the quotes index adds to the rest of the index, in percent (issue 15: at most 15). */
export function quoteIndexShare(r: ScaleResult): number {
  const q = r.quoteIndexBytes ?? 0;
  return (100 * q) / Math.max(1, r.indexBytes - q);
}

/** The issue-8 targets, checked on a result: one line, PASS or FAIL with what missed. */
export function verdict(r: ScaleResult): string {
  const misses: string[] = [];
  for (const [name, l] of Object.entries(r.latency)) {
    const limit = name.startsWith('digest') ? 2000 : 50;
    if (l.p99 >= limit) misses.push(`${name} p99 ${l.p99.toFixed(0)} ms ≥ ${limit} ms`);
  }
  if (r.ingestPerSecond < 200) misses.push(`ingest ${r.ingestPerSecond.toFixed(0)} < 200 stories/s`);
  if (r.botPeakRssBytes >= 300 * 1024 * 1024) misses.push(`bot peak RSS ${mb(r.botPeakRssBytes)} ≥ 300 MB`);
  if (r.quoteIndexBytes !== null && quoteIndexShare(r) > 15) misses.push(`quotes index adds ${quoteIndexShare(r).toFixed(1)}% > 15%`);
  // The targets are set for SQLite at 100,000 stories; elsewhere the line is for reference.
  const binding = r.backend === 'sqlite' && r.stories >= 100_000;
  const scope = `${binding ? 'targets' : 'for reference, targets'} (p99 < 50 ms per command, /check included; digest < 2 s, ingest ≥ 200/s, bot < 300 MB, quotes index ≤ 15%) for ${r.backend} at ${r.stories}`;
  return misses.length ? `${scope}: FAIL (${misses.join('; ')})` : `${scope}: PASS`;
}

/** The two backends side by side at one size (same run, same archive): PostgreSQL ÷ SQLite. */
export function ratioLine(sqlite: ScaleResult, postgres: ScaleResult): string {
  const parts = [`ingest ${(postgres.ingestPerSecond / sqlite.ingestPerSecond).toFixed(2)}x`];
  for (const [name, l] of Object.entries(sqlite.latency)) {
    const other = postgres.latency[name];
    if (other) parts.push(`${name} p50 ${(other.p50 / Math.max(l.p50, 0.01)).toFixed(1)}x`);
  }
  return `  postgres vs sqlite at ${sqlite.stories}: ${parts.join(', ')}`;
}

/** Every backend available at each size in `sizes`. */
export async function benchScale(sizes: number[], runs = 200, only?: 'sqlite' | 'postgres'): Promise<ScaleResult[]> {
  const results: ScaleResult[] = [];
  const pgUrl = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim();
  for (const n of sizes) {
    const atSize: ScaleResult[] = [];
    if (only !== 'postgres') {
      const r = await benchScaleSqlite(n, runs);
      printScale(r);
      console.log(`  ${verdict(r)}`);
      results.push(r);
      atSize.push(r);
    }
    if (only !== 'sqlite') {
      if (pgUrl) {
        const r = await benchScalePostgres(pgUrl, n, runs);
        printScale(r);
        console.log(`  ${verdict(r)}`);
        results.push(r);
        atSize.push(r);
      } else {
        console.log(`scale postgres ${n}: skipped (set BENCH_DATABASE_URL to a server where a scratch database may be created; scripts/with-postgres.sh starts one)`);
      }
    }
    if (atSize.length === 2) console.log(ratioLine(atSize[0]!, atSize[1]!));
  }
  return results;
}

/**
 * Times the commands again on an index built earlier (`npx tsx bench/scale.ts --measure FILE N`,
 * FILE a SQLite index of the first N archive stories, e.g. the one bench/check-profile.ts keeps):
 * for measuring again on a quieter machine without ingesting again.
 */
async function measureOnly(file: string, n: number): Promise<void> {
  const bot = await measureInBotProcess('sqlite', file, n, 200);
  console.log(`measured again: sqlite ${n} stories at ${file}, bot RSS ${mb(bot.rssBytes)} (peak ${mb(bot.peakRssBytes)}; ${mb(bot.loadedRssBytes)} with parser data loaded, before any command)`);
  for (const [name, l] of Object.entries(bot.latency)) {
    console.log(`  ${name.padEnd(24)} p50 ${l.p50.toFixed(1)} ms  p99 ${l.p99.toFixed(1)} ms  (first ${l.first.toFixed(0)} ms, ${l.n} runs)`);
  }
}

async function botMain(backend: string, target: string, n: number, runs: number): Promise<void> {
  const index: ArticleIndex = backend === 'postgres' ? await PostgresIndex.open(target) : SqliteIndex.open(target);
  try {
    console.log(JSON.stringify(await measure(index, n, runs)));
  } finally {
    await index.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const run =
    args[0] === '--bot'
      ? botMain(args[1]!, args[2]!, Number(args[3]), Number(args[4]))
      : args[0] === '--measure'
        ? measureOnly(args[1]!, Number(args[2]))
        : benchScale(
          (args[0] ?? '10000').split(',').map(Number),
          200,
          args[1] === 'sqlite' || args[1] === 'postgres' ? args[1] : undefined,
        );
  run.then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
