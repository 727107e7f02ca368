/**
 * /check on stories written for the test (test/check/stories.ts), on both index backends
 * (PostgreSQL when TEST_DATABASE_URL is set): verbatim, close (the diff checked word by word),
 * a fragment, two quotes joined, the wrong speaker, an unknown quote, a quote carried by three
 * stories (the first by publication time), reported speech only; plus the alignment itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import { align, claimTokens, judge } from '../../src/core/quotecheck.js';
import { readCheckArgs } from '../../src/core/commands/check.js';
import type { BotCore, Block, Reply } from '../../src/core/types.js';
import { quoteTokens } from '../../src/index/keys.js';
import type { ArticleIndex } from '../../src/index/types.js';
import { parseArticle } from '../../src/parse/index.js';
import { BACKENDS, POSTGRES_SKIP_REASON } from '../index/backends.js';
import { CHAIR_QUOTE, CHECK_STORIES, FLEET_QUOTE } from './stories.js';

const NOW = new Date('2026-04-01T12:00:00Z');
const blocks = <T extends Block['type']>(r: Reply, type: T) => r.blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);
const field = (r: Reply, label: string) => blocks(r, 'fields').flatMap((b) => b.fields).find((f) => f.label === label)?.value;
const text = (r: Reply) => [r.title, ...r.blocks.map((b) => ('text' in b ? b.text : ''))].join('\n');

describe.each(BACKENDS)('/check on %s', (name, backend) => {
  let index: ArticleIndex;
  let core: BotCore;
  const check = (args: string) => core.handle({ command: 'check', args, platform: 'terminal', userId: 'desk' });

  beforeAll(async () => {
    if (!backend) return;
    index = await backend.open();
    for (const s of CHECK_STORIES) await index.upsert(s, parseArticle(s.text));
    core = createCore({ index, now: () => NOW });
  });
  afterAll(async () => {
    await index?.close();
    await backend?.cleanup();
  });
  const run = backend ? it : it.skip;
  if (!backend) it.skip(`skipped: ${POSTGRES_SKIP_REASON}`, () => undefined);

  run('a verbatim quote: speaker, story, publication time, and the first of the three stories that carried it', async () => {
    const r = await check(`“${CHAIR_QUOTE}”`);
    expect(r.status).toBe('answer');
    expect(r.title).toBe('Verbatim: Ingrid Solberg');
    expect(field(r, 'Speaker')).toBe('Ingrid Solberg');
    // Stored last, published first.
    expect(field(r, 'Story')).toBe('Harbour board puts off dredging of Halden channel');
    expect(field(r, 'Published')).toBe('2 Mar 2026 09:00 UTC');
    expect(field(r, 'First carried by')).toBe('“Harbour board puts off dredging of Halden channel” (2 Mar 2026)');
    expect(field(r, 'Carried by')).toBe('3 stories');
    const q = blocks(r, 'quote')[0]!;
    expect(q.kind).toBe('direct');
    expect(q.citation.url).toBe('https://news.example.org/halden/dredging-delayed');
  });

  run('an undated story is cited as undated, never with its first-seen time as a publication time', async () => {
    const undated = await backend!.open();
    try {
      const text = 'Ferry notice\n\n“The night crossing returns in May,” said Oskar Lind, the ferry master.';
      await undated.upsert({ text, title: 'Ferry notice', source: 'test' }, parseArticle(text));
      const c = createCore({ index: undated, now: () => NOW });
      const r = await c.handle({ command: 'check', args: '“The night crossing returns in May”', platform: 'terminal', userId: 'desk' });
      expect(field(r, 'Published')).toMatch(/^undated, first seen /);
      expect(field(r, 'Published')).not.toMatch(/UTC/);
    } finally {
      await undated.close();
    }
  });

  run('two words changed, one dropped and straight quotation marks: close, with the words that differ', async () => {
    const r = await check('"We will not dredge the harbour until the survey of seabed is complete"');
    expect(r.title).toBe('Close, not verbatim: Ingrid Solberg');
    expect(text(r)).toContain('3 words differ from what Ingrid Solberg said');
    expect(blocks(r, 'diff')[0]!.parts).toEqual([
      { op: 'same', text: 'We will not dredge the' },
      { op: 'claim', text: 'harbour' },
      { op: 'story', text: 'channel' },
      { op: 'same', text: 'until the survey of' },
      { op: 'story', text: 'the' },
      { op: 'same', text: 'seabed is' },
      { op: 'claim', text: 'complete' },
      { op: 'story', text: 'finished' },
    ]);
    expect(field(r, 'First carried by')).toContain('2 Mar 2026');
  });

  run('a fragment of a longer quote: partial', async () => {
    const r = await check('until the survey of the seabed is finished');
    expect(r.title).toBe('Partial: Ingrid Solberg');
    expect(text(r)).toContain('part of a longer quote (8 words of 14)');
  });

  run('two quotes joined: partial, showing both', async () => {
    const r = await check(`"${CHAIR_QUOTE}. ${FLEET_QUOTE}."`);
    expect(r.title).toBe('Partial: two quotes joined');
    expect(text(r)).toContain('The first 14 words come from one quote and the rest from another');
    expect(blocks(r, 'quote').map((q) => q.speaker)).toEqual(['Ingrid Solberg', 'Tomas Berg']);
  });

  run('the words attributed to the wrong person: said plainly', async () => {
    const r = await check(`berg: "${CHAIR_QUOTE}"`);
    expect(r.title).toBe('Verbatim, but not Tomas Berg: Ingrid Solberg');
    expect(blocks(r, 'paragraph')[0]!.text).toBe("Not Tomas Berg's words: the archive has them from Ingrid Solberg.");
    // The right speaker gets no such line.
    const right = await check(`solberg: "${CHAIR_QUOTE}"`);
    expect(right.title).toBe('Verbatim: Ingrid Solberg');
    expect(text(right)).not.toContain('Not Ingrid');
  });

  run('an unknown quote: not found, nothing near', async () => {
    const r = await check('"The bridge will reopen to lorries next spring"');
    expect(r.status).toBe('notFound');
    expect(r.title).toBe('Not found');
    expect(text(r)).toContain('No direct quote in the archive has these words, and none comes near.');
    expect(blocks(r, 'quote')).toEqual([]);
  });

  run('reported speech only: shown as such, never confirming a direct quote', async () => {
    const r = await check('solberg: "the survey would take at least six weeks"');
    expect(r.status).toBe('notFound');
    expect(text(r)).toContain('Only reported speech comes near');
    const q = blocks(r, 'quote');
    expect(q).toHaveLength(1);
    expect(q[0]!.kind).toBe('indirect');
    expect(q[0]!.speaker).toBe('Ingrid Solberg');
  });

  run('a colon inside an unquoted claim is part of it when the words before it name no one', async () => {
    const r = await check('We will not dredge the channel: until the survey of the seabed is finished');
    expect(r.title).toBe('Verbatim: Ingrid Solberg');
    expect(text(r)).not.toContain('attributed to');
  });

  run('a claim too short to check, and quotation marks of any style', async () => {
    expect((await check('"the channel"')).status).toBe('error');
    for (const wrapped of [`«${CHAIR_QUOTE}»`, `'${CHAIR_QUOTE}'`, `„${CHAIR_QUOTE.toUpperCase()}“`]) expect((await check(wrapped)).title).toBe('Verbatim: Ingrid Solberg');
  });

  run('the index finds every story carrying the words, oldest first, and candidates for a changed quote', async () => {
    const seen = await index.quotesWithWords(`${CHAIR_QUOTE}!`, { now: NOW });
    expect(seen.directStories).toBe(3);
    expect(seen.quotes.map((q) => q.storyDate?.slice(0, 10))).toEqual(['2026-03-02', '2026-03-05', '2026-03-09']);
    const near = await index.quoteCandidates('We will not dredge the harbour until the survey of seabed is complete', { now: NOW });
    expect(near.some((q) => q.text.startsWith('We will not dredge'))).toBe(true);
    // Hostile text is never query syntax.
    expect(await index.quoteCandidates('NEAR( "" OR * AND -', { now: NOW })).toEqual([]);
  });
});

describe('alignment', () => {
  it('an ellipsis lets words be left out at no cost', () => {
    const quote = quoteTokens(CHAIR_QUOTE);
    const a = align(claimTokens('We will not dredge … until the survey of the seabed is finished'), quote);
    expect(a).toEqual({ cost: 0, start: 0, end: 14, elided: true });
    // Without the ellipsis, the four missing words cost four.
    expect(align(claimTokens('We will not dredge until the survey of the seabed is finished'), quote).cost).toBe(2);
  });

  it('case, accents, apostrophes and digit groups do not count', () => {
    const quote = quoteTokens('It won’t cost 6,000 crowns, said the Café owner');
    expect(align(claimTokens("IT WONT COST 6000 CROWNS SAID THE CAFE OWNER"), quote).cost).toBe(0);
  });

  it('judges reported speech as not found, even when it matches word for word', () => {
    const words = 'the survey would take at least six weeks';
    const v = judge(claimTokens(words), [
      { storyId: 's', storyTitle: 't', storyDate: null, storyUrl: null, kind: 'indirect', text: words, speakerName: 'X', speakerKey: null, cue: 'said', context: words, start: 0, end: 1, quoteId: 'q1', partial: false, sentence: 0 },
    ]);
    expect(v.kind).toBe('notFound');
    expect(v.kind === 'notFound' && v.reported).toHaveLength(1);
  });

  it('reads the speaker before a colon and strips quotation marks', () => {
    expect(readCheckArgs('Ingrid Solberg: “We will not dredge”')).toEqual({ speaker: 'Ingrid Solberg', claim: 'We will not dredge' });
    expect(readCheckArgs('"Note: this is one quote"')).toEqual({ speaker: null, claim: 'Note: this is one quote' });
  });
});
