/**
 * `/quotes` without a speaker (the latest quotes) when a story repeats one quote many times, and
 * the "appears N times" count being the same under `/quotes`, `/quotes NAME` and `/who NAME`.
 * Invented stories and people, parses stated (build.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECENT_QUOTES } from '../../src/core/commands/quotes.js';
import { createCore } from '../../src/core/index.js';
import type { Block, BotCore, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { buildParsed } from './build.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const PLEDGE = 'The ferry pier will reopen before the autumn storms';
const REPEATS = 600;

type QuoteBlock = Extract<Block, { type: 'quote' }>;
const quotesOf = (r: Reply) => r.blocks.filter((b): b is QuoteBlock => b.type === 'quote');
const contexts = (r: Reply) => r.blocks.filter((b): b is Extract<Block, { type: 'context' }> => b.type === 'context').map((b) => b.text);

/** A council story with two quotes of its own (numbered so that no two stories share words). */
function councilStory(n: number) {
  const text = `Councillors back plan number ${n} for the old mill

KESWICK — The town council voted on plan number ${n} for the old mill on Tuesday.

“Plan ${n} gives the mill a roof again,” said Imogen Tarrant, the council leader.

“We will publish the costs of plan ${n} next week,” Tarrant said.`;
  return {
    input: { text, url: `https://news.example/mill-${n}`, publishedAt: new Date(Date.UTC(2025, 3, n)).toISOString(), source: 'test' },
    parsed: buildParsed(text, {
      entities: [{ name: 'Imogen Tarrant', type: 'person', forms: [['Tarrant', 'short']], roles: ['council leader'] }],
      quotes: [
        { text: `Plan ${n} gives the mill a roof again,`, speaker: 'Imogen Tarrant' },
        { text: `We will publish the costs of plan ${n} next week,`, speaker: 'Imogen Tarrant' },
      ],
    }),
  };
}

/** A story quoting Okafor's pledge `times` times (a feed glitch, a looping transcript). */
function pledgeStory(times: number, publishedAt: string, slug: string) {
  const text = `Harbour chief repeats ferry pledge

AMBLESIDE — Rosalind Okafor, the harbour master, spoke to reporters on the quay.

${Array.from({ length: times }, () => `“${PLEDGE},” Okafor said.`).join('\n\n')}`;
  return {
    input: { text, url: `https://news.example/${slug}`, publishedAt, source: 'test' },
    parsed: buildParsed(text, {
      entities: [{ name: 'Rosalind Okafor', type: 'person', forms: [['Okafor', 'short']], roles: ['harbour master'] }],
      quotes: Array.from({ length: times }, (_, i) => ({ text: `${PLEDGE},`, speaker: 'Rosalind Okafor', occurrence: i + 1 })),
    }),
  };
}

describe('/quotes alone: the latest quotes, repeats merged before the window is cut', () => {
  let index: SqliteIndex;
  let core: BotCore;
  const ask = (command: 'quotes' | 'who', args = '', page?: number) => core.handle({ command, args, platform: 'terminal', userId: 't', ...(page ? { page } : {}) });

  beforeAll(async () => {
    index = SqliteIndex.open(':memory:');
    // The pledge once in an older story, twelve council stories, then the newest story repeating the pledge.
    const stories = [pledgeStory(1, '2025-03-20T08:00:00Z', 'pledge-first'), ...Array.from({ length: 12 }, (_, i) => councilStory(i + 1)), pledgeStory(REPEATS, '2025-04-20T08:00:00Z', 'pledge-again')];
    for (const s of stories) await index.upsert(s.input, s.parsed);
    core = createCore({ index, now: () => NOW, config: { display: { quotesPerPage: 5 } } });
  });
  afterAll(async () => {
    await index.close();
  });

  it('shows every story’s quotes, the repeated one once', async () => {
    const r = await ask('quotes');
    expect(r.title).toBe('Latest quotes');
    // 12 × 2 council quotes and the pledge; its older story's copy is merged into the newest one.
    expect(contexts(r)).toEqual(['25 quotes (25 direct, 0 reported) in 13 stories · page 1 of 5']);
    expect(quotesOf(r).map((q) => q.text)).toEqual([
      PLEDGE,
      'Plan 12 gives the mill a roof again',
      'We will publish the costs of plan 12 next week',
      'Plan 11 gives the mill a roof again',
      'We will publish the costs of plan 11 next week',
    ]);
    const last = await ask('quotes', '', 5);
    expect(last.status).toBe('answer');
    expect(quotesOf(last).map((q) => q.text)).toEqual([
      'We will publish the costs of plan 3 next week',
      'Plan 2 gives the mill a roof again',
      'We will publish the costs of plan 2 next week',
      'Plan 1 gives the mill a roof again',
      'We will publish the costs of plan 1 next week',
    ]);
    expect(last.actions).toBeUndefined();
    expect((await ask('quotes', '', 6)).blocks[0]).toEqual({ type: 'paragraph', text: 'There are only 5 pages of quotes for this.' });
  });

  it('counts "appears N times" over the whole index, the same under /quotes, /quotes NAME and /who', async () => {
    const latest = quotesOf(await ask('quotes'))[0]!;
    const bySpeaker = quotesOf(await ask('quotes', 'okafor'))[0]!;
    const who = quotesOf(await ask('who', 'Rosalind Okafor'))[0]!;
    for (const q of [latest, bySpeaker, who]) expect(q).toMatchObject({ text: PLEDGE, speaker: 'Rosalind Okafor', occurrences: REPEATS + 1 });
    // A quote said once carries no count.
    expect(quotesOf(await ask('quotes'))[1]!.occurrences).toBeUndefined();
  });
});

describe('/quotes alone: the window', () => {
  it(`holds the latest ${RECENT_QUOTES} distinct quotes and says so`, async () => {
    const index = SqliteIndex.open(':memory:');
    try {
      // 55 stories of two quotes each: 110 distinct quotes, the oldest 10 beyond the window.
      for (let n = 1; n <= 55; n++) {
        const s = councilStory(n);
        await index.upsert({ ...s.input, publishedAt: new Date(Date.UTC(2025, 0, 1, n)).toISOString() }, s.parsed);
      }
      const core = createCore({ index, now: () => NOW, config: { display: { quotesPerPage: 10 } } });
      const r = await core.handle({ command: 'quotes', args: '', platform: 'terminal', userId: 't' });
      expect(contexts(r)).toEqual([`The latest ${RECENT_QUOTES} quotes; /quotes NAME for everything one speaker said.`, `${RECENT_QUOTES} quotes (${RECENT_QUOTES} direct, 0 reported) in 50 stories · page 1 of 10`]);
      const last = await core.handle({ command: 'quotes', args: '', platform: 'terminal', userId: 't', page: 10 });
      expect(quotesOf(last).at(-1)!.text).toBe('We will publish the costs of plan 6 next week');
    } finally {
      await index.close();
    }
  });
});
