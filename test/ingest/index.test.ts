/**
 * Sources wired to the real SQLite index: embargo, corrections as revisions, dedup by guid/URL,
 * failures that lose nothing, and the 10,000-story folder backfill with progress bar and summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syntheticStory, writeSyntheticFolder } from '../../bench/ingest-corpus.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { FeedSource } from '../../src/ingest/feed.js';
import { FolderSource } from '../../src/ingest/folder.js';
import { SourcePoller } from '../../src/ingest/poller.js';
import { sourceForArgument } from '../../src/ingest/resolve.js';
import { formatSummary, runIngest, type ProgressStream } from '../../src/ingest/runner.js';
import { storeInIndex } from '../../src/ingest/store.js';
import type { Source, SourceItem } from '../../src/ingest/types.js';
import { capturingLogger, fixture } from './helpers.js';
import { LOCAL_FETCH, send, startServer, type TestServer } from './server.js';

let server: TestServer;
let dir: string;
let index: SqliteIndex;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-index-'));
  index = SqliteIndex.open(path.join(dir, 'index.db'));
});
afterEach(async () => {
  await index.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, content: string | Uint8Array) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
};

const ninjs = (uri: string, body: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ uri, type: 'text', headline: 'Dock strike ends after pay deal', versioncreated: '2024-03-05T06:00:00Z', body_text: body, ...extra });

describe('embargo', () => {
  it('stores an embargoed wire story but surfaces it only once the embargo lifts', async () => {
    const file = write('wire/batch.json', fs.readFileSync(fixture('wire-batch.json')));
    const summary = await runIngest(await sourceForArgument(file), storeInIndex(index), { progress: false });
    expect(summary).toMatchObject({ added: 2, updated: 0, unchanged: 0, total: 5 });
    expect(summary.failed).toHaveLength(3);
    expect(await index.storyCount()).toBe(2);

    const now = new Date('2024-03-07T00:00:00Z');
    expect((await index.latestStory(now))?.title).toBe('Shares close higher on bank results');
    expect((await index.search('budget')).map((h) => h.title)).not.toContain('Finance minister to unveil record budget');
    expect((await index.storiesSince(new Date('2000-01-01'))).map((s) => s.title)).toEqual(['Shares close higher on bank results']);
    // Once the embargo has lifted the story is surfaced like any other.
    const later = { now: new Date('2099-01-02T00:00:00Z') };
    const hits = await index.search('budget', 5, later);
    expect(hits.map((h) => h.title)).toEqual(['Finance minister to unveil record budget']);
    const story = (await index.getStory(hits[0]!.storyId))!;
    expect(story.embargoUntil).toBe('2099-01-01T00:00:00.000Z');
  });
});

describe('corrections and dedup', () => {
  it('stores a corrected wire story as a new revision; the latest wins; unchanged re-ingest is a no-op', async () => {
    const file = write('wire/story.json', ninjs('urn:wire:dock-1', 'Dock workers accepted a pay rise of 4 percent on Monday, the union said.'));
    const store = storeInIndex(index);
    const first = await runIngest(await sourceForArgument(file), store, { progress: false });
    expect(first).toMatchObject({ added: 1, total: 1 });
    const again = await runIngest(await sourceForArgument(file), store, { progress: false });
    expect(again).toMatchObject({ added: 0, unchanged: 1, total: 1 });

    write('wire/story.json', ninjs('urn:wire:dock-1', 'Dock workers accepted a pay rise of 6 percent on Monday, the union said.', { versioncreated: '2024-03-05T09:00:00Z', version: '2' }));
    const corrected = await runIngest(await sourceForArgument(file), store, { progress: false });
    expect(corrected).toMatchObject({ added: 0, updated: 1, total: 1 });
    expect(await index.storyCount()).toBe(1);
    const story = (await index.latestStory(new Date('2030-01-01')))!;
    expect(story.revision).toBe(2);
    expect(story.text).toContain('6 percent');
    expect(story.text).not.toContain('4 percent');
    expect(story.updatedAt).toBe('2024-03-05T09:00:00.000Z');
  });

  it('treats a feed item with an empty guid by its link, and a corrected feed item as a revision', async () => {
    let body = 'The ferry to the islands was cancelled on Tuesday because of high winds, the operator said. Services resume on Wednesday.';
    server.route('/feeds/corr.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>
        <item><title>Ferry cancelled</title><link>https://ledger.example/ferry</link><guid></guid><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate><description>${body}</description></item>
        <item><title>No guid, no link</title><description>A brief with neither guid nor link is identified by its text.</description></item>
      </channel></rss>`);
    });
    const src = new FeedSource(`${server.url}/feeds/corr.xml`, { fullText: 'never', fetch: LOCAL_FETCH });
    const store = storeInIndex(index);
    expect(await runIngest(src, store, { progress: false })).toMatchObject({ added: 2 });
    expect(await runIngest(src, store, { progress: false })).toMatchObject({ unchanged: 2 });
    body = body.replace('Wednesday', 'Thursday');
    expect(await runIngest(src, store, { progress: false })).toMatchObject({ updated: 1, unchanged: 1 });
    expect(await index.storyCount()).toBe(2);
    const hits = await index.search('ferry');
    expect(hits).toHaveLength(1);
    const story = (await index.getStory(hits[0]!.storyId))!;
    expect(story).toMatchObject({ revision: 2, url: 'https://ledger.example/ferry' });
    expect(story.text).toContain('Services resume on Thursday');
  });
});

describe('failures lose nothing already indexed', () => {
  it('keeps earlier stories and the first half when a source fails half-way', async () => {
    const store = storeInIndex(index);
    writeSyntheticFolder(path.join(dir, 'earlier'), 20);
    expect(await runIngest(new FolderSource(path.join(dir, 'earlier')), store, { progress: false })).toMatchObject({ added: 20 });

    // A wire source that delivers 10 stories, then its connection drops.
    const failing: Source = {
      kind: 'folder',
      label: 'wire-socket',
      async *items(): AsyncIterable<SourceItem> {
        for (let i = 100; i < 110; i++) yield { ok: true, ref: `wire-${i}`, input: { text: syntheticStory(i), guid: `wire-${i}`, source: 'wire' } };
        throw new Error('connection reset by peer');
      },
    };
    const logger = capturingLogger();
    const s = await runIngest([failing, new FolderSource(path.join(dir, 'earlier'))], store, { progress: false, logger });
    expect(s).toMatchObject({ added: 10, unchanged: 20, total: 30 });
    expect(s.sourceErrors).toEqual([{ ref: 'wire-socket', reason: 'connection reset by peer' }]);
    expect(formatSummary(s)).toContain('failed: source wire-socket: connection reset by peer');
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
    expect(await index.storyCount()).toBe(30);
  });

  it('keeps what was stored when files vanish mid-pass and when a feed connection drops mid-body', async () => {
    const store = storeInIndex(index);
    const folder = path.join(dir, 'stories');
    const files = writeSyntheticFolder(folder, 40);
    let n = 0;
    const s = await runIngest(new FolderSource(folder), store, {
      progress: false,
      onItem: () => {
        if (++n === 20) for (const f of files.slice(25)) fs.rmSync(f); // the folder is emptied half-way
      },
    });
    expect(s).toMatchObject({ added: 25, total: 40 });
    expect(s.failed).toHaveLength(15);
    expect(new Set(s.failed.map((f) => f.reason))).toEqual(new Set(['file not found (deleted?)']));
    expect(await index.storyCount()).toBe(25);

    server.route('/feeds/cut.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': '100000' });
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>One</title><description>');
      setTimeout(() => res.destroy(), 20);
    });
    const cut = await runIngest(new FeedSource(`${server.url}/feeds/cut.xml`, { fetch: LOCAL_FETCH }), store, { progress: false });
    expect(cut.total).toBe(0);
    expect(cut.sourceErrors).toHaveLength(1);
    expect(await index.storyCount()).toBe(25);
  });

  it('polls a feed that is malformed once: logged, skipped, the next poll stores its stories', async () => {
    let broken = true;
    server.route('/feeds/poll.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(fs.readFileSync(fixture(broken ? 'malformed.xml' : 'feed-cdata.xml')));
    });
    const logger = capturingLogger();
    const poller = new SourcePoller(new FeedSource(`${server.url}/feeds/poll.xml`, { fullText: 'never', logger, fetch: LOCAL_FETCH }), storeInIndex(index), { intervalMs: 60_000, logger });
    const bad = await poller.pollNow();
    expect(bad.sourceErrors[0]!.reason).toMatch(/^malformed feed/);
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg?.includes('poll failed'))).toBe(true);
    broken = false;
    const good = await poller.pollNow();
    expect(good).toMatchObject({ added: 5, total: 5 });
    expect(good.sourceErrors).toEqual([]);
    expect(await index.storyCount()).toBe(5);
    await poller.stop();
  });
});

describe('page and feed URLs from the command line', () => {
  it('sniffs a URL as a page or a feed', async () => {
    server.route('/p', send(fs.readFileSync(fixture('page-comments.html')), 'text/html'));
    server.route('/f', send(fs.readFileSync(fixture('atom.xml')), 'text/xml'));
    const store = storeInIndex(index);
    expect(await runIngest(await sourceForArgument(`${server.url}/p`, { fetch: LOCAL_FETCH }), store, { progress: false })).toMatchObject({ added: 1 });
    expect(await runIngest(await sourceForArgument(`${server.url}/f`, { fullText: 'never', fetch: LOCAL_FETCH }), store, { progress: false })).toMatchObject({ added: 2 });
    expect((await index.search('pilots')).map((h) => h.title)).toEqual(['Harbour pilots end strike after nine days']);
    await expect(sourceForArgument('ftp://example.org/feed')).rejects.toThrow(/only http and https/);
    await expect(sourceForArgument(path.join(dir, 'missing'))).rejects.toThrow(/no such file or folder/);
  });
});

/** A fake terminal: collects what cli-progress draws. */
function fakeTty(): ProgressStream & { output: string } {
  const stream = new Writable({
    write(chunk, _enc, cb) {
      stream.output += chunk.toString();
      cb();
    },
  }) as unknown as ProgressStream & { output: string; cursorTo: unknown; clearLine: unknown; moveCursor: unknown };
  stream.output = '';
  stream.isTTY = true;
  stream.columns = 120;
  return stream;
}

describe('backfill of a 10,000-story folder', () => {
  it(
    'completes with a progress bar and a correct summary, then re-ingests as unchanged',
    async () => {
      const folder = path.join(dir, 'archive');
      const files = writeSyntheticFolder(folder, 10_000);
      // In memory: this test checks counts and the progress bar; bench/ingest.ts measures speed on disk.
      await index.close();
      index = SqliteIndex.open(':memory:');
      const store = storeInIndex(index);
      const tty = fakeTty();
      const first = await runIngest(new FolderSource(folder), store, { progress: tty });
      expect(first).toMatchObject({ added: 10_000, updated: 0, unchanged: 0, total: 10_000 });
      expect(first.failed).toEqual([]);
      expect(first.sourceErrors).toEqual([]);
      expect(tty.output).toContain('10000/10000 stories');
      expect(tty.output).toMatch(/ingest \[[█░]+\] 100%/);
      expect(await index.storyCount()).toBe(10_000);

      // Correct 10 stories, break 3 files, add 2 new ones: the summary says exactly that.
      for (const i of [5, 500, 1234, 2048, 3333, 4096, 5555, 7000, 8191, 9999]) fs.writeFileSync(files[i]!, syntheticStory(i, 1));
      for (const i of [42, 4242, 9000]) fs.writeFileSync(files[i]!, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]));
      writeFileIn(folder, 'zz-new/one.txt', syntheticStory(20_001));
      writeFileIn(folder, 'zz-new/two.md', `# Extra story\n\n${syntheticStory(20_002).split('\n\n').slice(1).join('\n\n')}`);
      const second = await runIngest(new FolderSource(folder), store, { progress: false });
      expect(second).toMatchObject({ added: 2, updated: 10, unchanged: 10_000 - 13, total: 10_002 });
      expect(second.failed.map((f) => path.basename(f.ref))).toEqual(['story-00042.txt', 'story-04242.txt', 'story-09000.txt']);
      expect(await index.storyCount()).toBe(10_002);
      const text = formatSummary(second);
      expect(text).toMatch(/^ingested 9999 stories in [\d.]+ s \((\d+|\d\.\d)\/s\): 2 added, 10 updated, 9987 unchanged, 3 failed/);
      expect(text).toContain('story-04242.txt: looks like a binary file');
    },
    600_000,
  );
});

function writeFileIn(root: string, rel: string, content: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
}
