/**
 * Limits on external input, each with a clear error (issue 7): feed size and page size (the
 * config's `sources.maxFetchMegabytes`, through `startIngestion` as `npm start` runs it), results
 * per reply (`display.searchResults` / `quotesPerPage`, capped by the schema), and the command
 * argument length and page number (the core's request schema). Loopback only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigFile } from '../../src/config/index.js';
import { createCore } from '../../src/core/index.js';
import type { BotCore, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { FeedSource } from '../../src/ingest/feed.js';
import { FolderSource } from '../../src/ingest/folder.js';
import { runIngest } from '../../src/ingest/runner.js';
import { startIngestion } from '../../src/ingest/serve.js';
import { storeInIndex } from '../../src/ingest/store.js';
import { SourcesSchema } from '../../src/ingest/config.js';
import { send, startServer, type TestServer } from '../ingest/server.js';

let server: TestServer;
let dir: string;
const ALLOW = ['127.0.0.1'];
const paragraph = 'The port authority said on Thursday that container traffic rose for a third month as the new crane came into service. ';

beforeAll(async () => {
  server = await startServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-'));
  const items = Array.from({ length: 400 }, (_, i) => `<item><title>Port item ${i}</title><guid>p${i}</guid><description>${paragraph.repeat(3)}</description></item>`).join('');
  server.route('/big-feed.xml', send(`<?xml version="1.0"?><rss version="2.0"><channel><title>Port</title><link>http://127.0.0.1/</link><description>d</description>${items}</channel></rss>`, 'application/rss+xml'));
  server.route('/small-feed.xml', send(`<?xml version="1.0"?><rss version="2.0"><channel><title>Port</title><link>http://127.0.0.1/</link><description>d</description><item><title>Crane</title><guid>c1</guid><description>${paragraph}</description></item></channel></rss>`, 'application/rss+xml'));
  server.route('/big-page', send(`<html><body><article><h1>Port</h1>${`<p>${paragraph}</p>`.repeat(1200)}</article></body></html>`, 'text/html'));
  server.route('/small-page', send(`<html><body><article><h1>Crane in service</h1><p>${paragraph}</p></article></body></html>`, 'text/html'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('feed and page size (sources.maxFetchMegabytes)', () => {
  it('a feed over the limit fails its poll with the size in the reason; a small one is stored', async () => {
    const index = SqliteIndex.open(':memory:');
    const store = storeInIndex(index);
    const limit = Math.round(0.1 * 1024 * 1024);
    const over = await runIngest(new FeedSource(`${server.url}/big-feed.xml`, { fullText: 'never', fetch: { allow: ALLOW, maxBytes: limit } }), store, { progress: false });
    expect(over.added).toBe(0);
    expect(over.sourceErrors).toHaveLength(1);
    expect(over.sourceErrors[0]!.reason).toMatch(/big-feed\.xml: too large \((over the limit of 0\.1 MiB|[\d.]+ [KM]iB; the limit is 0\.1 MiB)\)/);
    const ok = await runIngest(new FeedSource(`${server.url}/small-feed.xml`, { fullText: 'never', fetch: { allow: ALLOW, maxBytes: limit } }), store, { progress: false });
    expect(ok.added).toBe(1);
    expect(await index.storyCount()).toBe(1);
    await index.close();
  });

  it('a configured page over the limit is reported at start-up; the other page is stored', async () => {
    const index = SqliteIndex.open(':memory:');
    const config = SourcesSchema.parse({ pages: [`${server.url}/big-page`, `${server.url}/small-page`], maxFetchMegabytes: 0.1 });
    const handle = startIngestion(config, storeInIndex(index), { watch: false, allow: ALLOW });
    const summary = await handle.backfill;
    await handle.stop();
    expect(summary.added).toBe(1);
    expect(summary.sourceErrors.map((e) => e.reason)).toEqual([expect.stringMatching(/big-page: too large \((over the limit of 0\.1 MiB|[\d.]+ [KM]iB; the limit is 0\.1 MiB)\)/)]);
    await index.close();
  });

  it('the limit itself is bounded in the config (0.1 to 100 MiB)', () => {
    expect(() => parseConfigFile({ sources: { maxFetchMegabytes: 500 } })).toThrow(/sources\.maxFetchMegabytes/);
    expect(() => parseConfigFile({ sources: { maxFetchMegabytes: 0 } })).toThrow(/sources\.maxFetchMegabytes/);
  });
});

describe('results per reply and command arguments', () => {
  let index: SqliteIndex;
  let core: BotCore;
  const ask = (command: 'search' | 'who', args: string, page?: number): Promise<Reply> =>
    core.handle({ command, args, platform: 'slack', userId: 'U1', ...(page ? { page } : {}) });

  beforeAll(async () => {
    const folder = path.join(dir, 'stories');
    fs.mkdirSync(folder);
    for (let i = 1; i <= 12; i++) {
      fs.writeFileSync(path.join(folder, `crane-${i}.txt`), `Crane number ${i} enters service at the harbour\n\nThe harbour board said on Monday that crane number ${i} had lifted its first containers. ${paragraph}\n`);
    }
    index = SqliteIndex.open(':memory:');
    const s = await runIngest(new FolderSource(folder), storeInIndex(index), { progress: false });
    expect(s.added).toBe(12);
    core = createCore({ index, config: { display: { searchResults: 5 } } });
  });
  afterAll(async () => index.close());

  it('a search matching 12 stories shows 5 per reply, then the rest page by page', async () => {
    const citations = (r: Reply) => r.blocks.filter((b) => 'citation' in b && b.citation).length;
    const p1 = await ask('search', 'crane harbour');
    expect(p1.status).toBe('answer');
    expect(citations(p1)).toBe(5);
    expect(JSON.stringify(p1.blocks)).toContain('Results 1–5');
    const p3 = await ask('search', 'crane harbour', 3);
    expect(citations(p3)).toBe(2);
    expect(JSON.stringify(p3.blocks)).toContain('Results 11–12');
    const p4 = await ask('search', 'crane harbour', 4);
    expect(p4.status).toBe('notFound');
    expect(p4.title).toBe('No more results for “crane harbour”');
  });

  it('results per reply cannot be configured above 25', () => {
    expect(() => parseConfigFile({ display: { searchResults: 26 } })).toThrow(/display\.searchResults/);
    expect(() => parseConfigFile({ display: { quotesPerPage: 1000 } })).toThrow(/display\.quotesPerPage/);
  });

  it('an over-long argument and an absurd page number get clear errors', async () => {
    const long = await ask('search', 'crane '.repeat(50));
    expect(long.status).toBe('error');
    expect(long.title).toBe('Argument too long');
    expect(JSON.stringify(long.blocks)).toContain('the limit is 200');
    const page = await ask('search', 'crane', 1e9);
    expect(page.status).toBe('error');
    expect(JSON.stringify(page)).toMatch(/the page must be at most \d+/);
  });
});
