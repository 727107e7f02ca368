import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTerminal } from '../../src/adapters/terminal/index.js';
import { parseCommandText } from '../../src/core/commandText.js';
import { createCore } from '../../src/core/index.js';
import type { BotCore, CommandRequest, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { renderTerminal, terminalSafe } from '../../src/render/terminal.js';
import { followup, warning, water } from '../core/stories.js';

const citation = { storyId: 's1', title: 'Moscow warns', date: '2025-03-05T10:00:00.000Z', url: 'https://news.example/a' };

describe('renderTerminal', () => {
  it('renders every block kind as plain text with its citation', () => {
    const reply: Reply = {
      status: 'answer',
      title: 'France',
      blocks: [
        { type: 'context', text: 'note' },
        { type: 'fields', fields: [{ label: 'Type', value: 'country' }] },
        { type: 'heading', text: 'People' },
        { type: 'list', items: ['Emmanuel Macron, French President'] },
        { type: 'quote', text: 'We will help', speaker: 'Emmanuel Macron', kind: 'direct', context: '“We will help,” Macron said.', cue: 'said', citation, occurrences: 2 },
        { type: 'quote', text: 'France would help', speaker: 'Emmanuel Macron', kind: 'indirect', context: null, cue: null, citation },
        { type: 'paragraph', text: 'First.', citation },
        { type: 'paragraph', text: 'Second.', citation },
      ],
      actions: [{ type: 'page', label: 'More quotes', request: { command: 'quotes', args: 'macron', page: 2 } }],
      visibility: 'channel',
    };
    expect(renderTerminal(reply)).toBe(
      [
        'France',
        '──────',
        '(note)',
        'Type: country',
        '',
        'People',
        '  • Emmanuel Macron, French President',
        '',
        '• “We will help”',
        '  — Emmanuel Macron (said) · appears 2 times',
        '  In context: “We will help,” Macron said.',
        '  [Moscow warns · 2025-03-05 · https://news.example/a]',
        '',
        '• (reported) France would help',
        '  — Emmanuel Macron',
        '  [Moscow warns · 2025-03-05 · https://news.example/a]',
        'First.',
        'Second.',
        '  [Moscow warns · 2025-03-05 · https://news.example/a]',
        '',
        '→ More quotes: /quotes macron --page 2',
      ].join('\n'),
    );
  });

  it('strips escape sequences and bidi overrides from article text, keeping right-to-left letters', () => {
    expect(terminalSafe('a\u001b[2Jb\u0007c\u202Ed\u2066e زاخاروفا\nnext')).toBe('a[2Jbcde زاخاروفا\nnext');
    const r = renderTerminal({ status: 'answer', title: 'T\u001b]0;owned\u0007', blocks: [{ type: 'paragraph', text: 'x\u009b31m' }], visibility: 'channel' });
    expect(r).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('parseCommandText', () => {
  it('reads commands with or without a slash, with a page', () => {
    expect(parseCommandText('/who france')).toEqual({ ok: true, command: 'who', args: 'france' });
    expect(parseCommandText('  QUOTES   Maria Zakharova  ')).toEqual({ ok: true, command: 'quotes', args: 'Maria Zakharova' });
    expect(parseCommandText('/quotes zakharova --page 2')).toEqual({ ok: true, command: 'quotes', args: 'zakharova', page: 2 });
    expect(parseCommandText('/summary')).toEqual({ ok: true, command: 'summary', args: '' });
    expect(parseCommandText('/frobnicate x')).toEqual({ ok: false, error: 'Unknown command "/frobnicate". Type /help for the commands.' });
    expect(parseCommandText('')).toMatchObject({ ok: false });
  });

  it('ignores invisible characters around and inside the command name', () => {
    expect(parseCommandText('\u200b/who france')).toEqual({ ok: true, command: 'who', args: 'france' });
    expect(parseCommandText('\u202e/qu\u200dotes zakharova\ufeff')).toEqual({ ok: true, command: 'quotes', args: 'zakharova' });
    expect(parseCommandText('//frob')).toEqual({ ok: false, error: 'Unknown command "/frob". Type /help for the commands.' });
  });
});

describe('runTerminal', () => {
  let index: SqliteIndex;
  let core: BotCore;
  beforeAll(async () => {
    index = SqliteIndex.open(':memory:');
    for (const s of [water(), warning(), followup()]) await index.upsert(s.input, s.parsed);
    core = createCore({ index, config: { display: { quotesPerPage: 2 } }, now: () => new Date('2025-03-10T00:00:00Z') });
  });
  afterAll(async () => {
    await index.close();
  });

  async function session(lines: string, interactive = false, withCore: BotCore = core): Promise<{ out: string; commands: number }> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const done = runTerminal({ core: withCore, input, output, interactive });
    input.end(lines);
    const { commands } = await done;
    return { out, commands };
  }

  it('answers one command per line when piped, silently, and ends at EOF', async () => {
    const { out, commands } = await session('/summary\n\n/quotes zakharova\n/who france\n');
    expect(commands).toBe(3);
    const replies = out.trimEnd().split('\n\n').filter((p) => /^\S.*\n[─]+/.test(p));
    expect(replies.map((r) => r.split('\n')[0])).toEqual(['Kremlin repeats warning on troops', 'Quotes from Maria Zakharova', 'France']);
    expect(out).not.toContain('newsroom>');
    expect(out).toContain('→ More quotes (page 2 of 2): /quotes zakharova --page 2');
    expect(out).toContain('  • Emmanuel Macron, French President');
  });

  it('follows the last reply’s page with /more, reports unknown commands and reads plain words as a question', async () => {
    const { out } = await session('/quotes zakharova\n/more\n/more\n/hello there\nnice weather today\n');
    expect(out).toContain('(4 quotes (2 direct, 2 reported) in 2 stories · page 2 of 2)');
    expect(out).toContain('Nothing more to show: the last reply had no further page.');
    expect(out).toContain('Unknown command "/hello". Did you mean /help? Type /help for the commands.');
    expect(out).toContain('(I could not read “nice weather today” as a question.');
  });

  it('prompts and greets on a TTY, and stops at /quit', async () => {
    const { out, commands } = await session('/help\n/quit\n/summary\n', true);
    expect(out).toContain('Type /help for the commands, /quit to leave.');
    expect(out).toContain('newsroom> ');
    expect(out).toContain('Newsroom bot: commands');
    expect(commands).toBe(1);
  });

  it('keeps going when the core fails, and survives hostile lines', async () => {
    let calls = 0;
    const flaky: BotCore = {
      handle: async (req: CommandRequest) => {
        calls++;
        if (calls === 1) throw new Error('boom\u001b[31m');
        return core.handle(req);
      },
      suggest: core.suggest,
    };
    const long = `/who ${'x'.repeat(10_000)}`;
    const { out, commands } = await session(`/who france\n${long}\n/who \u200Bfr\u200Bance\n/who ماريا\n/who\n\u0000\u0001\n`, false, flaky);
    expect(commands).toBe(5);
    expect(out).toContain('Error: boom[31m');
    expect(out).toContain('Sorry, that argument is 10,000 characters long; the limit is 200.');
    expect(out).toContain('France\n──────');
    expect(out).toContain('Not found: “ماريا”');
    expect(out).toContain('Usage: /who <name> [words], e.g. /who france.');
  });
});
