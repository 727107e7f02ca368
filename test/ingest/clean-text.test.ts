/**
 * Clean text (issue 14, item 3): live-blog furniture, editors' notes, sponsored boxes and
 * newsletter or social prompts never reach summaries, quotes or digests; feeds with
 * entity-escaped CDATA and headline-only items are read; tracking parameters and fragments do
 * not make a second story. Pages and feeds are written for these tests and served from 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { FeedSource } from '../../src/ingest/feed.js';
import { furnitureRule, stripEntryTime, stripFurniture } from '../../src/ingest/furniture.js';
import { PageSource } from '../../src/ingest/page.js';
import { runIngest } from '../../src/ingest/runner.js';
import { stagedStoreInIndex } from '../../src/ingest/store.js';
import { renderTerminal } from '../../src/render/terminal.js';
import { LOCAL_FETCH, send, startServer, type TestServer } from './server.js';

let server: TestServer;

const LIVE_BLOG = `<!doctype html><html lang="en"><head><title>Mayoral count live | Northgate Post</title>
<meta property="article:published_time" content="2026-05-08T20:00:00Z"></head>
<body><article>
<h1>Northgate mayoral election count: live</h1>
<p>Follow our live coverage of the mayoral election count.</p>
<p>This page will be updated throughout the night. Refresh for the latest updates.</p>
<div class="entry"><p><strong>21:20</strong> — Turnout in ward 4 reached 41 percent, the highest in the city, the returning officer said.</p></div>
<div class="entry"><time datetime="2026-05-08T21:05:00Z">21:05</time><p>Counting has begun at the Northgate leisure centre, with 28,000 ballots to sort.</p></div>
<div class="entry"><p>20:45 GMT — Candidate Mirela Ostrander arrived at the count and told reporters she was "quietly hopeful" about the result.</p></div>
<p>Sign up for our Northgate politics newsletter to get results in your inbox.</p>
<p>Follow us on Instagram for pictures from the count.</p>
</article></body></html>`;

const INTERVIEW = `<!doctype html><html lang="en"><head><title>Interview: the ferry captain</title>
<meta property="article:published_time" content="2026-04-02T08:00:00Z"></head>
<body><article>
<h1>The last ferry captain of Dunmarrow talks about the final crossing</h1>
<p>DUNMARROW — Captain Ros Ellery has steered the Dunmarrow ferry for 31 years, and on Sunday she will take it across for the last time before the new bridge opens.</p>
<p>"Every crossing taught me something about the weather," Ellery said in an interview at the harbour.</p>
<section class="box"><p>Sponsored: Try the Zentra X phone today.</p><p>"The best phone ever made," says everyone.</p></section>
<p>She said the crew of six would all find work on the island's new water taxi service.</p>
<div class="inline-box"><p>Advertisement</p><p>Win a weekend for two at the Riverside Spa. "The best weekend of my life," says a winner.</p></div>
<p>The interview has been edited for length and clarity.</p>
<p>Editor's note: An earlier version of this page misspelt the captain's name.</p>
<p>Share this article</p>
</article></body></html>`;

/** A feed: entity-escaped HTML inside CDATA, a headline-only item, and the same story twice under tracking links. */
const FEED = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Valley wire</title><link>http://127.0.0.1/</link><description>test</description>
<item><title>Valley dam inspection finds cracks</title><link>https://valley.example/dam</link><guid>valley-dam-1</guid>
<pubDate>Tue, 05 May 2026 09:00:00 GMT</pubDate>
<description><![CDATA[&lt;p&gt;ASHFORD VALE — Inspectors found hairline cracks in the Ashford Vale dam wall on Monday, the water authority said.&lt;/p&gt;&lt;p&gt;&amp;quot;The dam is safe, but we will repair the cracks this summer,&amp;quot; said Tomas Varga, an engineer at the authority.&lt;/p&gt;]]></description></item>
<item><title>BREAKING: Ashford Vale council leader resigns</title><guid isPermaLink="false">valley-flash-7</guid>
<pubDate>Tue, 05 May 2026 10:00:00 GMT</pubDate></item>
<item><title>Orchard festival moves to September</title><link>https://valley.example/orchard?utm_source=rss&amp;utm_medium=feed&amp;id=42</link>
<pubDate>Tue, 05 May 2026 11:00:00 GMT</pubDate>
<description>&lt;p&gt;KELBROOK — The orchard festival will move to September this year, organisers said, after a late frost.&lt;/p&gt;</description></item>
<item><title>Orchard festival moves to September</title><link>https://valley.example/orchard?id=42&amp;fbclid=AbC123#comments</link>
<pubDate>Tue, 05 May 2026 11:00:00 GMT</pubDate>
<description>&lt;p&gt;KELBROOK — The orchard festival will move to September this year, organisers said, after a late frost.&lt;/p&gt;</description></item>
</channel></rss>`;

beforeAll(async () => {
  server = await startServer();
  server.route('/live.html', send(LIVE_BLOG, 'text/html; charset=utf-8'));
  server.route('/interview.html', send(INTERVIEW, 'text/html; charset=utf-8'));
  server.route('/feed.xml', send(FEED, 'application/rss+xml; charset=utf-8'));
});
afterAll(() => server.close());

describe('furniture rules', () => {
  it('names the rule for each kind of furniture line', () => {
    expect(furnitureRule('Follow our live coverage of the mayoral election count.')).toBe('live-coverage');
    expect(furnitureRule('Refresh for the latest updates')).toBe('live-coverage');
    expect(furnitureRule('21:20')).toBe('entry-time');
    expect(furnitureRule('9.05am GMT')).toBe('entry-time');
    expect(furnitureRule('12 minutes ago')).toBe('entry-time');
    expect(furnitureRule('The interview has been edited for length and clarity.')).toBe('editors-note');
    expect(furnitureRule('This conversation has been condensed and edited.')).toBe('editors-note');
    expect(furnitureRule("Editor's note: this story was updated at 10 a.m.")).toBe('editors-note');
    expect(furnitureRule("The Editor's note: This story will be updated.")).toBe('editors-note');
    expect(furnitureRule('This story will be updated.')).toBe('live-coverage');
    expect(furnitureRule('Sponsored: Try the Zentra X phone today.')).toBe('sponsored');
    expect(furnitureRule('Advertisement')).toBe('sponsored');
    expect(furnitureRule('Sign up for our morning newsletter to get the latest local news in your inbox.')).toBe('newsletter');
    expect(furnitureRule('Follow us on Instagram for pictures from the count.')).toBe('social');
    expect(furnitureRule('Share this article')).toBe('social');
  });

  it('keeps story sentences that only mention such things', () => {
    for (const line of [
      'The paper said 40,000 readers had signed up for its newsletter since March.',
      'Promotion of the club to the first division was confirmed on Saturday.',
      'Advertising revenue at the station fell 12 percent, its owner said.',
      'Supporters will follow the team on Instagram and on local radio, the club said in a statement released on Monday after a board meeting.',
      'The council said the live music licence would be refreshed every year.',
      '9.5 percent of voters stayed at home, the returning officer said.',
    ]) {
      expect(furnitureRule(line), line).toBeNull();
    }
  });

  it('strips a live-blog entry time and keeps the entry; never empties a story', () => {
    expect(stripEntryTime('21:20 — Turnout in ward 4 reached 41 percent.')).toBe('Turnout in ward 4 reached 41 percent.');
    expect(stripEntryTime('10:15 GMT | Counting has begun.')).toBe('Counting has begun.');
    expect(stripEntryTime('1.5 million ballots were printed.')).toBe('1.5 million ballots were printed.');
    expect(stripFurniture(['Advertisement']).paragraphs).toEqual(['Advertisement']);
  });
});

describe('pages and feeds: only story text is stored and answered', () => {
  it('a live blog: its summary and digest line are entries, never "Follow our live coverage…", and no entry keeps its timestamp', async () => {
    const now = new Date('2026-05-08T23:00:00Z');
    const index = SqliteIndex.open(':memory:', { clock: () => new Date(now.getTime() - 3600_000) });
    await runIngest(new PageSource(`${server.url}/live.html`, { fetch: LOCAL_FETCH }), stagedStoreInIndex(index), { progress: false });
    const story = (await index.latestStory())!;
    expect(story.text).not.toMatch(/Follow our live coverage|will be updated|Refresh for|newsletter|Instagram/);
    expect(story.text).not.toMatch(/^\s*\d{1,2}[:.]\d{2}/m);
    expect(story.text).toContain('Turnout in ward 4 reached 41 percent');
    const core = createCore({ index, now: () => now });
    const summary = renderTerminal(await core.handle({ command: 'summary', args: '', platform: 'terminal', userId: 'u' }));
    expect(summary).not.toMatch(/live coverage|21:20|20:45/);
    const digest = renderTerminal(await core.handle({ command: 'digest', args: '24h', platform: 'terminal', userId: 'u' }));
    expect(digest).toContain('Northgate mayoral election count: live');
    expect(digest).not.toMatch(/Follow our live coverage|Refresh/);
    const quotes = renderTerminal(await core.handle({ command: 'quotes', args: 'ostrander', platform: 'terminal', userId: 'u' }));
    expect(quotes).toContain('quietly hopeful');
    await index.close();
  });

  it('an interview: no editors’ note in its summary, and a sponsored box inside <article> is never quoted', async () => {
    const index = SqliteIndex.open(':memory:');
    await runIngest(new PageSource(`${server.url}/interview.html`, { fetch: LOCAL_FETCH }), stagedStoreInIndex(index), { progress: false });
    const story = (await index.latestStory())!;
    // Found by the fresh-user trial: a box whose label is its own paragraph ("Advertisement", then the ad).
    expect(story.text).not.toMatch(/edited for length|Editor's note|Sponsored|Zentra|best phone|Share this|Advertisement|Riverside Spa/);
    expect(story.parsed.quotes.map((q) => q.text).join(' ')).not.toContain('best phone');
    const core = createCore({ index, now: () => new Date('2026-04-03T00:00:00Z') });
    expect((await core.handle({ command: 'quotes', args: 'everyone', platform: 'terminal', userId: 'u' })).status).toBe('notFound');
    const summary = renderTerminal(await core.handle({ command: 'summary', args: '', platform: 'terminal', userId: 'u' }));
    expect(summary).toContain('Captain Ros Ellery has steered the Dunmarrow ferry');
    expect(summary).not.toMatch(/edited for length/);
    await index.close();
  });

  it('a feed: entity-escaped CDATA decoded, a headline-only item kept as a brief, tracking parameters and fragments ignored in story identity', async () => {
    const index = SqliteIndex.open(':memory:');
    const summary = await runIngest(new FeedSource(`${server.url}/feed.xml`, { fullText: 'never', fetch: LOCAL_FETCH }), stagedStoreInIndex(index), { progress: false });
    expect(summary.failed).toEqual([]);
    expect(summary.added).toBe(3);
    expect(summary.unchanged).toBe(1); // the orchard story again, under a link with other trackers and a fragment
    expect(await index.storyCount()).toBe(3);
    const dam = (await index.getStory((await index.search('dam cracks'))[0]!.storyId))!;
    expect(dam.text).toContain('"The dam is safe, but we will repair the cracks this summer," said Tomas Varga, an engineer at the authority.');
    expect(dam.text).not.toMatch(/<p>|&lt;|&quot;/);
    expect(dam.parsed.quotes.some((q) => q.speaker?.name === 'Tomas Varga')).toBe(true);
    const flash = (await index.getStory((await index.search('council leader resigns'))[0]!.storyId))!;
    expect(flash.title).toBe('BREAKING: Ashford Vale council leader resigns');
    expect(flash.parsed.sentences.length).toBeGreaterThan(0);
    const orchard = (await index.getStory((await index.search('orchard festival'))[0]!.storyId))!;
    expect(orchard.url).toBe('https://valley.example/orchard?id=42');
    await index.close();
  });
});
