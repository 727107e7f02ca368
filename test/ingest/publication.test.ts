/**
 * Publication time (issue 14, item 1): every story has publishedAt (from the file header, the
 * page's metadata or byline block, the feed, ninjs, or a dateline/lede date whose year is clear)
 * and firstSeenAt; undated stories say so; digests and "newest" go by publication time, so a
 * backfilled archive never floods the next digest; unreadable dates are kept raw, logged with
 * their source and counted. Every story, page and feed here was written for these tests, and
 * pages and feeds are served from 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import type { Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { readBylineBlock, separateByline } from '../../src/ingest/byline.js';
import { readDayMonth, splitBylineDate, storyTextDate } from '../../src/ingest/dates.js';
import { FeedSource } from '../../src/ingest/feed.js';
import { FolderSource } from '../../src/ingest/folder.js';
import { PageSource } from '../../src/ingest/page.js';
import { formatSummary, runIngest } from '../../src/ingest/runner.js';
import { stagedStoreInIndex } from '../../src/ingest/store.js';
import { parseArticle } from '../../src/parse/index.js';
import { renderTerminal } from '../../src/render/terminal.js';
import { capturingLogger } from './helpers.js';
import { LOCAL_FETCH, send, startServer, type TestServer } from './server.js';

const HOUR = 3600_000;
let server: TestServer;
let dir: string;

/** A page whose byline block holds the name and the date, with no date in its metadata. */
const BYLINE_PAGE = `<!doctype html><html lang="en"><head><title>Riverside market adds Sundays | Valley Courier</title></head>
<body><article>
<h1>Riverside market adds a second weekend day</h1>
<div class="byline">Dana Whitlock July 10, 2015</div>
<p>GREYMOUTH — The riverside farmers' market will open on Sundays as well as Saturdays from next month, its organisers said on Friday, after a season in which stall numbers doubled.</p>
<p>"We turned away forty traders last season," said market manager Ilse Kravitz. "A second day means nobody waits a year for a pitch."</p>
<p>The council will close Quay Street to traffic on market days, a council spokesperson said.</p>
</article></body></html>`;

/** A page whose byline block is a paragraph of the body ("By … | Published …"). */
const INLINE_BYLINE_PAGE = `<!doctype html><html lang="en"><head><title>Tidal barrier test</title></head>
<body><main><article>
<h1>Tidal barrier closes for its first full test</h1>
<p>By Oren Halloway | Published 4 February 2019, 09:30 GMT</p>
<p>SALTMERE — The new tidal barrier across the Saltmere estuary closed for its first full test on Monday, holding back a spring tide for six hours.</p>
<p>"It did exactly what the models said it would," said chief engineer Petra Lindqvist, who led the test from the control tower.</p>
<p>Engineers will inspect the gates for wear before the barrier opens to shipping again next week.</p>
</article></main></body></html>`;

/** An RSS feed: one item with a date no reader can read, one with a dateline date and no year, one dated normally. */
function wireFeed(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Coastal wire</title><link>http://127.0.0.1/</link><description>test</description>
<item><title>Pier repairs to start after storm damage</title><link>https://coast.example/pier-repairs</link>
<pubDate>08/06/2018 - 08:00</pubDate>
<description>&lt;p&gt;DUNMARROW — Repairs to the town pier will start next month after winter storms tore away a section of its deck, the harbour trust said on Tuesday.&lt;/p&gt;&lt;p&gt;"We will have it open for the summer," trust chair Aldo Brennan said.&lt;/p&gt;</description></item>
<item><title>Ferry fares frozen for island residents</title><link>https://coast.example/ferry-fares</link>
<description>&lt;p&gt;LONDON, March 3 (Coastal Wire) - Ferry fares for island residents will be frozen for a second year, the transport board said on Monday.&lt;/p&gt;&lt;p&gt;"Islanders should not pay more to get to work," board member Sunniva Rask said.&lt;/p&gt;</description></item>
<item><title>Lighthouse keeper's cottage sold</title><link>https://coast.example/cottage</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;CARRICK POINT — The former lighthouse keeper's cottage at Carrick Point has been sold to a local heritage trust, the county council said on Tuesday.&lt;/p&gt;</description></item>
</channel></rss>`;
}

beforeAll(async () => {
  server = await startServer();
  server.route('/pages/market.html', send(BYLINE_PAGE, 'text/html; charset=utf-8'));
  server.route('/pages/barrier.html', send(INLINE_BYLINE_PAGE, 'text/html; charset=utf-8'));
  server.route('/feeds/wire.xml', send(wireFeed(), 'application/rss+xml; charset=utf-8'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'publication-'));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The plain text of a reply, as the terminal shows it. */
const text = (r: Reply) => renderTerminal(r);

describe('dates in the story itself', () => {
  it('splits a byline block into name and date, and reads a labelled update', () => {
    expect(splitBylineDate('Dana Whitlock July 10, 2015')).toEqual({ byline: 'Dana Whitlock', date: { iso: '2015-07-10T00:00:00.000Z', raw: 'July 10, 2015' }, updated: false });
    expect(splitBylineDate('By Oren Halloway | Published 4 February 2019, 09:30 GMT')?.date.iso).toBe('2019-02-04T09:30:00.000Z');
    expect(splitBylineDate('Petra Lind · Updated 3:15 PM ET Fri July 10, 2015')).toMatchObject({ byline: 'Petra Lind', updated: true, date: { iso: '2015-07-10T19:15:00.000Z' } });
    expect(splitBylineDate('By Jane Okafor, Staff Writer')).toBeNull();
  });

  it('takes byline blocks off the top of a story but never a sentence', () => {
    expect(readBylineBlock('By Jane Okafor, Staff Writer')).toEqual({ byline: 'Jane Okafor, Staff Writer', date: null, updated: false });
    expect(readBylineBlock('Published: 12 May 2021')?.date?.iso).toBe('2021-05-12T00:00:00.000Z');
    // A lede that opens with "By" is story text.
    expect(readBylineBlock('By Friday the council had voted to close the terminal.')).toBeNull();
    expect(readBylineBlock('By Friday, 40 traders had signed up')).toBeNull();
    const s = separateByline(['Dana Whitlock July 10, 2015', 'GREYMOUTH — The market will open on Sundays.', 'By the way, this is body.']);
    expect(s).toMatchObject({ byline: 'Dana Whitlock', published: { iso: '2015-07-10T00:00:00.000Z' } });
    expect(s.paragraphs).toEqual(['GREYMOUTH — The market will open on Sundays.', 'By the way, this is body.']);
  });

  it('reads a dated dateline or a lede that opens on its date; a year-less date is placed only with a reference time', () => {
    const text = 'Ferry fares frozen\n\nLONDON, March 3 (Coastal Wire) - Ferry fares will be frozen.';
    const parsed = parseArticle(text);
    const dl = { dateline: parsed.dateline, lede: parsed.sentences[0]?.text ?? null, text };
    expect(storyTextDate(dl, '2026-03-04T08:00:00Z')).toEqual({ iso: '2026-03-03T00:00:00.000Z', raw: 'March 3' });
    // A reference early in the year puts a late-year date in the year before.
    expect(readDayMonth('Sept. 14', '2026-02-01T00:00:00Z')?.iso).toBe('2025-09-14T00:00:00.000Z');
    // No reference: the year is not clear, so no date, but the words are kept.
    expect(storyTextDate(dl, null)).toEqual({ iso: null, raw: 'March 3' });
    expect(storyTextDate({ dateline: null, lede: 'On Sept. 14, 2015, the harbour council voted to close the terminal.', text: '' })?.iso).toBe('2015-09-14T00:00:00.000Z');
    expect(storyTextDate({ dateline: null, lede: 'On Monday, 14 September 2020, the vote was held.', text: '' })?.iso).toBe('2020-09-14T00:00:00.000Z');
    expect(storyTextDate({ dateline: null, lede: 'Once in a while the council votes.', text: '' })).toBeNull();
  });
});

describe('ingest: publishedAt from every source, raw dates kept and counted', () => {
  it('a page whose byline block holds the date: publication time from it, byline separated from the body', async () => {
    const index = SqliteIndex.open(':memory:');
    const summary = await runIngest(new PageSource(`${server.url}/pages/market.html`, { fetch: LOCAL_FETCH }), stagedStoreInIndex(index), { progress: false });
    expect(summary.added).toBe(1);
    const story = (await index.latestStory())!;
    expect(story).toMatchObject({ publishedAt: '2015-07-10T00:00:00.000Z', byline: 'Dana Whitlock', dateline: 'GREYMOUTH' });
    expect(story.text).not.toContain('Whitlock');
    expect(story.parsed.entities.map((e) => e.name)).not.toContain('Dana Whitlock July');
    expect(story.parsed.entities.some((e) => /Whitlock/.test(e.name))).toBe(false);
    // A byline paragraph inside the body ("By … | Published …") goes the same way.
    await runIngest(new PageSource(`${server.url}/pages/barrier.html`, { fetch: LOCAL_FETCH }), stagedStoreInIndex(index), { progress: false });
    const barrier = (await index.search('tidal barrier'))[0]!;
    const b = (await index.getStory(barrier.storyId))!;
    expect(b).toMatchObject({ publishedAt: '2019-02-04T09:30:00.000Z', byline: 'Oren Halloway' });
    expect(b.text).not.toMatch(/Halloway|Published/);
    await index.close();
  });

  it('a feed: an unreadable date is kept as written, logged with its source and counted; a dateline date is placed by the poll time', async () => {
    const index = SqliteIndex.open(':memory:');
    const logger = capturingLogger();
    const feedUrl = `${server.url}/feeds/wire.xml`;
    const summary = await runIngest(new FeedSource(feedUrl, { fullText: 'never', fetch: LOCAL_FETCH, logger }), stagedStoreInIndex(index), { progress: false, logger });
    expect(summary.added).toBe(3);
    expect(summary.unreadableDates).toEqual([{ ref: 'https://coast.example/pier-repairs', reason: '08/06/2018 - 08:00' }]);
    expect(summary.undated).toBe(1);
    expect(formatSummary(summary)).toMatch(/1 story stored undated .*; 1 with a date that could not be read, kept as written/);
    expect(formatSummary(summary)).toContain('unreadable date: https://coast.example/pier-repairs: "08/06/2018 - 08:00"');
    const logged = logger.lines.find((l) => l.level === 'warn' && /unreadable publication date/.test(l.msg ?? ''));
    expect(logged?.obj).toMatchObject({ source: feedUrl, item: 'https://coast.example/pier-repairs', date: '08/06/2018 - 08:00' });
    const stories = await Promise.all((await index.search('pier repairs')).map((h) => index.getStory(h.storyId)));
    expect(stories[0]).toMatchObject({ publishedAt: null, publishedRaw: '08/06/2018 - 08:00' });
    // "LONDON, March 3 (Coastal Wire) -" in an item polled live: the year is the poll's (or the year before).
    const ferry = (await index.getStory((await index.search('ferry fares'))[0]!.storyId))!;
    const placed = new Date(ferry.publishedAt!);
    expect(ferry.publishedAt!.slice(5, 10)).toBe('03-03');
    expect(placed.getTime()).toBeLessThanOrEqual(Date.now() + 2 * 24 * HOUR);
    expect(placed.getTime()).toBeGreaterThan(Date.now() - 366 * 24 * HOUR);
    await index.close();
  });

  it('story files: a header date, an unreadable header date (kept raw), a lede date, a year-less dateline (kept raw, no guess)', async () => {
    const folder = path.join(dir, 'files');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a-header.txt'), '---\ndate: 2016-06-24\n---\nHarbour council votes to close old terminal\n\nBRISTOW — The harbour council voted on Thursday to close the old ferry terminal.\n');
    fs.writeFileSync(path.join(folder, 'b-bad-header.txt'), '---\ndate: 08/06/2018 - 08:00\n---\nMill reopens as a museum\n\nKELBRIDGE — The old wool mill reopened as a museum on Saturday.\n');
    fs.writeFileSync(path.join(folder, 'c-lede.txt'), 'Terminal vote taken\n\nOn Sept. 14, 2015, the harbour council voted to sell the old ferry terminal to a sailing club.\n');
    fs.writeFileSync(path.join(folder, 'd-dateline.txt'), 'Fares frozen\n\nLONDON, March 3 (Coastal Wire) - Ferry fares for island residents will be frozen for a second year.\n');
    fs.writeFileSync(path.join(folder, 'e-byline.txt'), 'Library refit finished\n\nBy Dana Whitlock July 10, 2015\n\nLEEDS — The central library reopened on Monday after a two-year refit.\n');
    const index = SqliteIndex.open(':memory:');
    const summary = await runIngest(new FolderSource(folder), stagedStoreInIndex(index), { progress: false });
    expect(summary.added).toBe(5);
    const byTitle = async (t: string) => (await index.getStory((await index.search(t))[0]!.storyId))!;
    expect((await byTitle('harbour close old terminal')).publishedAt).toBe('2016-06-24T00:00:00.000Z');
    expect(await byTitle('mill museum')).toMatchObject({ publishedAt: null, publishedRaw: '08/06/2018 - 08:00' });
    expect((await byTitle('sailing club')).publishedAt).toBe('2015-09-14T00:00:00.000Z');
    expect(await byTitle('island residents')).toMatchObject({ publishedAt: null, publishedRaw: 'March 3' });
    const library = await byTitle('library refit');
    expect(library).toMatchObject({ publishedAt: '2015-07-10T00:00:00.000Z', byline: 'Dana Whitlock' });
    expect(library.text).not.toContain('Whitlock');
    expect(summary.unreadableDates.map((u) => u.reason).sort()).toEqual(['08/06/2018 - 08:00', 'March 3']);
    expect(summary.undated).toBe(2);
    await index.close();
  });
});

describe('digests and "newest" go by publication time', () => {
  /** An index and a core whose clocks are `now()`. */
  function setup(now: { t: number }) {
    const index = SqliteIndex.open(':memory:', { clock: () => new Date(now.t) });
    const core = createCore({ index, now: () => new Date(now.t) });
    return { index, core };
  }
  const story = (title: string, body: string, extra: Record<string, string> = {}) => ({ title, text: `${title}\n\n${body}`, source: 'test', ...extra });
  const store = async (index: SqliteIndex, s: ReturnType<typeof story>) => index.upsert(s, parseArticle(s.text));

  it('a 2016-dated story and an undated story ingested today: /digest 24h lists only the undated one, marked undated', async () => {
    const now = { t: Date.parse('2026-12-05T09:00:00Z') };
    const { index, core } = setup(now);
    await store(index, story('Harbour council votes to close the old ferry terminal', 'BRISTOW — The harbour council voted on Thursday to close the old ferry terminal.', { publishedAt: '2016-06-24T10:00:00Z', guid: 'old-1' }));
    await store(index, story('Leeds library reopens after a refit', 'LEEDS — The central library in Leeds reopened its doors on Monday after a two-year refit.', { guid: 'undated-1' }));
    const reply = await core.handle({ command: 'digest', args: '24h', platform: 'terminal', userId: 'u' });
    const out = text(reply);
    expect(reply.title).toBe('Digest: 1 new story');
    expect(out).toContain('Leeds library reopens after a refit · undated, first seen 2026-12-05');
    expect(out).toContain('This story is undated: listed by when the bot first saw it.');
    expect(out).not.toContain('ferry terminal');
    // /summary alone: the newest by publication time (the undated story counts from when it was first seen).
    expect((await core.handle({ command: 'summary', args: '', platform: 'terminal', userId: 'u' })).title).toBe('Leeds library reopens after a refit');
    await index.close();
  });

  it('/summary alone shows the newest by publication time, not the last ingested; an undated story never shows today as its date', async () => {
    const now = { t: Date.parse('2026-12-05T09:00:00Z') };
    const { index, core } = setup(now);
    await store(index, story('Quarry expansion approved', 'HOLLOWAY — The county approved the expansion of the Holloway quarry on Friday.', { publishedAt: '2026-12-05T07:30:00Z', guid: 'q' }));
    now.t += HOUR;
    await store(index, story('Bridge repairs finished', 'KELSO — Repairs to the old bridge at Kelso were finished on Tuesday.', { publishedAt: '2026-12-01T12:00:00Z', guid: 'b' }));
    const summary = await core.handle({ command: 'summary', args: '', platform: 'terminal', userId: 'u' });
    expect(summary.title).toBe('Quarry expansion approved');
    expect(text(summary)).toContain('(HOLLOWAY · 2026-12-05)');
    await store(index, story('Canal towpath reopens', 'BRANDLEY — The canal towpath reopened to walkers on Sunday.', { guid: 'c' }));
    const undated = await core.handle({ command: 'summary', args: 'towpath', platform: 'terminal', userId: 'u' });
    expect(text(undated)).toContain('(BRANDLEY · undated, first seen 2026-12-05)');
    expect(text(undated)).toContain('[Canal towpath reopens · undated, first seen 2026-12-05]');
    await index.close();
  });

  it('a backfilled archive never floods the next digest; a story arriving late for one digest is in the next, exactly once', async () => {
    const now = { t: Date.parse('2026-12-04T08:00:00Z') };
    const { index } = setup(now);
    const late = 24 * HOUR;
    const window = async (since: number, until: number) => (await index.storiesSince(new Date(since), new Date(until), { lateArrivalMs: late })).map((s) => s.title);
    const first = { since: Date.parse('2026-12-03T08:00:00Z'), until: Date.parse('2026-12-04T08:00:00Z') };
    const second = { since: first.until, until: Date.parse('2026-12-05T08:00:00Z') };
    // Between the two digests: 400 archive stories from 2015, a story published an hour before the
    // first digest that only arrived after it, and a story published today.
    now.t = Date.parse('2026-12-04T10:00:00Z');
    for (let i = 0; i < 400; i++) {
      await store(index, story(`Archive story number ${i} about the port`, `PORTHAVEN — Archive story ${i} reports on the port's trade in 2015.`, { publishedAt: new Date(Date.parse('2015-03-01T00:00:00Z') + i * HOUR).toISOString(), guid: `arch-${i}` }));
    }
    await store(index, story('Late wire story about the ferry strike', 'VALLETTA — Ferry crews voted to strike.', { publishedAt: '2026-12-04T07:00:00Z', guid: 'late' }));
    await store(index, story('Fresh story about the new harbour master', 'VALLETTA — A new harbour master was named.', { publishedAt: '2026-12-04T09:30:00Z', guid: 'fresh' }));
    expect(await window(first.since, first.until)).toEqual([]);
    now.t = second.until;
    expect(await window(second.since, second.until)).toEqual(['Fresh story about the new harbour master', 'Late wire story about the ferry strike']);
    // The third digest repeats neither; the archive never appears. The digest counted work, not time: 2 stories out of 402.
    expect(await window(second.until, second.until + 24 * HOUR)).toEqual([]);
    // A fixed period holds only what was published in it.
    expect((await index.storiesSince(new Date(second.since), new Date(second.until))).map((s) => s.title)).toEqual(['Fresh story about the new harbour master']);
    await index.close();
  });
});
