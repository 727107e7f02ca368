/**
 * Speaker and topic together (`/quotes X about Y`, `/quotes X Y`, `/who X Y`), plain questions
 * read as commands (`/ask`, and typed lines), and `/watch` name resolution, over the core test
 * stories (test/core/stories.ts) in a real SQLite index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/core/commandText.js';
import { createCore } from '../../src/core/index.js';
import { readQuestion } from '../../src/core/questions.js';
import { aboutTopic, sameWord, topicWords } from '../../src/core/topic.js';
import type { Block, BotCore, CommandRequest, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { createWatches } from '../../src/watch/index.js';
import { followup, warning, water } from './stories.js';

const NOW = new Date('2025-03-10T12:00:00Z');
let index: SqliteIndex;
let core: BotCore;

beforeAll(async () => {
  index = SqliteIndex.open(':memory:');
  for (const s of [water(), warning(), followup()]) await index.upsert(s.input, s.parsed);
  core = createCore({ index, now: () => NOW, watches: createWatches(index).service });
});
afterAll(async () => {
  await index.close();
});

const ask = (command: CommandRequest['command'], args = ''): Promise<Reply> => core.handle({ command, args, platform: 'terminal', userId: 'test' });
const quotes = (r: Reply) => r.blocks.filter((b): b is Extract<Block, { type: 'quote' }> => b.type === 'quote').map((b) => b.text);

describe('plain questions', () => {
  it.each([
    ['what did zakharova say about nato?', 'quotes', 'zakharova about nato'],
    ['What has Maria Zakharova said on troops', 'quotes', 'Maria Zakharova about troops'],
    ['what did ndlovu say', 'quotes', 'ndlovu'],
    ['hey, what is zakharova saying about the plan?', 'quotes', 'zakharova about the plan'],
    ['who is macron?', 'who', 'macron'],
    ["who's Thandi Ndlovu", 'who', 'Thandi Ndlovu'],
    ['summarise water board chief', 'summary', 'water board chief'],
    ['Can you summarize the story about dams', 'summary', 'dams'],
    ['did zakharova say "such troops would be a legitimate target"', 'check', 'zakharova: "such troops would be a legitimate target"'],
    ['did Zakharova really say that such troops would be a legitimate target?', 'check', 'Zakharova: such troops would be a legitimate target'],
    ['tell me when zakharova is quoted', 'watch', 'me zakharova'],
    ['any stories about dams', 'search', 'dams'],
  ])('%s → /%s %s', (q, command, args) => {
    expect(readQuestion(q)).toEqual({ command, args });
  });

  it('leaves what it cannot read', () => {
    expect(readQuestion('the weather is nice')).toBeNull();
    expect(readQuestion('   ')).toBeNull();
  });

  it('typed lines: a question goes to /ask, a command stays a command', () => {
    expect(parseCommandText('who is macron')).toEqual({ ok: true, command: 'ask', args: 'who is macron' });
    expect(parseCommandText('who france')).toEqual({ ok: true, command: 'who', args: 'france' });
    expect(parseCommandText('search dams')).toEqual({ ok: true, command: 'search', args: 'dams' });
    expect(parseCommandText('/frob')).toEqual({ ok: false, error: 'Unknown command "/frob". Type /help for the commands.' });
  });

  it('/ask answers with the command it read, said first; /help when it reads nothing', async () => {
    const r = await ask('ask', 'who is macron?');
    expect(r.title).toBe('Emmanuel Macron');
    expect(r.blocks[0]).toEqual({ type: 'context', text: 'Read as: /who macron' });
    const direct = await ask('who', 'macron');
    expect(r.blocks.slice(1)).toEqual(direct.blocks);
    const lost = await ask('ask', 'the weather is nice');
    expect(lost.status).toBe('help');
    expect(lost.blocks[0]).toEqual({ type: 'context', text: 'I could not read “the weather is nice” as a question. Try “what did zakharova say about nato”, “who is zakharova”, or a command below.' });
  });
});

describe('/quotes <speaker> about <words>', () => {
  it('ranks quotes holding the words first, and says what it did', async () => {
    const r = await ask('quotes', 'zakharova about troops');
    expect(r.title).toBe('Quotes from Maria Zakharova about “troops”');
    expect(quotes(r)[0]).toBe('Such troops would be a legitimate target for us');
    expect(r.blocks[0]).toMatchObject({ type: 'context', text: expect.stringContaining('About “troops”') });
  });

  it('reads “<speaker> <words>” when the leading words name a speaker and the rest do not', async () => {
    const about = await ask('quotes', 'zakharova about troops');
    const bare = await ask('quotes', 'zakharova troops');
    expect(bare).toEqual(about);
    // The whole name still wins when it resolves.
    expect((await ask('quotes', 'maria zakharova')).title).toBe('Quotes from Maria Zakharova');
  });

  it('says so when the speaker never spoke about it', async () => {
    const r = await ask('quotes', 'zakharova about dams');
    expect(r.status).toBe('notFound');
    expect(r.title).toBe('Nothing from Maria Zakharova about “dams”');
  });

  it('/who <name> <words> narrows the statements', async () => {
    const r = await ask('who', 'zakharova troops');
    expect(r.title).toBe('Maria Zakharova');
    expect(r.blocks.some((b) => b.type === 'context' && b.text.startsWith('Statements narrowed to “troops”'))).toBe(true);
    // Words in the quote first; quotes from a story whose headline has them after; none without them anywhere.
    expect(quotes(r)[0]).toBe('Such troops would be a legitimate target for us');
    const all = await ask('who', 'zakharova');
    expect(quotes(r).length).toBeLessThanOrEqual(quotes(all).length);
  });

  it('matches plurals and possessives, and keeps newest first among equals', () => {
    expect(topicWords('the NATO troops')).toEqual(['nato', 'troops']);
    expect(sameWord('troop', 'troops')).toBe(true);
    expect(sameWord('nat', 'nato')).toBe(false);
    const q = (text: string, date: string) => ({ storyId: date, storyTitle: 't', storyDate: date, storyUrl: null, kind: 'direct' as const, text, speakerName: 'x', speakerKey: null, cue: null, context: text, start: 0, end: 1, quoteId: 'q', partial: false, sentence: 0 });
    const ranked = aboutTopic([q('troops here', '2025-01-01'), q('no match', '2025-01-03'), q('troops again', '2025-01-02')], ['troop']);
    expect(ranked.map((x) => x.text)).toEqual(['troops again', 'troops here']);
  });
});

describe('/watch name resolution', () => {
  it('asks which one when a name is ambiguous, and watches words when it is no name', async () => {
    const amb = await ask('watch', 'ndlovu');
    expect(amb.status).toBe('ambiguous');
    expect(JSON.stringify(amb)).toContain('Thandi Ndlovu (person)');
    const words = await ask('watch', 'desalination plant');
    expect(words.title).toBe('Watching “desalination plant”');
    expect(JSON.stringify(words)).toContain('No one called “desalination plant” is in the stories yet');
    const person = await ask('watch', 'thandi ndlovu');
    expect(person.title).toBe('Watching Thandi Ndlovu');
  });
});
