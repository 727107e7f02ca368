import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import type { Block, BotCore, CommandRequest, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { embargoed, followup, warning, water } from './stories.js';

const NOW = new Date('2025-03-10T12:00:00Z');
let index: SqliteIndex;
let core: BotCore;

beforeAll(async () => {
  index = SqliteIndex.open(':memory:');
  for (const s of [water(), warning(), followup(), embargoed('2030-01-01T00:00:00Z')]) await index.upsert(s.input, s.parsed);
  core = createCore({ index, now: () => NOW, config: { display: { quotesPerPage: 2 } } });
});
afterAll(async () => {
  await index.close();
});

const ask = (command: CommandRequest['command'], args = '', page?: number): Promise<Reply> =>
  core.handle({ command, args, platform: 'terminal', userId: 'test', ...(page ? { page } : {}) });
const blocksOf = <T extends Block['type']>(r: Reply, type: T) => r.blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
const allText = (r: Reply) => JSON.stringify(r);
const field = (r: Reply, label: string) => blocksOf(r, 'fields').flatMap((b) => b.fields).find((f) => f.label === label)?.value;

describe('name resolution (shared by every command)', () => {
  it.each([
    ['zakharova', 'Maria Zakharova'],
    ['ZAKHAROVA', 'Maria Zakharova'],
    ['Maria Zakharova', 'Maria Zakharova'],
    ['  maria   zakharova ', 'Maria Zakharova'],
    ['Zakharova’s', 'Maria Zakharova'],
    ['macron', 'Emmanuel Macron'],
    ['emmanuel', 'Emmanuel Macron'],
    ['france', 'France'],
    ['french', 'France'],
    ['paris', 'France'],
    ['the Russian Foreign Ministry', 'Russian Foreign Ministry'],
    ['foreign ministry', 'Russian Foreign Ministry'],
    ['nato', 'NATO'],
  ])('/who %s → %s', async (query, name) => {
    const r = await ask('who', query);
    expect(r.status).toBe('answer');
    expect(r.title).toBe(name);
  });

  it('explains a metonym and a demonym', async () => {
    const paris = await ask('who', 'paris');
    expect(blocksOf(paris, 'context')[0]?.text).toBe('“Paris” stands for France in the stories.');
    expect(field(paris, 'Also called')).toBe('French (adjective); Paris (capital, used for France)');
    const french = await ask('who', 'french');
    expect(blocksOf(french, 'context')[0]?.text).toBe('“French” stands for France in the stories.');
  });

  it('forgives small typos and says so', async () => {
    const r = await ask('quotes', 'zaharova');
    expect(r.status).toBe('answer');
    expect(r.title).toBe('Quotes from Maria Zakharova');
    expect(blocksOf(r, 'context')[0]?.text).toBe('No exact match for “zaharova”; showing the closest name, Maria Zakharova.');
    expect((await ask('who', 'Emanuel Macron')).title).toBe('Emmanuel Macron');
    expect((await ask('who', 'frnace')).title).toBe('France');
  });

  it('lists the candidates for an ambiguous surname', async () => {
    const r = await ask('who', 'ndlovu');
    expect(r.status).toBe('ambiguous');
    expect(r.title).toBe('“ndlovu” could mean 2 people');
    expect(r.visibility).toBe('ephemeral');
    const items = blocksOf(r, 'list')[0]!.items;
    expect(items).toHaveLength(2);
    expect(items.join('\n')).toMatch(/Thandi Ndlovu \(person\): chief executive, 1 story/);
    expect(items.join('\n')).toMatch(/Sipho Ndlovu \(person\): city councillor, 1 story/);
    expect((await ask('who', 'sipho ndlovu')).title).toBe('Sipho Ndlovu');
    // /quotes resolves the same way.
    expect((await ask('quotes', 'ndlovu')).status).toBe('ambiguous');
  });

  it('merges a surname-only person from another story into the full name', async () => {
    const r = await ask('quotes', 'zakharova');
    expect(allText(r)).toContain('Nothing has changed in our assessment');
    const who = await ask('who', 'Maria Zakharova');
    expect(field(who, 'Seen in')).toMatch(/^2 stories/);
  });

  it('says "not found", with suggestions when something is close', async () => {
    const none = await ask('who', 'xyzzy plugh');
    expect(none.status).toBe('notFound');
    expect(none.blocks[0]).toEqual({ type: 'paragraph', text: 'Nobody and nothing called “xyzzy plugh” appears in the stories indexed.' });
    const close = await ask('who', 'zakharovsky');
    expect(close.status === 'notFound' || close.title === 'Maria Zakharova').toBe(true);
    if (close.status === 'notFound') expect(allText(close)).toContain('Did you mean Maria Zakharova');
  });

  it('never surfaces an embargoed story’s people', async () => {
    expect((await ask('who', 'Aslan Lionheart')).status).toBe('notFound');
    expect((await ask('quotes', 'lionheart')).status).toBe('notFound');
    expect(await core.suggest('entity', 'lion', 10)).toEqual([]);
  });
});

describe('/quotes', () => {
  it('lists each distinct quote once, with context, story and date, in pages', async () => {
    const r = await ask('quotes', 'Maria Zakharova');
    expect(r.status).toBe('answer');
    expect(r.visibility).toBe('channel');
    const quotes = blocksOf(r, 'quote');
    expect(quotes).toHaveLength(2);
    // The newest story first; the repeated quote merged; the partial inside reported speech not repeated.
    expect(quotes[0]).toMatchObject({ text: 'Russia’s position had not changed', kind: 'indirect', cue: 'told reporters', speaker: 'Maria Zakharova' });
    expect(quotes[0]!.citation).toMatchObject({ title: 'Kremlin repeats warning on troops', date: '2025-03-07T09:00:00.000Z', url: 'https://news.example/kremlin-repeats' });
    expect(blocksOf(r, 'context').at(-1)?.text).toBe('4 quotes (2 direct, 2 reported) in 2 stories · page 1 of 2');
    expect(r.actions).toEqual([{ type: 'page', label: 'More quotes (page 2 of 2)', request: { command: 'quotes', args: 'Maria Zakharova', page: 2 } }]);

    const p2 = await ask('quotes', 'Maria Zakharova', 2);
    const q2 = blocksOf(p2, 'quote');
    expect(q2.map((q) => q.text)).toEqual(['Such troops would be a legitimate target for us', 'the plan was “categorically unacceptable” to Moscow']);
    expect(q2[0]).toMatchObject({ kind: 'direct', occurrences: 2, speaker: 'Maria Zakharova' });
    expect(q2[0]!.context).toBe('“Such troops would be a legitimate target for us,” said Maria Zakharova, spokeswoman for the Russian Foreign Ministry.');
    expect(q2[0]!.citation.title).toBe('Moscow warns against European troops in Ukraine');
    expect(p2.actions).toBeUndefined();

    const p3 = await ask('quotes', 'Maria Zakharova', 3);
    expect(p3.status).toBe('error');
    expect(p3.blocks[0]).toEqual({ type: 'paragraph', text: 'There are only 2 pages of quotes for this.' });
  });

  it('shows the latest quotes without a speaker', async () => {
    const r = await ask('quotes');
    expect(r.title).toBe('Latest quotes');
    expect(blocksOf(r, 'quote')[0]!.citation.title).toBe('Kremlin repeats warning on troops');
  });

  it('finds anonymous sources by their description', async () => {
    const r = await ask('quotes', 'senior official');
    expect(r.status).toBe('answer');
    expect(blocksOf(r, 'quote').map((q) => [q.text, q.speaker, q.kind])).toEqual([['Dam levels stood at 38 percent', 'a senior official at the board', 'indirect']]);
  });

  it('says when a known entity has no quotes', async () => {
    const r = await ask('quotes', 'france');
    expect(r.status).toBe('notFound');
    expect(r.blocks).toContainEqual({ type: 'paragraph', text: 'France is mentioned in 1 story but not quoted in any.' });
  });
});

describe('/who', () => {
  it('answers France with type, aliases, related people with roles, statements and numbers, all cited', async () => {
    const r = await ask('who', 'france');
    expect(r.title).toBe('France');
    expect(field(r, 'Type')).toBe('country');
    expect(field(r, 'Seen in')).toBe('1 story, 3 mentions');
    expect(field(r, 'Datelines')).toBe('MOSCOW');
    const headings = blocksOf(r, 'heading').map((h) => h.text);
    // Every sentence naming France is shown as a quote or a number, so there is no "In the stories" section.
    expect(headings).toEqual(['People linked to France', 'What others said about France', 'Numbers']);
    expect(blocksOf(r, 'list')[0]!.items[0]).toBe('Emmanuel Macron, French President');
    const about = blocksOf(r, 'quote').map((q) => q.speaker);
    expect(about).toEqual(['Emmanuel Macron', 'Mark Rutte']);
    const numbers = blocksOf(r, 'paragraph').filter((p) => p.text.startsWith('6,000 troops: '));
    expect(numbers).toHaveLength(1);
    expect(numbers[0]!.citation?.title).toBe('Moscow warns against European troops in Ukraine');
    for (const p of blocksOf(r, 'paragraph')) expect(p.citation).toBeDefined();
    expect(blocksOf(r, 'context').at(-1)?.text).toBe('Sources: Moscow warns against European troops in Ukraine (2025-03-05)');
  });

  it('answers a person with role, affiliation and what they said', async () => {
    const r = await ask('who', 'zakharova');
    expect(field(r, 'Role')).toBe('spokeswoman for the Russian Foreign Ministry');
    expect(field(r, 'Affiliation')).toBe('Russian Foreign Ministry');
    expect(field(r, 'Also called')).toBe('Zakharova');
    expect(blocksOf(r, 'heading').map((h) => h.text)).toContain('What Maria Zakharova said');
    expect(blocksOf(r, 'quote').length).toBeGreaterThanOrEqual(3);
  });

  it('asks for a name when given none', async () => {
    const r = await ask('who', ' \u200B  ');
    expect(r.status).toBe('error');
    expect(r.title).toBe('/who needs more');
    expect(r.blocks[0]).toEqual({ type: 'paragraph', text: 'Usage: /who <name> [words], e.g. /who france.' });
  });
});

describe('/summary', () => {
  it('summarises the newest surfaced story with its summary sentences verbatim, cited', async () => {
    const r = await ask('summary');
    const story = followup();
    expect(r.title).toBe('Kremlin repeats warning on troops');
    const paras = blocksOf(r, 'paragraph');
    expect(paras.map((p) => p.text)).toEqual(story.parsed.summary.slice(0, 3).map((i) => story.parsed.sentences[i]!.text));
    for (const p of paras) expect(p.citation).toMatchObject({ title: 'Kremlin repeats warning on troops', url: 'https://news.example/kremlin-repeats' });
    expect(blocksOf(r, 'context')[0]!.text).toBe('MOSCOW · 2025-03-07');
  });

  it('finds a story by words of its headline or text', async () => {
    const r = await ask('summary', 'water board');
    expect(r.title).toBe('Water board names chief as dams run low');
    expect(blocksOf(r, 'context')).toContainEqual({ type: 'context', text: 'Best match for “water board”.' });
    const loose = await ask('summary', 'water qqqzzz');
    expect(loose.title).toBe('Water board names chief as dams run low');
    expect(blocksOf(loose, 'context')).toContainEqual({ type: 'context', text: 'No story has all of “water qqqzzz”; closest match.' });
    expect((await ask('summary', 'qqq zzzx')).status).toBe('notFound');
  });

  it('caps the sentences at the configured number', async () => {
    const one = createCore({ index, now: () => NOW, config: { display: { summarySentences: 1 } } });
    const r = await one.handle({ command: 'summary', args: 'european troops', platform: 'slack', userId: 'U1' });
    expect(blocksOf(r, 'paragraph')).toHaveLength(1);
  });

  it('says so on an empty index', async () => {
    const empty = SqliteIndex.open(':memory:');
    const r = await createCore({ index: empty }).handle({ command: 'summary', args: '', platform: 'terminal', userId: 'x' });
    expect(r.status).toBe('notFound');
    expect(r.title).toBe('No stories yet');
    await empty.close();
  });
});

describe('/search and /help', () => {
  it('searches headlines and text, safely', async () => {
    const r = await ask('search', 'leaks tariff');
    expect(r.status).toBe('answer');
    expect(blocksOf(r, 'paragraph')[0]!.citation?.title).toBe('Water board names chief as dams run low');
    for (const q of ['NEAR(', 'title:', "don't", 'U.S.', 'tariff*']) expect(['answer', 'notFound']).toContain((await ask('search', q)).status);
    // Nothing to look for (no letter or digit, or only words too common to search for): refused with usage.
    for (const q of ['"', '*', 'the of']) expect((await ask('search', q)).status).toBe('error');
    expect((await ask('search', '')).status).toBe('error');
  });

  it('lists the commands', async () => {
    const r = await ask('help');
    expect(r.status).toBe('help');
    expect(r.visibility).toBe('ephemeral');
    const items = blocksOf(r, 'list')[0]!.items;
    const usages = items.map((i) => i.split(':')[0]);
    expect(usages.slice(0, 4)).toEqual(['/summary [story]', '/quotes [speaker] [about <words>]', '/who <name> [words]', '/search <words>']);
    expect(usages.at(-1)).toBe('/help [command]');
    expect(blocksOf(r, 'context')[0]!.text).toBe('4 stories in the index.');
  });

  it('explains one command with /help <command>, and lists them all for an unknown name', async () => {
    for (const arg of ['who', '/who', 'WHO']) {
      const r = await ask('help', arg);
      expect(r.title).toBe('/who');
      expect(blocksOf(r, 'list')[0]!.items).toEqual(['Usage: /who <name> [words]', 'Example: /who france']);
    }
    const all = await ask('help', 'weather');
    expect(all.title).toBe('No command /weather');
    expect(blocksOf(all, 'paragraph')[0]!.text).toBe('There is no /weather command. These are the commands:');
    expect(blocksOf(all, 'list')[0]!.items).toHaveLength(10);
  });
});

describe('bad input', () => {
  it('refuses a 10,000-character argument with a clear message', async () => {
    const r = await ask('who', 'x'.repeat(10_000));
    expect(r.status).toBe('error');
    expect(r.title).toBe('Argument too long');
    expect(r.blocks[0]).toEqual({ type: 'paragraph', text: 'Sorry, that argument is 10,000 characters long; the limit is 200.' });
  });

  it('ignores zero-width and bidi control characters in names', async () => {
    expect((await ask('who', 'zak\u200Bharo\u200Dva')).title).toBe('Maria Zakharova');
    expect((await ask('who', '\u202Efrance\u202C')).title).toBe('France');
    expect((await ask('who', '\uFEFFparis')).title).toBe('France');
  });

  it('answers right-to-left and other unknown scripts with "not found"', async () => {
    const r = await ask('who', 'ماريا زاخاروفا');
    expect(r.status).toBe('notFound');
    expect(r.title).toBe('Not found: “ماريا زاخاروفا”');
  });

  it('returns an error reply, never throws, for malformed requests', async () => {
    const bad = [
      { command: 'bogus', args: '', platform: 'terminal', userId: 'x' },
      { command: 'who', args: 42, platform: 'terminal', userId: 'x' },
      { command: 'quotes', args: 'zakharova', platform: 'terminal', userId: 'x', page: 0 },
      { command: 'quotes', args: 'zakharova', platform: 'terminal', userId: 'x', page: 1.5 },
      { command: 'who', args: 'france', platform: 'fax', userId: 'x' },
    ] as unknown as CommandRequest[];
    for (const req of bad) {
      const r = await core.handle(req);
      expect(r.status).toBe('error');
      expect(r.visibility).toBe('ephemeral');
    }
  });

  it('reports a failing index as an error reply', async () => {
    const broken = SqliteIndex.open(':memory:');
    await broken.close();
    const logged: object[] = [];
    const r = await createCore({ index: broken, logger: { error: (o) => logged.push(o) } }).handle({ command: 'summary', args: '', platform: 'terminal', userId: 'x' });
    expect(r.status).toBe('error');
    expect(r.title).toBe('Something went wrong');
    expect(logged).toHaveLength(1);
  });
});

describe('suggest', () => {
  it('completes speakers and entities by prefix, most mentioned first', async () => {
    expect(await core.suggest('speaker', 'zak', 5)).toEqual(['Maria Zakharova']);
    expect(await core.suggest('speaker', 'fra', 5)).not.toContain('France');
    expect(await core.suggest('entity', 'fr', 5)).toContain('France');
    expect(await core.suggest('entity', 'par', 5)).toContain('France');
    expect((await core.suggest('entity', '', 3)).length).toBe(3);
    expect((await core.suggest('entity', '', 100)).length).toBeLessThanOrEqual(25);
    expect(await core.suggest('entity', 'zaharo', 5)).toContain('Maria Zakharova');
  });
});

describe('architecture', () => {
  it('keeps the core free of platform and I/O imports', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith('.ts')) files.push(f);
      }
    };
    walk(path.join(import.meta.dirname, '../../src/core'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const imports = [...fs.readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const i of imports) expect(i, `${f} imports ${i}`).not.toMatch(/@slack|discord|readline|^node:(fs|net|http|child_process)|adapters|render/);
    }
  });
});

describe('/who with repeated material', () => {
  it('shows a figure repeated word for word (a paragraph filed twice) once', async () => {
    const idx = SqliteIndex.open(':memory:');
    const { parseArticle } = await import('../../src/parse/index.js');
    const para = 'French President Emmanuel Macron said Paris could send up to 6,000 troops to the mission.';
    const text = `France weighs troop offer\n\nPARIS — ${para}\n${para}\nOfficials in Paris declined to give a timetable.`;
    await idx.upsert({ text, source: 'test', guid: 'repeat-1' }, parseArticle(text));
    await idx.upsert({ text: text + '\nA later paragraph.', source: 'test', guid: 'repeat-2' }, parseArticle(text + '\nA later paragraph.'));
    const c = createCore({ index: idx, now: () => NOW });
    const r = await c.handle({ command: 'who', args: 'france', platform: 'terminal', userId: 't' });
    const numbers = blocksOf(r, 'paragraph').filter((b) => b.text.startsWith('6,000 troops'));
    expect(numbers).toHaveLength(1);
    await idx.close();
  });
});
