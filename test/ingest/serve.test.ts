/** Serve-mode ingestion: config schema, start-up backfill, folder watching, feed polling on an interval. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { SourcesSchema } from '../../src/ingest/config.js';
import { FeedSource } from '../../src/ingest/feed.js';
import { checkUrl, fetchUrl } from '../../src/ingest/fetch.js';
import { SourcePoller } from '../../src/ingest/poller.js';
import { startIngestion } from '../../src/ingest/serve.js';
import { storeInIndex } from '../../src/ingest/store.js';
import { capturingLogger, fixture } from './helpers.js';
import { LOCAL_FETCH, conditional, send, startServer, type TestServer } from './server.js';

let server: TestServer;
let dir: string;
let index: SqliteIndex;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-serve-'));
  index = SqliteIndex.open(':memory:');
});
afterEach(async () => {
  await index.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sources config', () => {
  it('has defaults, accepts feed URLs or objects, and rejects bad values with their path', () => {
    expect(SourcesSchema.parse({})).toMatchObject({ folders: [], feeds: [], pages: [], watchFolders: true, feedIntervalSeconds: 300, fetchTimeoutSeconds: 15 });
    expect(SourcesSchema.parse({ feeds: ['https://a.example/rss', { url: 'http://b.example/atom', intervalSeconds: 60, fullText: 'never' }] }).feeds).toEqual([
      { url: 'https://a.example/rss' },
      { url: 'http://b.example/atom', intervalSeconds: 60, fullText: 'never' },
    ]);
    const bad = SourcesSchema.safeParse({ feeds: ['file:///etc/passwd'], pages: ['https://u:p@x.example/'], feedIntervalSeconds: 0.5, foldrs: [] });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['feeds.0', 'pages.0', 'feedIntervalSeconds', '']));
  });
});

describe('startIngestion', () => {
  it('backfills folders, watches them, and polls feeds at once and then on their interval', async () => {
    const folder = path.join(dir, 'stories');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'one.txt'), 'Bridge vote delayed\n\nWESTHAVEN — The council delayed its bridge vote by a week on Monday.');
    server.route('/serve/feed.xml', send(fs.readFileSync(fixture('feed-cdata.xml')), 'application/rss+xml'));
    const config = SourcesSchema.parse({ folders: [folder], watchIntervalSeconds: 0.5, feeds: [{ url: `${server.url}/serve/feed.xml`, fullText: 'never' }] });
    const logger = capturingLogger();
    const handle = startIngestion(config, storeInIndex(index), { logger, allow: LOCAL_FETCH.allow });
    try {
      const backfill = await handle.backfill;
      expect(backfill).toMatchObject({ added: 1, total: 1 });
      await waitFor(() => handle.pollers[0]!.polls >= 1);
      expect(handle.pollers[0]!.last).toMatchObject({ added: 5 });
      expect(await index.storyCount()).toBe(6);
      fs.writeFileSync(path.join(folder, 'two.md'), '# Ferry fares frozen\n\nThe ferry operator froze fares for a year on Tuesday.');
      await waitFor(async () => (await index.storyCount()) === 7);
      expect((await index.search('fares frozen')).map((h) => h.title)).toEqual(['Ferry fares frozen']);
    } finally {
      await handle.stop();
    }
  });
});

describe('SourcePoller', () => {
  it('polls on its interval with conditional GETs and never overlaps polls', async () => {
    server.route(
      '/serve/cond.xml',
      conditional(() => ({ body: fs.readFileSync(fixture('atom.xml')), etag: '"a1"', lastModified: 'Wed, 06 Mar 2024 08:00:00 GMT' }), 'application/atom+xml'),
    );
    const poller = new SourcePoller(new FeedSource(`${server.url}/serve/cond.xml`, { fullText: 'never', fetch: LOCAL_FETCH }), storeInIndex(index), { intervalMs: 30 });
    const before = server.requests.filter((r) => r.path === '/serve/cond.xml').length;
    poller.start();
    await waitFor(() => poller.polls >= 4);
    await poller.stop();
    const reqs = server.requests.filter((r) => r.path === '/serve/cond.xml').slice(before);
    expect(reqs[0]!.headers['if-none-match']).toBeUndefined();
    expect(reqs.slice(1).every((r) => r.headers['if-none-match'] === '"a1"')).toBe(true);
    expect(await index.storyCount()).toBe(2);
    const [a, b] = await Promise.all([poller.pollNow(), poller.pollNow()]);
    expect(a).toBe(b); // a second call joins the poll in progress
  });
});

describe('fetch limits', () => {
  it('checks every redirect hop and caps redirects', async () => {
    server.route('/r/to-file', (_req, res) => {
      res.writeHead(301, { location: 'file:///etc/hosts' });
      res.end();
    });
    server.route('/r/loop', (_req, res) => {
      res.writeHead(302, { location: '/r/loop' });
      res.end();
    });
    await expect(fetchUrl(`${server.url}/r/to-file`, LOCAL_FETCH)).rejects.toThrow(/only http and https/);
    await expect(fetchUrl(`${server.url}/r/loop`, { ...LOCAL_FETCH, maxRedirects: 3 })).rejects.toThrow(/more than 3 redirects/);
    expect(() => checkUrl('http://user:pw@127.0.0.1/')).toThrow(/credentials/);
    expect(() => checkUrl('not a url')).toThrow(/not a valid URL/);
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    await expect(fetchUrl(`${url}/`, LOCAL_FETCH)).rejects.toThrow(/ECONNREFUSED/);
  });
});
