/**
 * The index suite, run against every backend: SQLite always, PostgreSQL when TEST_DATABASE_URL
 * is set (`.ci/run` starts a server on 127.0.0.1 and sets it). Backend-specific checks (SQLite's
 * file handling and FTS5 query text, PostgreSQL's migrations) live in sqlite.test.ts / postgres.test.ts.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entityKey, foldName } from '../../src/index/keys.js';
import type { ArticleIndex } from '../../src/index/types.js';
import { parseArticle } from '../../src/parse/index.js';
import { buildParsed } from '../core/build.js';
import { embargoed, followup, warning, water } from '../core/stories.js';
import { BACKENDS, POSTGRES_SKIP_REASON } from './backends.js';

const cases = BACKENDS.map(([name, backend]) => ({ title: backend ? name : `${name} (skipped: ${POSTGRES_SKIP_REASON})`, backend }));

describe.each(cases)('index on $title', ({ backend }) => {
  if (!backend) {
    it.skip(POSTGRES_SKIP_REASON, () => undefined);
    return;
  }
  const b = backend;
  afterAll(() => b.cleanup());
  const count = async (idx: ArticleIndex, table: string) => Number((await b.rows(idx, `SELECT count(*) AS n FROM ${table}`))[0]!.n);
  const one = async (idx: ArticleIndex, sql: string) => (await b.rows(idx, sql))[0];

  describe('upsert: identity, idempotence, revisions', () => {
    let idx: ArticleIndex;
    beforeEach(async () => {
      idx = await b.open();
    });
    afterEach(async () => {
      await idx.close();
    });

    it('stores the parse as queryable rows', async () => {
      const s = warning();
      const r = await idx.upsert(s.input, s.parsed);
      expect(r).toMatchObject({ status: 'added', revision: 1 });
      expect(await count(idx, 'sentences')).toBe(s.parsed.sentences.length);
      expect(await count(idx, 'entities')).toBe(8);
      expect(await count(idx, 'quotes')).toBe(6);
      expect(await count(idx, 'amounts')).toBe(1);
      const zak = await one(idx, "SELECT key, name FROM entities WHERE name = 'Maria Zakharova'");
      expect(zak).toEqual({ key: 'person:maria-zakharova', name: 'Maria Zakharova' });
      const paris = await one(idx, "SELECT kind FROM aliases WHERE alias = 'Paris'");
      expect(paris).toEqual({ kind: 'metonym' });
      const role = await one(idx, "SELECT role FROM roles WHERE entity_id = 'person:emmanuel-macron'");
      expect(role).toEqual({ role: 'French President' });
      const q = await one(idx, "SELECT speaker_key, context FROM quotes WHERE quote_id = 'q1'");
      expect(q?.speaker_key).toBe('person:maria-zakharova');
      expect(q?.context).toBe('“Such troops would be a legitimate target for us,” said Maria Zakharova, spokeswoman for the Russian Foreign Ministry.');
    });

    it('is a no-op for the same content, and idempotent over many re-ingests', async () => {
      const s = warning();
      const first = await idx.upsert(s.input, s.parsed);
      for (let i = 0; i < 5; i++) {
        const again = await idx.upsert({ ...s.input }, structuredClone(s.parsed));
        expect(again).toEqual({ status: 'unchanged', storyId: first.storyId, revision: 1 });
      }
      expect(await idx.storyCount()).toBe(1);
      expect(await count(idx, 'revisions')).toBe(1);
      expect(await count(idx, 'quotes')).toBe(6);
    });

    it('makes changed content a new revision; the latest wins and the old rows go', async () => {
      const s = warning();
      await idx.upsert(s.input, s.parsed);
      const text2 = `${s.input.text}\n\nCorrection: an earlier version misstated the day of the briefing.`;
      const r2 = await idx.upsert({ ...s.input, text: text2 }, buildParsed(text2, { entities: [{ name: 'Russia', type: 'country' }] }));
      expect(r2.status).toBe('updated');
      expect(r2.revision).toBe(2);
      const story = await idx.getStory(r2.storyId);
      expect(story?.revision).toBe(2);
      expect(story?.text).toBe(text2);
      expect(await count(idx, 'revisions')).toBe(2);
      expect(await count(idx, 'entities')).toBe(1);
      expect(await count(idx, 'quotes')).toBe(0);
      expect(await idx.quotesBySpeaker('person:maria-zakharova')).toEqual([]);
      expect((await idx.search('misstated')).map((h) => h.storyId)).toEqual([r2.storyId]);
      expect(await idx.storyCount()).toBe(1);
    });

    it('reparses in place when only the parse changed', async () => {
      const s = warning();
      await idx.upsert(s.input, s.parsed);
      const fewer = { ...s.parsed, quotes: s.parsed.quotes.slice(0, 1) };
      const r = await idx.upsert(s.input, fewer);
      expect(r).toMatchObject({ status: 'reparsed', revision: 1 });
      expect(await count(idx, 'quotes')).toBe(1);
      expect(await count(idx, 'revisions')).toBe(1);
      expect((await idx.getStory(r.storyId))?.parsed.quotes).toHaveLength(1);
    });

    it('identifies stories by url, else guid, else a hash of the text', async () => {
      const text = 'Short story\n\nLONDON — A short story about nothing much, told twice.';
      const p = parseArticle(text);
      const byUrl1 = await idx.upsert({ text, url: 'https://a.example/1', source: 't' }, p);
      const byUrl2 = await idx.upsert({ text, url: 'https://a.example/2', source: 't' }, p);
      expect(byUrl1.storyId).not.toBe(byUrl2.storyId);
      // The same text under another identity is remembered as a duplicate of the first story.
      expect(byUrl2).toMatchObject({ status: 'duplicate', duplicateOf: byUrl1.storyId });
      const g1 = await idx.upsert({ text, guid: 'urn:x:1', source: 't' }, p);
      expect(g1).toMatchObject({ status: 'duplicate', duplicateOf: byUrl1.storyId });
      const text2 = `${text} Updated.`;
      const g2 = await idx.upsert({ text: text2, guid: 'urn:x:1', source: 't' }, parseArticle(text2));
      // Its own new text makes it a story of its own.
      expect(g2).toMatchObject({ status: 'updated', storyId: g1.storyId, revision: 2 });
      expect(g2.duplicateOf).toBeUndefined();
      const h1 = await idx.upsert({ text, guid: '', url: '  ', source: 't' }, p);
      const h2 = await idx.upsert({ text, source: 'other' }, p);
      expect(h2.storyId).toBe(h1.storyId);
      expect(h2).toMatchObject({ status: 'unchanged', duplicateOf: byUrl1.storyId });
      // Five identities, two texts: two stories, and the duplicates are not searchable twice.
      expect(await idx.storyCount()).toBe(2);
      expect((await idx.search('nothing much')).map((h) => h.storyId).sort()).toEqual([byUrl1.storyId, g1.storyId].sort());
      // A tracking parameter or a fragment never makes another story.
      const tracked = await idx.upsert({ text, url: 'https://a.example/1?utm_source=rss&utm_medium=feed#comments', source: 't' }, p);
      expect(tracked).toMatchObject({ status: 'unchanged', storyId: byUrl1.storyId });
      expect((await idx.getStory(byUrl1.storyId))?.url).toBe('https://a.example/1');
    });

    it('rolls back a failing upsert and keeps what was stored', async () => {
      const s = warning();
      const first = await idx.upsert(s.input, s.parsed);
      // A mention without text fails half-way through the write, after the story row was updated.
      const badEntity = { ...s.parsed.entities[0]!, mentions: [{ start: 0, end: 1, text: null as unknown as string, kind: 'name' as const, sentence: 0 }] };
      const broken = { ...s.parsed, entities: [...s.parsed.entities, { ...badEntity, id: 'x:bad' }] };
      await expect(idx.upsert({ ...s.input, text: `${s.input.text} More.` }, broken)).rejects.toThrow();
      await expect(idx.upsert({ ...s.input, text: 'x', embargoUntil: 'next tuesday' }, s.parsed)).rejects.toThrow(/embargoUntil: "next tuesday" is not an ISO 8601 date/);
      const story = await idx.getStory(first.storyId);
      expect(story?.revision).toBe(1);
      expect(story?.text).toBe(s.input.text);
      expect(await count(idx, 'quotes')).toBe(6);
      expect(await count(idx, 'revisions')).toBe(1);
    });
  });

  describe('queries', () => {
    let idx: ArticleIndex;
    beforeEach(async () => {
      idx = await b.open();
      for (const s of [water(), warning(), followup()]) await idx.upsert(s.input, s.parsed);
    });
    afterEach(async () => {
      await idx.close();
    });

    it('returns the newest story by publication time', async () => {
      expect((await idx.latestStory())?.title).toBe('Kremlin repeats warning on troops');
    });

    it('aggregates entities across stories', async () => {
      const ents = await idx.listEntities();
      const russia = ents.find((e) => e.key === 'country:russia')!;
      expect(russia.storyCount).toBe(2);
      expect(russia.aliasDetails).toEqual(expect.arrayContaining([{ text: 'Moscow', kind: 'metonym' }, { text: 'Russian', kind: 'demonym' }]));
      expect(russia.countryCode).toBe('RU');
      const zak = ents.find((e) => e.key === 'person:maria-zakharova')!;
      expect(zak.quoteCount).toBe(4);
      expect(zak.roles).toEqual(['spokeswoman for the Russian Foreign Ministry']);
      expect(ents.find((e) => e.key === 'person:zakharova')?.quoteCount).toBe(2);
    });

    it('lists quotes by speaker in reading order, with their story and context', async () => {
      const qs = await idx.quotesBySpeaker('person:maria-zakharova');
      expect(qs.map((q) => q.kind)).toEqual(['direct', 'indirect', 'direct', 'direct']);
      expect(qs[0]).toMatchObject({ storyTitle: 'Moscow warns against European troops in Ukraine', storyDate: '2025-03-05T10:00:00.000Z', storyUrl: 'https://news.example/moscow-warns', speakerName: 'Maria Zakharova' });
      expect(qs.map((q) => q.start)).toEqual([...qs.map((q) => q.start)].sort((a, b) => a - b));
      const anon = await idx.quotesBySpeakerName('senior official');
      expect(anon.map((q) => q.text)).toEqual(['Dam levels stood at 38 percent']);
      expect(await idx.quotesBySpeakerName('%')).toEqual([]);
    });

    it('pages the recent quotes by offset, newest story first', async () => {
      const all = await idx.recentQuotes(100);
      expect(all).toHaveLength(11);
      expect(all[0]!.storyTitle).toBe('Kremlin repeats warning on troops');
      const pieces = [...(await idx.recentQuotes(4)), ...(await idx.recentQuotes(4, undefined, 4)), ...(await idx.recentQuotes(100, undefined, 8))];
      expect(pieces.map((q) => `${q.storyId}/${q.quoteId}`)).toEqual(all.map((q) => `${q.storyId}/${q.quoteId}`));
      expect(await idx.recentQuotes(10, undefined, 11)).toEqual([]);
    });

    it('counts the repeats of a quote: the same words from the same speaker, in every story', async () => {
      const all = await idx.recentQuotes(100);
      const troops = all.find((q) => q.text.startsWith('Such troops'))!;
      const anon = all.find((q) => q.speakerName === 'a senior official at the board')!;
      const counts = await idx.quoteRepeats([
        troops,
        // Case, punctuation and quotation marks aside.
        { ...troops, text: '“SUCH troops would be a legitimate target, for us”' },
        // Another speaker's, or other words, are not repeats.
        { ...troops, speakerKey: 'person:emmanuel-macron' },
        { ...troops, text: 'Such troops would be a target for us' },
        // A speaker without a key: by name, case aside.
        anon,
        { ...anon, speakerName: 'A Senior Official at the Board' },
        { ...anon, speakerName: 'a junior official' },
        { text: '… —', speakerKey: null, speakerName: 'nobody' },
      ]);
      expect(counts).toEqual([2, 2, 0, 0, 1, 1, 0, 0]);
    });

    it('profiles an entity: mentions, quotes by and about, amounts, related people', async () => {
      const p = await idx.entityProfile(['country:france']);
      expect(p.stories.map((s) => s.title)).toEqual(['Moscow warns against European troops in Ukraine']);
      expect(p.amounts).toHaveLength(1);
      expect(p.amounts[0]).toMatchObject({ text: '6,000 troops', value: 6000, linked: true });
      expect(p.amounts[0]!.sentenceText).toContain('Paris could send up to 6,000 troops');
      expect(p.quotesAbout.map((q) => q.speakerName)).toEqual(['Emmanuel Macron', 'Mark Rutte']);
      const macron = p.related.find((r) => r.name === 'Emmanuel Macron');
      expect(macron).toMatchObject({ type: 'person', roles: ['French President'], affiliation: ['France'] });
      expect(macron!.sharedSentences).toBe(1);
      expect(p.mentions.map((m) => m.surface)).toEqual(['French', 'French']);
      // Each way the story names it, once, a metonym sharing a sentence with a demonym included.
      expect(p.forms.map((f) => [f.surface, f.kind])).toEqual([['French', 'demonym'], ['Paris', 'metonym']]);
    });

    it('finds stories by words in the headline or the text, with a snippet', async () => {
      const hits = await idx.search('leaks tariff');
      expect(hits.map((h) => h.title)).toEqual(['Water board names chief as dams run low']);
      expect(hits[0]!.snippet).toContain('leaks');
      expect(hits[0]!.allWords).toBe(true);
      // No story has both words: any word may match then.
      const any = await idx.search('leaks kremlin');
      expect(any.length).toBe(2);
      expect(any.every((h) => h.allWords === false)).toBe(true);
      // Stemming: "troop" finds "troops".
      expect((await idx.search('troop')).length).toBeGreaterThanOrEqual(2);
      // Paging.
      const all = await idx.search('Zakharova', 10);
      const page2 = await idx.search('Zakharova', 1, { offset: 1 });
      expect(page2[0]?.storyId).toBe(all[1]?.storyId);
    });
  });

  describe('hostile search input', () => {
    const HOSTILE = [
      '"',
      '""',
      '*',
      '"*',
      'U.S.',
      '10:30',
      "don't",
      'title:',
      'title:foo',
      'body:(x',
      'NEAR',
      'NEAR(a b, 3)',
      'a NEAR b',
      'AND',
      'OR OR OR',
      'NOT',
      '-troops',
      '+troops',
      '^troops',
      'troops*',
      '(',
      ')',
      '{a b}:c',
      "'; DROP TABLE stories; --",
      '\u0000',
      'zak\u200Bharova',
      '\u202Eevil',
      'زاخاروفا',
      'a'.repeat(5000),
      'word '.repeat(500),
    ];

    it('never raises a query syntax error and still finds what the words say', async () => {
      const idx = await b.open();
      const text = 'U.S. talks at 10:30\n\nGENEVA — U.S. and Russian envoys met at 10:30 and said they don’t expect a deal; the title: “Troops*” NEAR the border.';
      await idx.upsert({ text, source: 't' }, parseArticle(text));
      for (const q of HOSTILE) {
        await expect(idx.search(q), q).resolves.toBeInstanceOf(Array);
      }
      expect(await idx.search('U.S.')).toHaveLength(1);
      expect(await idx.search('10:30')).toHaveLength(1);
      expect(await idx.search("don't")).toHaveLength(1);
      expect(await idx.search('"')).toEqual([]);
      expect(await idx.search('NEAR')).toHaveLength(1);
      expect(await idx.storyCount()).toBe(1);
      await idx.close();
    });

    it('turns any string into a valid query (property)', async () => {
      const idx = await b.open();
      const text = 'Story\n\nLONDON — Something happened somewhere to someone.';
      await idx.upsert({ text, source: 't' }, parseArticle(text));
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 80 }), async (q) => {
          const hits = await idx.search(q);
          expect(Array.isArray(hits)).toBe(true);
        }),
        { numRuns: 300 },
      );
      await idx.close();
    });
  });

  describe('publication time (issue 14)', () => {
    const story = (title: string, extra: Record<string, string | null>) => {
      const text = `${title}\n\nPORTHAVEN — ${title}, the harbour board said on Monday.`;
      return { input: { text, title, source: 't', ...extra }, parsed: parseArticle(text) };
    };
    it('keeps publishedAt, an unreadable raw date and firstSeenAt; periods select by publication time with late arrivals', async () => {
      let now = Date.parse('2026-12-04T10:00:00Z');
      const idx = await b.open({ clock: () => new Date(now) });
      const put = async (s: ReturnType<typeof story>) => idx.upsert(s.input, s.parsed);
      const old = await put(story('Archive harbour story', { guid: 'a', publishedAt: '2015-03-01T00:00:00Z' }));
      const late = await put(story('Late harbour story', { guid: 'l', publishedAt: '2026-12-04T07:00:00Z' }));
      const raw = await put(story('Undated harbour story', { guid: 'u', publishedRaw: '08/06/2018 - 08:00' }));
      const rec = (await idx.getStory(raw.storyId))!;
      expect(rec).toMatchObject({ publishedAt: null, publishedRaw: '08/06/2018 - 08:00', firstSeenAt: '2026-12-04T10:00:00.000Z' });
      expect((await idx.getStory(old.storyId))!.publishedRaw).toBeNull();
      const since = new Date('2026-12-04T08:00:00Z');
      const until = new Date('2026-12-05T08:00:00Z');
      const titles = async (lateMs: number) => (await idx.storiesSince(since, until, { lateArrivalMs: lateMs })).map((s) => s.title);
      expect(await titles(0)).toEqual(['Undated harbour story']);
      expect(await titles(24 * 3600_000)).toEqual(['Undated harbour story', 'Late harbour story']);
      // Newest by publication time; undated stories by first-seen time.
      expect((await idx.latestStory())!.title).toBe('Undated harbour story');
      const hits = await idx.search('harbour story');
      expect(hits.find((h) => h.storyId === raw.storyId)).toMatchObject({ undated: true, date: '2026-12-04T10:00:00.000Z' });
      expect(hits.find((h) => h.storyId === late.storyId)).toMatchObject({ undated: false, date: '2026-12-04T07:00:00.000Z' });
      now += 3600_000;
      await idx.close();
    });
  });

  describe('embargo', () => {
    it('stores an embargoed story but surfaces it only once the embargo lifts', async () => {
      const idx = await b.open();
      const w = warning();
      await idx.upsert(w.input, w.parsed);
      const e = embargoed('2030-01-01T06:00:00Z');
      const r = await idx.upsert(e.input, e.parsed);
      const before = new Date('2029-12-31T23:00:00Z');
      const after = new Date('2030-01-01T06:00:00Z');
      expect(await idx.storyCount()).toBe(2);
      expect((await idx.latestStory(before))?.title).toBe(w.parsed.title);
      expect(await idx.search('Lionheart', 10, { now: before })).toEqual([]);
      expect((await idx.listEntities(before)).some((x) => x.name === 'Aslan Lionheart')).toBe(false);
      expect(await idx.quotesBySpeaker(entityKey('person', 'Aslan Lionheart'), before)).toEqual([]);
      expect((await idx.recentQuotes(50, before)).some((q) => q.storyId === r.storyId)).toBe(false);
      const held = { text: 'We act today so that families feel it by spring', speakerKey: entityKey('person', 'Aslan Lionheart'), speakerName: 'Aslan Lionheart' };
      expect(await idx.quoteRepeats([held], before)).toEqual([0]);
      expect(await idx.quoteRepeats([held], after)).toEqual([1]);
      expect(await idx.storiesSince(new Date(0), before)).toHaveLength(1);
      expect((await idx.entityProfile([entityKey('person', 'Aslan Lionheart')], before)).stories).toEqual([]);
      // At the embargo time it is surfaced.
      expect((await idx.latestStory(after))?.title).toBe('Central bank to cut rates, embargoed');
      expect(await idx.search('Lionheart', 10, { now: after })).toHaveLength(1);
      expect((await idx.listEntities(after)).some((x) => x.name === 'Aslan Lionheart')).toBe(true);
      await idx.close();
    });
  });

  describe('entity catalog (listEntities) and /who profile limits', () => {
    const iso = (d: Date) => d.toISOString();
    /** What listEntities must say, computed from scratch from the per-story rows. */
    async function reference(idx: ArticleIndex, now: Date) {
      const vis = `(s.embargo_until IS NULL OR s.embargo_until <= '${iso(now)}')`;
      const ref = new Map<string, { stories: number; mentions: number; quotes: number; aliases: string[]; roles: string[] }>();
      for (const r of await b.rows(idx, `SELECT e.key, count(DISTINCT e.story_id) AS n FROM entities e JOIN stories s ON s.id = e.story_id WHERE ${vis} GROUP BY e.key`)) {
        ref.set(String(r.key), { stories: Number(r.n), mentions: 0, quotes: 0, aliases: [], roles: [] });
      }
      for (const r of await b.rows(idx, `SELECT e.key, count(*) AS n FROM mentions m JOIN entities e ON e.story_id = m.story_id AND e.local_id = m.entity_id JOIN stories s ON s.id = m.story_id WHERE ${vis} GROUP BY e.key`)) {
        ref.get(String(r.key))!.mentions = Number(r.n);
      }
      for (const r of await b.rows(idx, `SELECT q.speaker_key AS key, count(*) AS n FROM quotes q JOIN stories s ON s.id = q.story_id WHERE ${vis} AND q.speaker_key IS NOT NULL AND q.kind IN ('direct', 'indirect') GROUP BY q.speaker_key`)) {
        ref.get(String(r.key))!.quotes = Number(r.n);
      }
      for (const r of await b.rows(idx, `SELECT DISTINCT e.key, a.alias AS t FROM aliases a JOIN entities e ON e.story_id = a.story_id AND e.local_id = a.entity_id JOIN stories s ON s.id = a.story_id WHERE ${vis}`)) {
        ref.get(String(r.key))!.aliases.push(foldName(String(r.t)));
      }
      for (const r of await b.rows(idx, `SELECT DISTINCT e.key, x.role AS t FROM roles x JOIN entities e ON e.story_id = x.story_id AND e.local_id = x.entity_id JOIN stories s ON s.id = x.story_id WHERE ${vis}`)) {
        ref.get(String(r.key))!.roles.push(foldName(String(r.t)));
      }
      return ref;
    }
    async function expectCatalogMatches(idx: ArticleIndex, now: Date) {
      const got = new Map((await idx.listEntities(now)).map((e) => [e.key, e]));
      const ref = await reference(idx, now);
      expect([...got.keys()].sort()).toEqual([...ref.keys()].sort());
      for (const [key, r] of ref) {
        const e = got.get(key)!;
        const name = foldName(e.name);
        expect({ key, stories: e.storyCount, mentions: e.mentionCount, quotes: e.quoteCount, aliases: [...new Set(e.aliases.map(foldName))].sort(), roles: [...new Set(e.roles.map(foldName))].sort() }).toEqual({
          key,
          stories: r.stories,
          mentions: r.mentions,
          quotes: r.quotes,
          aliases: [...new Set(r.aliases)].filter((a) => a !== name).sort(),
          roles: [...new Set(r.roles)].sort(),
        });
      }
      return got;
    }

    it('keeps the catalog equal to a from-scratch count through adds, revisions, re-parses and a lifted embargo', async () => {
      let clock = new Date('2025-03-06T12:00:00Z');
      const idx = await b.open({ clock: () => clock });
      const w = warning();
      for (const s of [w, water(), followup()]) await idx.upsert(s.input, s.parsed);
      const first = await expectCatalogMatches(idx, clock);
      expect(first.get('person:mark-rutte')?.storyCount).toBe(1);
      expect(first.get('country:france')?.aliasDetails.find((a) => a.text === 'Paris')?.kind).toBe('metonym');

      // A new revision without the last paragraph: Rutte leaves the catalog, the others' counts drop.
      const text2 = w.input.text.replace(/\n\nNATO Secretary-General[^\n]*$/, '');
      expect(text2).not.toBe(w.input.text);
      expect((await idx.upsert({ ...w.input, text: text2 }, parseArticle(text2))).status).toBe('updated');
      expect((await expectCatalogMatches(idx, clock)).has('person:mark-rutte')).toBe(false);

      // Same content, a different parse (no people): the old parse's contribution is taken out.
      const noPeople = parseArticle(text2);
      noPeople.entities = noPeople.entities.filter((e) => e.type !== 'person');
      for (const q of noPeople.quotes) q.speaker = null;
      expect((await idx.upsert({ ...w.input, text: text2 }, noPeople)).status).toBe('reparsed');
      expect((await expectCatalogMatches(idx, clock)).has('person:maria-zakharova')).toBe(false);

      // Embargoed: not in the catalog before the embargo, counted from the story after it, folded in by the next write.
      const e = embargoed('2030-01-01T06:00:00Z');
      await idx.upsert(e.input, e.parsed);
      const lionheart = entityKey('person', 'Aslan Lionheart');
      expect((await expectCatalogMatches(idx, new Date('2029-12-31T00:00:00Z'))).has(lionheart)).toBe(false);
      expect((await expectCatalogMatches(idx, new Date('2030-01-02T00:00:00Z'))).has(lionheart)).toBe(true);
      expect(Number((await one(idx, 'SELECT count(*) AS n FROM stories WHERE cataloged = 0'))!.n)).toBe(1);
      clock = new Date('2030-01-02T00:00:00Z');
      const w2 = warning();
      await idx.upsert(w2.input, w2.parsed); // back to the first revision's content: a third revision
      expect(Number((await one(idx, 'SELECT count(*) AS n FROM stories WHERE cataloged = 0'))!.n)).toBe(0);
      expect((await expectCatalogMatches(idx, clock)).get('person:mark-rutte')?.storyCount).toBe(1);
      // Every entity row carries its story's sort time (the /who index), revisions included.
      const stale = await b.rows(idx, 'SELECT count(*) AS n FROM entities e JOIN stories s ON s.id = e.story_id WHERE e.sort_at IS NULL OR e.sort_at <> s.sort_at');
      expect(Number(stale[0]!.n)).toBe(0);
      expect(await count(idx, 'entities')).toBeGreaterThan(10);
      await idx.close();
    });

    it('stores a batch in one transaction; a bad story in it fails alone', async () => {
      const idx = await b.open();
      const w = warning();
      const wa = water();
      const f = followup();
      const out = await idx.upsertMany([
        { input: w.input, parsed: w.parsed },
        { input: { ...wa.input, publishedAt: 'the day after tomorrow' }, parsed: wa.parsed },
        { input: f.input, parsed: f.parsed },
      ]);
      expect(out.map((r) => ('status' in r ? r.status : 'error'))).toEqual(['added', 'error', 'added']);
      expect('error' in out[1]! && out[1].error).toMatch(/publishedAt/);
      expect(await idx.storyCount()).toBe(2);
      await expectCatalogMatches(idx, new Date());
      const again = await idx.upsertMany([{ input: w.input, parsed: structuredClone(w.parsed) }, { input: wa.input, parsed: wa.parsed }]);
      expect(again.map((r) => ('status' in r ? r.status : 'error'))).toEqual(['unchanged', 'added']);
      expect(await idx.storyCount()).toBe(3);
      await expectCatalogMatches(idx, new Date());
      await idx.close();
    });

    it('reads a /who profile from the newest stories only, and counts them all', async () => {
      const idx = await b.open();
      const w = warning();
      for (let i = 0; i < 5; i++) {
        const text = `${w.input.text}\n\nUpdate ${i + 1}: officials met again.`;
        await idx.upsert({ ...w.input, url: `https://news.example/warn-${i}`, text, publishedAt: `2025-03-0${i + 1}T10:00:00Z` }, parseArticle(text));
      }
      const key = [entityKey('country', 'France')];
      const all = await idx.entityProfile(key);
      expect(all.storyCount).toBe(5);
      expect(all.stories).toHaveLength(5);
      const two = await idx.entityProfile(key, new Date(), 2);
      expect(two.storyCount).toBe(5);
      expect(two.stories.map((s) => s.date)).toEqual(['2025-03-05T10:00:00.000Z', '2025-03-04T10:00:00.000Z']);
      const ids = new Set(two.stories.map((s) => s.storyId));
      expect(two.mentions.length).toBeGreaterThan(0);
      for (const m of two.mentions) expect(ids.has(m.story.storyId)).toBe(true);
      for (const a of two.amounts) expect(ids.has(a.story.storyId)).toBe(true);
      for (const q of [...two.quotesBy, ...two.quotesAbout]) expect(ids.has(q.storyId)).toBe(true);
      expect(two.mentions.length).toBeLessThan(all.mentions.length);
      await idx.close();
    });
  });
});
