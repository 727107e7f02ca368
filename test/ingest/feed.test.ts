import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFileSource, FeedSource, parseFeed, repairFeedXml } from '../../src/ingest/feed.js';
import { capturingLogger, collect, fixture, MOJIBAKE, okInputs } from './helpers.js';
import { LOCAL_FETCH, conditional, send, startServer, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.route('/feeds/ledger.xml', send(fs.readFileSync(fixture('feed-cdata.xml')), 'application/rss+xml; charset=utf-8'));
  // ISO-8859-1 declared only in the XML declaration, then only in the HTTP header.
  server.route('/feeds/journal.xml', send(fs.readFileSync(fixture('feed-latin1.xml')), 'application/rss+xml'));
  server.route(
    '/feeds/journal-header.xml',
    send(fs.readFileSync(fixture('feed-latin1.xml')).toString('latin1').replace(' encoding="ISO-8859-1"', ''), 'text/xml; charset=iso-8859-1'),
  );
  server.route('/feeds/atom.xml', send(fs.readFileSync(fixture('atom.xml')), 'application/atom+xml'));
  server.route('/feeds/hang.xml', () => {
    // Never answers: the client's timeout must fire.
  });
});
afterAll(() => server.close());

describe('an RSS 2.0 feed with CDATA, escaped HTML, HTML entities, odd dates and empty guids', () => {
  it('yields every item, decoded, with no item dropped', async () => {
    const src = new FeedSource(`${server.url}/feeds/ledger.xml`, { fullText: 'never', fetch: LOCAL_FETCH });
    const inputs = okInputs(await collect(src));
    expect(inputs.map((i) => i.title)).toEqual([
      'Council backs new bridge & ferry plan',
      'Fishing fleet warns of quota cuts',
      'Café owners protest parking fees',
      'Lifeboat crew rescues two sailors',
      'Museum reopens after roof repairs',
    ]);
    for (const i of inputs) {
      expect(i.text).not.toMatch(/<\/?[a-z]+>|&[a-z]+;|&#\d+;/i);
      expect(i.text).not.toMatch(MOJIBAKE);
      expect(i.source).toBe(src.url);
    }
    const [bridge, quota, cafe, lifeboat, museum] = inputs;
    // CDATA content:encoded with HTML entities inside.
    expect(bridge!.text).toBe(
      [
        'Council backs new bridge & ferry plan',
        'WESTHAVEN — The town council voted 9 to 2 on Tuesday to build a road bridge to the islands, ending a debate that has run for more than a decade.',
        'The bridge will cost €84 million and is due to open in 2029. Ferry services will continue until then, the council said.',
        '“This is the most important decision this council has taken in a generation,” said Mayor Hanne Solberg.',
        'Opponents said the money would be better spent on the hospital & on schools.',
      ].join('\n\n'),
    );
    expect(bridge).toMatchObject({ guid: 'ledger-2024-0301', byline: 'Ines Marlowe', url: 'https://ledger.example/news/bridge-plan', publishedAt: '2024-03-05T19:30:00.000Z' });
    // Escaped HTML (double-escaped entities) in description; RSS author "email (Name)".
    expect(quota!.text).toContain('NORTH BAY — The fishing fleet’s association warned on Tuesday');
    expect(quota!.text).toContain('Regulators said the figures were "provisional"');
    expect(quota).toMatchObject({ guid: null, byline: 'Pol Arenas', publishedAt: '2024-03-05T07:15:00.000Z' });
    // <guid isPermaLink="false"/> is empty too; a US date with a generic zone.
    expect(cafe).toMatchObject({ guid: null, publishedAt: '2024-03-05T19:30:00.000Z' });
    expect(cafe!.text).toContain('new parking fees of €3 an hour');
    expect(lifeboat).toMatchObject({ guid: 'https://ledger.example/news/lifeboat', publishedAt: '2024-03-05T16:45:00.000Z' });
    // An unreadable date keeps the item, without a date.
    expect(museum).toMatchObject({ guid: 'ledger-2024-0305', publishedAt: null });
  });

  it('logs the unreadable date', async () => {
    const logger = capturingLogger();
    await collect(new FeedSource(`${server.url}/feeds/ledger.xml`, { fullText: 'never', logger, fetch: LOCAL_FETCH }));
    expect(logger.lines.some((l) => l.level === 'warn' && JSON.stringify(l.obj).includes('the afternoon of Tuesday'))).toBe(true);
  });
});

describe('an ISO-8859-1 feed', () => {
  for (const route of ['/feeds/journal.xml', '/feeds/journal-header.xml']) {
    it(`is decoded by its declared charset (${route})`, async () => {
      const inputs = okInputs(await collect(new FeedSource(`${server.url}${route}`, { fullText: 'never', fetch: LOCAL_FETCH })));
      expect(inputs).toHaveLength(2);
      expect(inputs[0]!.title).toBe('Les pêcheurs bretons réclament des aides');
      expect(inputs[0]!.text).toContain('BREST - Les pêcheurs bretons ont réclamé mardi une aide d’urgence de 12 millions d\'euros après une saison «catastrophique»');
      expect(inputs[1]!.title).toBe('Météo : tempête attendue sur la côte');
      expect(inputs[1]!.text).toContain('(coût estimé : 2 M¤)');
      expect(inputs[1]!.publishedAt).toBe('2024-03-05T10:30:00.000Z');
      for (const i of inputs) expect(i.text).not.toMatch(MOJIBAKE);
    });
  }
});

describe('an Atom feed', () => {
  it('reads entries whose dates would make rss-parser throw, keeping every entry', async () => {
    const inputs = okInputs(await collect(new FeedSource(`${server.url}/feeds/atom.xml`, { fullText: 'never', fetch: LOCAL_FETCH })));
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({
      title: 'Rail strike called off & talks resume',
      guid: 'urn:ledger:wire:1001',
      url: 'https://ledger.example/wire/1001',
      byline: 'Wire Desk',
      publishedAt: '2024-03-06T07:10:00.000Z',
      updatedAt: '2024-03-06T07:40:00.000Z',
    });
    expect(inputs[0]!.text.split('\n\n')[1]).toBe('NORTHAM — Rail unions called off a planned 48-hour strike on Wednesday after the operator agreed to resume talks on pay.');
    expect(inputs[1]).toMatchObject({ title: 'Grain prices climb', publishedAt: null });
    expect(inputs[1]!.text).toContain('Grain prices rose 4 percent on Wednesday');
  });
});

describe('conditional GET', () => {
  it('sends the validators back and yields nothing on 304', async () => {
    let version = 1;
    const body = () => fs.readFileSync(fixture('feed-cdata.xml'), 'utf8').replace('Lifeboat crew rescues two sailors', version === 1 ? 'Lifeboat crew rescues two sailors' : 'Lifeboat crew rescues three sailors');
    server.route(
      '/feeds/cond.xml',
      conditional(() => ({ body: body(), etag: `"v${version}"`, lastModified: version === 1 ? 'Tue, 05 Mar 2024 17:00:00 GMT' : 'Tue, 05 Mar 2024 18:00:00 GMT' }), 'application/rss+xml'),
    );
    const src = new FeedSource(`${server.url}/feeds/cond.xml`, { fullText: 'never', fetch: LOCAL_FETCH });
    expect(await collect(src)).toHaveLength(5);
    expect(src.lastPoll?.outcome).toBe('fetched');
    expect(src.etag).toBe('"v1"');

    const before = server.requests.length;
    expect(await collect(src)).toHaveLength(0);
    expect(src.lastPoll?.outcome).toBe('not-modified');
    const req = server.requests[before]!;
    expect(req.headers['if-none-match']).toBe('"v1"');
    expect(req.headers['if-modified-since']).toBe('Tue, 05 Mar 2024 17:00:00 GMT');

    version = 2;
    const items = okInputs(await collect(src));
    expect(items.find((i) => i.url === 'https://ledger.example/news/lifeboat')!.title).toBe('Lifeboat crew rescues three sailors');
    expect(src.etag).toBe('"v2"');
  });
});

describe('failures', () => {
  it('times out a feed that never answers', async () => {
    const logger = capturingLogger();
    const src = new FeedSource(`${server.url}/feeds/hang.xml`, { fetch: { ...LOCAL_FETCH, timeoutMs: 300 }, logger });
    const t0 = Date.now();
    await expect(collect(src)).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(src.lastPoll).toMatchObject({ outcome: 'failed' });
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
  });

  it('rejects a malformed feed with the parser message, keeps no validators, and the next poll works', async () => {
    let broken = true;
    server.route('/feeds/flaky.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: broken ? '"bad"' : '"good"' });
      res.end(broken ? fs.readFileSync(fixture('malformed.xml')) : fs.readFileSync(fixture('feed-cdata.xml')));
    });
    const src = new FeedSource(`${server.url}/feeds/flaky.xml`, { fullText: 'never', fetch: LOCAL_FETCH });
    await expect(collect(src)).rejects.toThrow(/malformed feed/);
    expect(src.etag).toBeNull();
    broken = false;
    expect(okInputs(await collect(src))).toHaveLength(5);
    expect(src.etag).toBe('"good"');
  });

  it('refuses oversized feeds', async () => {
    server.route('/feeds/huge.xml', send('<rss version="2.0"><channel>' + 'x'.repeat(50_000) + '</channel></rss>', 'application/rss+xml'));
    await expect(collect(new FeedSource(`${server.url}/feeds/huge.xml`, { fetch: { ...LOCAL_FETCH, maxBytes: 10_000 } }))).rejects.toThrow(/too large \(over the limit of 9\.8 KiB\)|too large \([\d.]+ KiB; the limit is 9\.8 KiB\)/);
  });

  it('rejects documents that are not feeds', async () => {
    await expect(parseFeed('<html><body>hello</body></html>')).rejects.toThrow(/malformed feed|not recognized/i);
    await expect(parseFeed('')).rejects.toThrow(/empty/);
  });
});

describe('full text for teaser items', () => {
  it('fetches the linked page when the feed has only a teaser, and keeps the teaser when the page fails', async () => {
    server.route('/story/pilots', send(fs.readFileSync(fixture('page-comments.html')), 'text/html; charset=utf-8'));
    const feed = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>Harbour pilots end strike</title><link>${server.url}/story/pilots</link><guid>p-1</guid>
        <description>Pilots are back at work after nine days.</description></item>
      <item><title>Missing page</title><link>${server.url}/story/gone</link><guid>p-2</guid>
        <description>A teaser whose page is gone.</description></item></channel></rss>`;
    server.route('/feeds/teasers.xml', send(feed, 'application/rss+xml'));
    const logger = capturingLogger();
    const [full, teaser] = okInputs(await collect(new FeedSource(`${server.url}/feeds/teasers.xml`, { logger, fetch: LOCAL_FETCH })));
    expect(full!.text).toContain('Members voted by 212 to 31 to accept the offer');
    expect(full!.text).not.toContain('Nine days of chaos');
    expect(full).toMatchObject({ title: 'Harbour pilots end strike', guid: 'p-1', url: `${server.url}/story/pilots` });
    expect(teaser!.text).toBe('Missing page\n\nA teaser whose page is gone.');
    expect(logger.lines.some((l) => l.msg?.includes('full-text fetch failed'))).toBe(true);
  });
});

describe('feed archives on disk and XML repair', () => {
  it('reads a feed file', async () => {
    const src = new FeedFileSource(fixture('feed-cdata.xml'));
    expect(await src.estimate()).toBe(5);
    const inputs = okInputs(await collect(src));
    expect(inputs).toHaveLength(5);
    expect(inputs[0]!.source).toBe(fixture('feed-cdata.xml'));
  });
  it('turns HTML entities and bare ampersands into well-formed XML, leaving CDATA alone', () => {
    expect(repairFeedXml('<t>AT&T &eacute; &amp; &#233; &bogus; <![CDATA[&nbsp;]]></t>')).toBe('<t>AT&amp;T &#233; &amp; &#233; &amp;bogus; <![CDATA[&nbsp;]]></t>');
  });
});

describe('hostile items', () => {
  it('fails only the item whose markup is pathologically nested; the rest of the feed is read', async () => {
    const deep = ('<div>'.repeat(20_000) + '<p>Deep.</p>' + '</div>'.repeat(20_000)).replace(/</g, '&lt;').replace(/>/g, '&gt;');
    server.route(
      '/feeds/hostile.xml',
      send(`<rss version="2.0"><channel><title>x</title><item><title>Deep</title><guid>d</guid><description>${deep}</description></item><item><title>Fine item</title><guid>f</guid><description>The harbour reopened on Monday.</description></item></channel></rss>`, 'application/rss+xml'),
    );
    const items = await collect(new FeedSource(`${server.url}/feeds/hostile.xml`, { fullText: 'never', fetch: LOCAL_FETCH }));
    expect(items).toHaveLength(2);
    expect(items[0]).toMatchObject({ ok: false, ref: 'd', reason: 'item 1 unreadable: HTML is nested too deeply to read' });
    expect(items[1]).toMatchObject({ ok: true, input: { title: 'Fine item', text: 'Fine item\n\nThe harbour reopened on Monday.' } });
  });
});
