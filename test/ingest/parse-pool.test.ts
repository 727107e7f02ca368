/**
 * The parse worker pool and the runner's stories in flight: pooled parses equal in-thread ones,
 * commits stay in source order when later parses finish first, a worker that throws, dies or
 * hangs fails only its story, aborts and source failures hold as in a one-at-a-time pass, and a
 * closed pool lets the process exit.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syntheticStory, writeSyntheticFolder } from '../../bench/ingest-corpus.js';
import { archiveStory } from '../../bench/synthetic.js';
import type { ArticleIndex, ArticleInput } from '../../src/index/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { ingestStories, storiesSource } from '../../src/ingest/bulk.js';
import { FolderSource } from '../../src/ingest/folder.js';
import { createParsePool, defaultParseWorkers, resolveParseWorkers, workerExecArgv, type ParsePool } from '../../src/ingest/parse-pool.js';
import { SourcesSchema } from '../../src/ingest/config.js';
import { runIngest, type IngestSummary } from '../../src/ingest/runner.js';
import { startIngestion } from '../../src/ingest/serve.js';
import { stagedStoreInIndex, storeInIndex } from '../../src/ingest/store.js';
import type { Source, SourceItem } from '../../src/ingest/types.js';
import { parseArticle } from '../../src/parse/index.js';
import { capturingLogger } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STAND_IN = new URL('./stand-in-parse-worker.ts', import.meta.url);

let dir: string;
let index: SqliteIndex;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-pool-'));
  index = SqliteIndex.open(path.join(dir, 'index.db'));
});
afterEach(async () => {
  await index.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A story input with a guid, for sources built in the tests. */
const story = (n: number, marker = ''): ArticleInput => ({ text: `${syntheticStory(n)}${marker ? `\n\n${marker}\n` : ''}`, guid: `pool-${n}`, source: 'pool-test' });
const itemsOf = (inputs: ArticleInput[]): SourceItem[] => inputs.map((input) => ({ ok: true, ref: input.guid!, input }));
const listSource = (items: SourceItem[], label = 'list', failAfter?: string): Source => ({
  kind: 'memory',
  label,
  async *items() {
    yield* items;
    if (failAfter) throw new Error(failAfter);
  },
});

/** The index, recording the order of its upserts (by guid). */
function recordingIndex(inner: ArticleIndex): { index: ArticleIndex; upserts: string[]; batches: number[] } {
  const upserts: string[] = [];
  const batches: number[] = [];
  const index = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'upsert') return (input: ArticleInput, parsed: Parameters<ArticleIndex['upsert']>[1]) => (upserts.push(input.guid ?? '?'), target.upsert(input, parsed));
      if (prop === 'upsertMany') {
        return (items: Parameters<ArticleIndex['upsertMany']>[0]) => {
          batches.push(items.length);
          for (const it of items) upserts.push(it.input.guid ?? '?');
          return target.upsertMany(items);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { index, upserts, batches };
}

/** The same counts and lists, timing aside. */
const counts = (s: IngestSummary) => ({ ...s, elapsedMs: 0, storiesPerSecond: 0 });

describe('parse pool', () => {
  let pool: ParsePool;
  beforeAll(() => {
    pool = createParsePool({ workers: 2 });
  });
  afterAll(() => pool.close());

  it('returns parses deep-equal to in-thread parsing (examples, corpus stories, synthetic archive, edge cases)', async () => {
    const examples = fs.readdirSync(path.join(ROOT, 'examples/articles')).map((f) => path.join(ROOT, 'examples/articles', f));
    const corpus = fs
      .readdirSync(path.join(ROOT, 'test/fixtures/corpus'))
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .slice(0, 5)
      .map((f) => path.join(ROOT, 'test/fixtures/corpus', f));
    const texts = [
      ...[...examples, ...corpus].map((f) => fs.readFileSync(f, 'utf8')),
      archiveStory(1).text,
      archiveStory(777).text,
      '',
      'Headline only',
      '“Unbalanced quote, said nobody',
      'x'.repeat(300_000), // truncated with a warning
    ];
    expect(examples.length).toBeGreaterThanOrEqual(4);
    expect(corpus).toHaveLength(5);
    const pooled = await Promise.all(texts.map((t) => pool.parse(t)));
    for (const [i, t] of texts.entries()) expect(pooled[i], `text ${i}`).toStrictEqual(parseArticle(t));
    expect(pooled[0]!.entities.length).toBeGreaterThan(0);
    expect(pooled.at(-1)!.warnings).toEqual(['article truncated to 250000 characters']);
  });

  it('sizes itself from the cores: cores − 1, at least 1; the config default is in-thread on one core', () => {
    expect(defaultParseWorkers(1)).toBe(1);
    expect(defaultParseWorkers(2)).toBe(1);
    expect(defaultParseWorkers(8)).toBe(7);
    expect(resolveParseWorkers(undefined, 1)).toBe(0);
    expect(resolveParseWorkers(undefined, 2)).toBe(1);
    expect(resolveParseWorkers(null, 16)).toBe(15);
    expect(resolveParseWorkers(0, 16)).toBe(0);
    expect(resolveParseWorkers(3, 2)).toBe(3);
    expect(pool.workers).toBe(2);
    expect(pool.capacity).toBe(8); // 4 stories handed to each worker by default
    expect(() => createParsePool({ workers: 0 })).toThrow(/whole number ≥ 1/);
    expect(() => createParsePool({ workers: 1, queuePerWorker: 0 })).toThrow(/queuePerWorker/);
  });

  it('adds the tsx loader to a TypeScript worker only when the parent has none', () => {
    expect(workerExecArgv('/x/parse-worker.js', ['--conditions', 'node'])).toEqual(['--conditions', 'node']);
    expect(workerExecArgv('/x/parse-worker.ts', ['--import', 'tsx'])).toEqual(['--import', 'tsx']);
    const underTsx = ['--require', '/p/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///p/node_modules/tsx/dist/loader.mjs'];
    expect(workerExecArgv('/x/parse-worker.ts', underTsx)).toEqual(underTsx);
    const added = workerExecArgv('/x/parse-worker.ts', ['--conditions', 'node']);
    expect(added.slice(0, 3)).toEqual(['--conditions', 'node', '--import']);
    expect(added[3]).toMatch(/^file:\/\/.*\/tsx\/dist\/loader\.mjs$/);
  });
});

describe('stories in flight (runner + staged store)', () => {
  it('commits in source order although later parses finish first', async () => {
    const pool = createParsePool({ workers: 3, workerModule: STAND_IN });
    try {
      const finished: string[] = [];
      const watched: ParsePool = { ...pool, parse: (t) => pool.parse(t).then((p) => (finished.push(/pool-story-(\d+)/.exec(t)?.[1] ?? '?'), p)) };
      // Story 0 takes 400 ms to parse, story 3 150 ms, the rest a few ms each.
      const inputs = Array.from({ length: 10 }, (_, n) => {
        const s = story(n, n === 0 ? '[[slow-parse:400]]' : n === 3 ? '[[slow-parse:150]]' : '');
        return { ...s, text: `${s.text}\npool-story-${n}\n` };
      });
      const rec = recordingIndex(index);
      const onItem: string[] = [];
      const s = await runIngest(listSource(itemsOf(inputs)), stagedStoreInIndex(rec.index, { pool: watched }), { progress: false, onItem: (ref) => onItem.push(ref) });
      const order = inputs.map((i) => i.guid!);
      expect(finished.indexOf('0')).toBeGreaterThan(finished.indexOf('1')); // later parses did finish first
      expect(finished.indexOf('3')).toBeGreaterThan(finished.indexOf('4'));
      expect(rec.upserts).toEqual(order);
      expect(onItem).toEqual(order);
      expect(s).toMatchObject({ added: 10, total: 10, failed: [] });
    } finally {
      await pool.close();
    }
  });

  it('fails only the story whose worker throws, exits or hangs; stories queued behind it are stored and the pool goes on', async () => {
    // One worker with four stories handed to it at once: stories queued behind one that kills the
    // worker are retried, not lost.
    const pool = createParsePool({ workers: 1, queuePerWorker: 4, workerModule: STAND_IN, timeoutMs: 4000 });
    try {
      // Warm up: the timeout counts from the call, so worker start-up stays out of it.
      await pool.parse('Warm up');
      const inputs = [story(0), story(1, '[[worker-exit]]'), story(2), story(3, '[[worker-throw]]'), story(4), story(6), story(5, '[[worker-hang]]')];
      const rec = recordingIndex(index);
      const s = await runIngest(listSource(itemsOf(inputs)), stagedStoreInIndex(rec.index, { pool }), { progress: false });
      expect(s).toMatchObject({ added: 4, total: 7 });
      expect(s.failed).toEqual([
        { ref: 'pool-1', reason: 'parse failed in a worker thread: worker exited with code: 7' },
        { ref: 'pool-3', reason: 'parse failed in a worker thread: stand-in parser refused this story' },
        { ref: 'pool-5', reason: 'parse took longer than 4 s; its worker was stopped' },
      ]);
      expect(rec.upserts).toEqual(['pool-0', 'pool-2', 'pool-4', 'pool-6']);
      expect(await index.storyCount()).toBe(4);
      // The pool replaced its workers: the next pass parses as before.
      const again = await runIngest(listSource(itemsOf([story(7), story(8)])), stagedStoreInIndex(index, { pool }), { progress: false });
      expect(again).toMatchObject({ added: 2, failed: [] });
      expect(pool.capacity).toBe(4);
    } finally {
      await pool.close();
    }
  });

  it('with no pool and concurrency 1 stores exactly as storeInIndex does (outcomes, reasons, order)', async () => {
    const folder = path.join(dir, 'stories');
    const files = writeSyntheticFolder(folder, 30);
    fs.writeFileSync(files[4]!, Buffer.from([0x89, 0x50, 0x00]));
    fs.writeFileSync(files[9]!, '  \n\n  ');
    const other = SqliteIndex.open(':memory:');
    try {
      const seen: [string, string][] = [];
      const seenStaged: [string, string][] = [];
      const a = await runIngest(new FolderSource(folder), storeInIndex(other), { progress: false, onItem: (r, o) => seen.push([path.basename(r), o]) });
      const staged = stagedStoreInIndex(index);
      expect(staged.concurrency).toBe(1);
      const b = await runIngest(new FolderSource(folder), staged, { progress: false, onItem: (r, o) => seenStaged.push([path.basename(r), o]) });
      expect(counts(b)).toEqual(counts(a));
      expect(seenStaged).toEqual(seen);
      expect(a).toMatchObject({ added: 28, total: 30 });
      expect(a.failed.map((f) => f.reason)).toEqual([expect.stringMatching(/binary/), 'no story text in the file']);
    } finally {
      await other.close();
    }
  });

  it('pooled and in-thread passes give the same summary, failed source items and invalid stories in order', async () => {
    const pool = createParsePool({ workers: 2 });
    try {
      const items: SourceItem[] = [
        ...itemsOf([story(0), story(1)]),
        { ok: false, ref: 'unreadable', reason: 'file not found (deleted?)' },
        ...itemsOf([story(2), { ...story(3), publishedAt: 'last Tuesday' }, { ...story(4), text: '…' }, story(5)]),
      ];
      const other = SqliteIndex.open(':memory:');
      try {
        const refsA: string[] = [];
        const refsB: string[] = [];
        const a = await runIngest(listSource(items), storeInIndex(other), { progress: false, onItem: (r) => refsA.push(r) });
        const b = await runIngest(listSource(items), stagedStoreInIndex(index, { pool }), { progress: false, onItem: (r) => refsB.push(r) });
        expect(counts(b)).toEqual(counts(a));
        expect(refsB).toEqual(refsA);
        expect(b.failed.map((f) => f.ref)).toEqual(['unreadable', 'pool-3', 'pool-4']);
        expect(b.failed[1]!.reason).toBe('publishedAt: expected an ISO 8601 date or date-time');
      } finally {
        await other.close();
      }
    } finally {
      await pool.close();
    }
  });

  it('stores what a failing source yielded before its failure, then records the failure', async () => {
    const pool = createParsePool({ workers: 2 });
    try {
      const logger = capturingLogger();
      const events: string[] = [];
      const s = await runIngest(
        [listSource(itemsOf(Array.from({ length: 8 }, (_, n) => story(n))), 'wire-socket', 'connection reset by peer'), listSource(itemsOf([story(20)]), 'folder')],
        stagedStoreInIndex(index, { pool }),
        { progress: false, logger: { ...logger, warn: (o, m) => (events.push('source failed'), logger.warn(o, m)) }, onItem: (r) => events.push(r) },
      );
      expect(s).toMatchObject({ added: 9, total: 9, sourceErrors: [{ ref: 'wire-socket', reason: 'connection reset by peer' }] });
      expect(events).toEqual([...Array.from({ length: 8 }, (_, n) => `pool-${n}`), 'source failed', 'pool-20']);
      expect(await index.storyCount()).toBe(9);
    } finally {
      await pool.close();
    }
  });

  it('writes the stories parsed ahead in batches, in order; a story the index refuses fails alone', async () => {
    const pool = createParsePool({ workers: 2 });
    try {
      const inputs = Array.from({ length: 30 }, (_, n) => (n === 7 ? { ...story(n), publishedAt: 'not a date at all' } : story(n)));
      const rec = recordingIndex(index);
      // Story 12 passes the checks but the index refuses it (its date is spoilt on the way in).
      const spoiling: ArticleIndex = new Proxy(rec.index, {
        get(target, prop, receiver) {
          if (prop === 'upsertMany') {
            return (items: Parameters<ArticleIndex['upsertMany']>[0]) =>
              target.upsertMany(items.map((it) => (it.input.guid === 'pool-12' ? { ...it, input: { ...it.input, publishedAt: 'spoilt' } } : it)));
          }
          const v = Reflect.get(target, prop, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const onItem: string[] = [];
      const s = await runIngest(listSource(itemsOf(inputs)), stagedStoreInIndex(spoiling, { pool, concurrency: 8 }), { progress: false, onItem: (ref) => onItem.push(ref) });
      expect(onItem).toEqual(inputs.map((i) => i.guid));
      // Story 7 is refused by the checks before any write; the others reach the index in order.
      expect(rec.upserts).toEqual(inputs.map((i) => i.guid).filter((g) => g !== 'pool-7'));
      expect(Math.max(...rec.batches)).toBeGreaterThan(1);
      expect(s.failed.map((f) => f.ref)).toEqual(['pool-7', 'pool-12']);
      expect(s.failed[1]!.reason).toMatch(/publishedAt/);
      expect(s).toMatchObject({ added: 28, total: 30 });
      expect(await index.storyCount()).toBe(28);
    } finally {
      await pool.close();
    }
  });

  it('stops committing after an abort, with stories in flight: nothing after the batch being written is stored or counted', async () => {
    const pool = createParsePool({ workers: 2 });
    try {
      const ac = new AbortController();
      const rec = recordingIndex(index);
      const order = Array.from({ length: 40 }, (_, n) => story(n));
      const s = await runIngest(listSource(itemsOf(order)), stagedStoreInIndex(rec.index, { pool, concurrency: 8 }), {
        progress: false,
        signal: ac.signal,
        onItem: (ref) => {
          if (ref === 'pool-4') ac.abort();
        },
      });
      // The batch holding pool-4 was already being written; nothing after it.
      expect(rec.upserts).toEqual(order.slice(0, rec.upserts.length).map((i) => i.guid));
      expect(rec.upserts).toContain('pool-4');
      expect(rec.upserts.length).toBeLessThanOrEqual(4 + 8);
      expect(s).toMatchObject({ added: rec.upserts.length, total: rec.upserts.length });
      expect(await index.storyCount()).toBe(rec.upserts.length);
    } finally {
      await pool.close();
    }
  });

  it('stops right after the story being written when stories are written one at a time (batch 1)', async () => {
    const pool = createParsePool({ workers: 2 });
    try {
      const ac = new AbortController();
      const rec = recordingIndex(index);
      const s = await runIngest(listSource(itemsOf(Array.from({ length: 40 }, (_, n) => story(n)))), stagedStoreInIndex(rec.index, { pool, concurrency: 8, batch: 1 }), {
        progress: false,
        signal: ac.signal,
        onItem: (ref) => {
          if (ref === 'pool-4') ac.abort();
        },
      });
      expect(s).toMatchObject({ added: 5, total: 5 });
      expect(rec.upserts).toEqual(['pool-0', 'pool-1', 'pool-2', 'pool-3', 'pool-4']);
      expect(await index.storyCount()).toBe(5);
    } finally {
      await pool.close();
    }
  });
});

describe('ingestStories (bulk path for benchmarks and importers)', () => {
  it('stores an archive through the pool in order, calling beforeCommit in order', async () => {
    const inputs = Array.from({ length: 60 }, (_, n) => archiveStory(n));
    const before: string[] = [];
    const done: number[] = [];
    const s = await ingestStories(index, inputs, { parseWorkers: 2, beforeCommit: (input) => before.push(input.guid!), onItem: () => done.push(done.length) });
    expect(s).toMatchObject({ added: 60, total: 60, failed: [] });
    expect(before).toEqual(inputs.map((i) => i.guid));
    expect(await index.storyCount()).toBe(60);
    // The pooled archive equals the in-thread one: same stories, same revision, same parse.
    const other = SqliteIndex.open(':memory:');
    try {
      const t = await ingestStories(other, (async function* () {
        yield* inputs;
      })(), { parseWorkers: 0 });
      expect(counts(t)).toEqual(counts(s));
      const a = (await index.search('petition', 5)).map((h) => [h.title, h.storyId]);
      const b = (await other.search('petition', 5)).map((h) => [h.title, h.storyId]);
      expect(a.map((x) => x[0])).toEqual(b.map((x) => x[0]));
      expect(a.length).toBe(5);
    } finally {
      await other.close();
    }
  });

  it('names stories by guid, URL or position, and stops at an abort', async () => {
    const src = storiesSource([{ text: 'A', guid: 'g', source: 's' }, { text: 'B', url: 'https://news.example/b', source: 's' }, { text: 'C', source: 's' }], 'mem');
    const refs: string[] = [];
    for await (const item of src.items()) refs.push(item.ref);
    expect(refs).toEqual(['g', 'https://news.example/b', 'mem#3']);
    expect(await src.estimate!()).toBe(3);
    const ac = new AbortController();
    ac.abort();
    expect(await ingestStories(index, [archiveStory(1)], { parseWorkers: 0, signal: ac.signal })).toMatchObject({ total: 0 });
  });
});

describe('shutdown', () => {
  it('a closed pool refuses work, and a process that used one exits by itself', async () => {
    const pool = createParsePool({ workers: 1 });
    const text = 'Harbour reopens\n\nLONDON — The mayor said the harbour would reopen on Monday.';
    expect(await pool.parse(text)).toStrictEqual(parseArticle(text));
    await pool.close();
    await pool.close(); // idempotent
    await expect(pool.parse('x')).rejects.toThrow('the parse pool is closed');

    const script = path.join(dir, 'use-pool.mts');
    const bulk = pathToFileURL(path.join(ROOT, 'src/ingest/bulk.ts')).href;
    const sqlite = pathToFileURL(path.join(ROOT, 'src/index/sqlite.ts')).href;
    fs.writeFileSync(
      script,
      `import { ingestStories } from '${bulk}';\nimport { SqliteIndex } from '${sqlite}';\n` +
        `const index = SqliteIndex.open(':memory:');\n` +
        `const s = await ingestStories(index, [{ text: 'Dock strike ends\\n\\nThe union said on Monday the strike was over.', guid: 'a', source: 't' }], { parseWorkers: 2 });\n` +
        `await index.close();\nconsole.log(JSON.stringify({ added: s.added, failed: s.failed.length }));\n`,
    );
    const started = Date.now();
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, timeout: 20_000 });
    expect(JSON.parse(r.stdout)).toEqual({ added: 1, failed: 0 });
    expect(r.stderr).toBe('');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('cli ingest --parse-workers', () => {
  it('stores a folder with a pool and in-thread alike, lines in the same order; a bad count is a usage error', async () => {
    const folder = path.join(dir, 'stories');
    writeSyntheticFolder(folder, 80);
    const run = async (db: string, ...args: string[]) => {
      fs.writeFileSync(path.join(dir, `${db}.json`), JSON.stringify({ database: { path: path.join(dir, `${db}.sqlite`) } }));
      const env = { ...process.env, NEWSROOM_CONFIG: path.join(dir, `${db}.json`) };
      try {
        const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'ingest', ...args], { cwd: ROOT, env });
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    };
    const pooled = await run('pooled', '--parse-workers', '2', folder);
    const inThread = await run('in-thread', '--parse-workers', '0', folder);
    expect(pooled).toMatchObject({ code: 0, stderr: '' });
    expect(inThread).toMatchObject({ code: 0, stderr: '' });
    const lines = (out: string) => out.split('\n').filter((l) => l.startsWith('added'));
    expect(lines(pooled.stdout)).toHaveLength(80);
    expect(lines(pooled.stdout)).toEqual(lines(inThread.stdout));
    expect(pooled.stdout).toMatch(/80 added, 0 updated, 0 unchanged, 0 failed\n(?: {2}.*\n)*80 stories in /);
    const bad = await run('bad', '--parse-workers', 'many', folder);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--parse-workers N');
  }, 60_000);
});

describe('serve-mode ingest with the pool', () => {
  it('backfills and then ingests a watched folder\'s new files through the pool; sources.parseWorkers is checked', async () => {
    expect(SourcesSchema.parse({}).parseWorkers).toBeUndefined();
    expect(SourcesSchema.parse({ parseWorkers: 0 }).parseWorkers).toBe(0);
    expect(SourcesSchema.safeParse({ parseWorkers: -1 }).success).toBe(false);
    expect(SourcesSchema.safeParse({ parseWorkers: 1.5 }).success).toBe(false);
    const folder = path.join(dir, 'watched');
    writeSyntheticFolder(folder, 25);
    const config = SourcesSchema.parse({ folders: [folder], watchIntervalSeconds: 0.5, parseWorkers: 2 });
    const pool = createParsePool({ workers: resolveParseWorkers(config.parseWorkers) });
    const parsed: string[] = [];
    const watched: ParsePool = { ...pool, parse: (t) => pool.parse(t).then((p) => (parsed.push(t), p)) };
    const handle = startIngestion(config, stagedStoreInIndex(index, { pool: watched }));
    try {
      expect(await handle.backfill).toMatchObject({ added: 25, total: 25, failed: [] });
      fs.writeFileSync(path.join(folder, 'late.txt'), 'Ferry fares frozen\n\nWESTHAVEN — The ferry operator froze fares for a year on Tuesday, its chief executive said.');
      const t0 = Date.now();
      while ((await index.storyCount()) < 26 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
      expect(await index.storyCount()).toBe(26);
      expect(parsed).toHaveLength(26);
      expect(parsed.at(-1)).toContain('Ferry fares frozen');
    } finally {
      await handle.stop();
      await pool.close();
    }
  });
});
