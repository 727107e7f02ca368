/**
 * Digest content (`buildDigest`) over the dev corpus, read from /work/shared/corpus/dev at test
 * time: every story with its headline and its parser summary sentence; the most-quoted speakers,
 * most-mentioned names and notable numbers as the parses say (counted here independently); the
 * limits; and mention-safe rendering on Slack and Discord.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, formatLocal, localMidnight } from '../../src/core/digest.js';
import { createCore } from '../../src/core/index.js';
import type { Block } from '../../src/core/types.js';
import { entityKey } from '../../src/index/keys.js';
import type { SqliteIndex } from '../../src/index/sqlite.js';
import type { StoryRecord } from '../../src/index/types.js';
import { parseArticle } from '../../src/parse/index.js';
import { renderDiscord } from '../../src/render/discord.js';
import { renderTerminal } from '../../src/render/terminal.js';
import { buildParsed } from '../core/build.js';
import { liveMentions, renderSlack, slackLimitViolations } from '../../src/render/slack.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { ingest, openIndex, tempDb } from './helpers.js';
import { BAIT_STORY, HARBOUR_STORY } from './stories.js';

const CORPUS = '/work/shared/corpus/dev';
const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => f.endsWith('.txt')).sort() : [];

const clock = new ManualClock('2025-05-06T06:00:00Z');
let index: SqliteIndex;
let stories: StoryRecord[];
const period = { since: new Date('2025-05-06T00:00:00Z'), until: new Date('2025-05-06T08:00:00Z') };

beforeAll(async () => {
  index = openIndex(tempDb(), clock);
  for (const f of files) {
    const text = fs.readFileSync(path.join(CORPUS, f), 'utf8');
    await index.upsert({ text, source: path.join(CORPUS, f) }, parseArticle(text));
  }
  stories = await index.storiesSince(period.since, period.until);
});

afterAll(async () => {
  await index.close();
});

const ofType = <T extends Block['type']>(blocks: Block[], type: T) => blocks.filter((b): b is Extract<Block, { type: T }> => b.type === type);

/** Blocks between the heading `name` and the next heading. */
function section(blocks: Block[], name: string): Block[] {
  const start = blocks.findIndex((b) => b.type === 'heading' && b.text === name);
  if (start < 0) return [];
  const end = blocks.findIndex((b, i) => i > start && b.type === 'heading');
  return blocks.slice(start + 1, end < 0 ? undefined : end);
}

describe('a digest of the dev corpus', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(stories).toHaveLength(files.length);
  });

  it('lists every story with its headline and its first summary sentence, newest first, within the limit', async () => {
    const { reply, storyCount, empty } = await buildDigest(index, period, { limits: { stories: 50 } });
    expect(empty).toBe(false);
    expect(storyCount).toBe(files.length);
    expect(reply.title).toBe(`Digest: ${files.length} new stories`);
    const listed = ofType(section(reply.blocks, 'Stories'), 'paragraph');
    expect(listed.map((p) => p.citation?.title)).toEqual(stories.map((s) => s.title));
    for (const [i, p] of listed.entries()) {
      const s = stories[i]!;
      const first = s.parsed.sentences[s.parsed.summary[0] ?? 0]!.text.replace(/\s+/g, ' ').trim();
      expect(first.startsWith(p.text.replace(/…$/, ''))).toBe(true);
    }
    const few = await buildDigest(index, period, { limits: { stories: 3 } });
    expect(ofType(section(few.reply.blocks, 'Stories'), 'paragraph')).toHaveLength(3);
    expect(section(few.reply.blocks, 'Stories').at(-1)).toEqual({
      type: 'context',
      text: `… and ${files.length - 3} more stories; /search finds them.`,
    });
  });

  it('names the most-quoted speakers with one of their quotes each', async () => {
    // Count independently: quotes (direct and reported) whose speaker is a person or organisation.
    const tally = new Map<string, { name: string; n: number; quotes: Set<string> }>();
    for (const s of stories) {
      for (const q of s.parsed.quotes) {
        const e = s.parsed.entities.find((x) => x.id === q.speaker?.entityId);
        if (q.kind === 'term' || !e || (e.type !== 'person' && e.type !== 'organization') || !q.text.trim()) continue;
        const k = entityKey(e.type, e.name);
        const t = tally.get(k) ?? { name: e.name, n: 0, quotes: new Set<string>() };
        t.n++;
        t.quotes.add(q.text.replace(/,\s*$/, ''));
        tally.set(k, t);
      }
    }
    const { reply } = await buildDigest(index, period);
    const quotes = ofType(section(reply.blocks, 'Most quoted'), 'quote');
    expect(quotes).toHaveLength(4);
    const counts = quotes.map((q) => Number(/^(\d+) quotes?/.exec(q.note ?? '')![1]));
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    // Each speaker's count is the one /quotes gives (every story of the index is in the period),
    // and the quote shown is one of theirs.
    const core = createCore({ index, now: () => period.until });
    for (const q of quotes) {
      const name = q.speaker;
      const t = [...tally.values()].find((x) => x.name === name)!;
      expect(t.quotes.has(q.text)).toBe(true);
      const answer = await core.handle({ command: 'quotes', args: name, platform: 'terminal', userId: 'u' });
      const line = answer.blocks.filter((b) => b.type === 'context').map((b) => (b as { text: string }).text).find((x) => /\d+ quotes? /.test(x)) ?? '';
      expect(Number(/(\d+) quotes? /.exec(line)?.[1]), `${name}: ${line}`).toBe(Number(/^(\d+) quotes?/.exec(q.note ?? '')![1]));
    }
  });

  it('names the most-mentioned people, countries and organisations', async () => {
    const mentions = new Map<string, { type: string; name: string; n: number }>();
    for (const s of stories) {
      for (const e of s.parsed.entities) {
        const k = entityKey(e.type, e.name);
        const t = mentions.get(k) ?? { type: e.type, name: e.name, n: 0 };
        t.n += e.mentions.length;
        mentions.set(k, t);
      }
    }
    const most = (type: string) => {
      const list = [...mentions.values()].filter((m) => m.type === type);
      const n = Math.max(...list.map((m) => m.n));
      return { n, names: list.filter((m) => m.n === n).map((m) => m.name) };
    };
    const { reply } = await buildDigest(index, period);
    const [fields] = ofType(section(reply.blocks, 'Most mentioned'), 'fields');
    expect(fields!.fields.map((f) => f.label)).toEqual(['People', 'Countries', 'Organisations']);
    for (const [label, type] of [['People', 'person'], ['Countries', 'country'], ['Organisations', 'organization']] as const) {
      const value = fields!.fields.find((f) => f.label === label)!.value;
      const b = most(type);
      const [name, n] = value.split('\n')[0]!.split(' · ');
      expect(b.names).toContain(name);
      expect(n).toMatch(new RegExp(`^${b.n} mentions`));
      expect(value.split('\n').length).toBeLessThanOrEqual(5);
    }
  });

  it('picks notable numbers (money and rates before counts, no durations), each with its sentence and story', async () => {
    const { reply } = await buildDigest(index, period, { limits: { numbers: 6 } });
    const numbers = ofType(section(reply.blocks, 'Numbers'), 'paragraph');
    expect(numbers).toHaveLength(6);
    const seenStories = new Set<string>();
    for (const n of numbers) {
      const story = stories.find((s) => s.id === n.citation!.storyId)!;
      const amount = story.parsed.amounts.find((a) => n.text.startsWith(`${a.text}: `));
      expect(amount, n.text).toBeDefined();
      expect(amount!.unit).not.toMatch(/^(years?|months?|weeks?|days?)$/);
      expect(n.text).toContain(story.parsed.sentences[amount!.sentence]!.text.slice(0, 40).replace(/\s+/g, ' '));
      seenStories.add(story.id);
    }
    // Taken in turn from each story: six numbers come from six stories.
    expect(seenStories.size).toBe(6);
  });

  it('renders within Slack’s and Discord’s limits, every part', async () => {
    const { reply } = await buildDigest(index, period, { limits: { stories: 50, speakers: 10, names: 10, numbers: 10 } });
    const first = renderSlack(reply);
    for (let part = 1; part <= first.parts; part++) expect(slackLimitViolations(renderSlack(reply, { part }))).toEqual([]);
    const d = renderDiscord(reply);
    expect(JSON.stringify(d.embeds).length).toBeGreaterThan(100);
    expect(d.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });
});

describe('digest details', () => {
  it('never lets story text ping a channel', async () => {
    const c = new ManualClock('2025-05-06T06:00:00Z');
    const idx = openIndex(tempDb(), c);
    await ingest(idx, [BAIT_STORY, HARBOUR_STORY]);
    const { reply } = await buildDigest(idx, period);
    expect(JSON.stringify(reply)).toContain('<!channel>');
    expect(liveMentions(renderSlack(reply), [BAIT_STORY.url!, HARBOUR_STORY.url!])).toEqual([]);
    expect(JSON.stringify(renderDiscord(reply).embeds)).not.toMatch(/@(everyone|here)\b/);
    await idx.close();
  });

  it('shows a speaker’s tally after the attribution, never as a second pair of brackets', async () => {
    const idx = openIndex(tempDb(), clock);
    const text = `Lock keepers vote to strike

GLOUCESTER — Lock keepers on the canal voted on Monday to strike over weekend rotas.

“We have kept the locks open through every flood,” said Nell Ashby, the union secretary.

“Nobody asked us about the new rotas,” Ashby said.`;
    await idx.upsert(
      { text, url: 'https://news.example/lock-keepers', publishedAt: '2025-05-06T05:00:00Z', source: 'test' },
      buildParsed(text, {
        entities: [{ name: 'Nell Ashby', type: 'person', forms: [['Ashby', 'short']], roles: ['union secretary'] }],
        quotes: [
          { text: 'We have kept the locks open through every flood,', speaker: 'Nell Ashby', cue: 'said' },
          { text: 'Nobody asked us about the new rotas,', speaker: 'Nell Ashby', cue: 'said' },
        ],
      }),
    );
    const { reply } = await buildDigest(idx, period);
    expect(ofType(section(reply.blocks, 'Most quoted'), 'quote')).toMatchObject([{ speaker: 'Nell Ashby', note: '2 quotes', cue: 'said' }]);
    const terminal = renderTerminal(reply);
    expect(terminal).toContain('  — Nell Ashby (said) · 2 quotes\n');
    expect(terminal).not.toContain(') (');
    expect(JSON.stringify(renderSlack(reply))).toContain('— *Nell Ashby*, said · 2 quotes');
    expect(JSON.stringify(renderDiscord(reply).embeds)).toContain('— **Nell Ashby**, said · 2 quotes · ');
    await idx.close();
  });

  it('formats local times and midnights in the zone asked for, DST days included', () => {
    expect(formatLocal(new Date('2025-03-30T01:00:00Z'), 'Europe/Berlin')).toBe('Sun 30 Mar, 03:00');
    expect(localMidnight(new Date('2025-03-30T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(localMidnight(new Date('2025-10-26T12:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2025-10-25T22:00:00.000Z');
    // Santiago skips midnight on 7 September 2025: the day starts at 01:00 (-03).
    expect(localMidnight(new Date('2025-09-07T15:00:00Z'), 'America/Santiago').toISOString()).toBe('2025-09-07T04:00:00.000Z');
  });
});
