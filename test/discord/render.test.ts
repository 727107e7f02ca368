import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Block, Citation, Reply } from '../../src/core/types.js';
import {
  DISCORD_LIMITS,
  decodePageRef,
  encodePageRef,
  escapeDiscordText,
  fitContent,
  QUOTE_TEXT_MAX,
  quoteChunks,
  renderDiscord,
  truncate,
} from '../../src/render/discord.js';
import { embedsTotal, limitViolations } from './limits.js';

/** A string of exactly `n` UTF-16 units mixing words, Markdown, mentions and astral characters. */
function hostile(n: number, seed = 0): string {
  const parts = ['word ', '**bold** ', '@everyone ', '<@123456789012345678> ', '`code` ', '📰 ', '> ', '[x](https://e.com) ', '||s|| ', '# '];
  let s = '';
  for (let i = seed; s.length < n; i += 1) s += parts[i % parts.length];
  s = s.slice(0, n);
  // Never end on half of the emoji: the input itself is well-formed text.
  return /[\uD800-\uDBFF]$/.test(s) ? s.slice(0, -1) + 'x' : s;
}

const longCitation: Citation = {
  storyId: 's'.repeat(300),
  title: hostile(5000, 3),
  date: '2024-03-14T09:30:00Z',
  url: 'https://news.example.org/' + 'a'.repeat(3000),
};

/** The longest reply the core could possibly send: every block type, each far over every limit. */
function longestReply(scale = 1): Reply {
  const blocks: Block[] = [
    { type: 'heading', text: hostile(10_000) },
    { type: 'paragraph', text: hostile(50_000, 1), citation: longCitation },
    { type: 'context', text: hostile(20_000, 2) },
  ];
  for (let i = 0; i < 300 * scale; i += 1) {
    blocks.push({
      type: 'quote',
      text: hostile(5000, i),
      speaker: hostile(1000, i + 1),
      kind: i % 2 ? 'direct' : 'indirect',
      context: hostile(5000, i + 2),
      cue: hostile(500, i + 3),
      citation: longCitation,
    });
  }
  blocks.push({ type: 'list', items: Array.from({ length: 500 * scale }, (_, i) => hostile(3000, i)) });
  blocks.push({
    type: 'fields',
    fields: Array.from({ length: 200 * scale }, (_, i) => ({ label: hostile(2000, i), value: hostile(5000, i + 5) })),
  });
  const actions: Reply['actions'] = [];
  for (let i = 0; i < 40; i += 1) {
    actions.push({ type: 'page', label: hostile(500, i), request: { command: 'search', args: `q${i}`, page: i + 2 } });
  }
  actions.push({ type: 'page', label: 'Too long', request: { command: 'search', args: 'x'.repeat(5000), page: 2 } });
  return { status: 'answer', title: hostile(100_000), blocks, actions, visibility: 'channel' };
}

function countItems(reply: Reply): number {
  let n = 0;
  for (const b of reply.blocks) {
    if (b.type === 'list') n += b.items.length;
    else if (b.type === 'fields') n += b.fields.length;
    // A quote longer than one item continues in the next ones.
    else if (b.type === 'quote') n += quoteChunks(b.kind === 'direct' ? b.text : (b.context ?? b.text), QUOTE_TEXT_MAX).length;
    else n += 1;
  }
  return n;
}

describe('renderDiscord limits', () => {
  it('keeps the longest possible reply within every Discord limit', () => {
    const reply = longestReply();
    const msg = renderDiscord(reply, { request: { command: 'search', args: 'zakharova', page: 1 } });
    expect(limitViolations(msg)).toEqual([]);
    // It uses the room it has rather than giving up early.
    expect(msg.embeds.length).toBeGreaterThan(1);
    expect(embedsTotal(msg.embeds)).toBeGreaterThan(DISCORD_LIMITS.embedsTotalChars - 2500);
    expect(embedsTotal(msg.embeds)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotalChars);
    expect(msg.embeds[0]!.title!.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedTitle);
    expect(msg.embeds[0]!.title!.endsWith('…')).toBe(true);
    // Overflow is announced, with a "Show more" button first and the core's page buttons after.
    expect(msg.omitted).toBe(countItems(reply) - msg.shown);
    expect(msg.embeds.at(-1)!.footer!.text).toBe(`… and ${msg.omitted} more not shown`);
    const buttons = msg.components.flatMap((r) => r.components);
    expect(buttons).toHaveLength(DISCORD_LIMITS.actionRows * DISCORD_LIMITS.buttonsPerRow);
    expect(buttons[0]!.label).toBe('Show more');
    expect(decodePageRef(buttons[0]!.custom_id)).toEqual({ command: 'search', args: 'zakharova', page: 1, part: 2 });
    expect(buttons.some((b) => b.custom_id.includes('x'.repeat(50)))).toBe(false);
    expect(msg.allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(msg.flags).toBe(0);
  });

  it('pages every item of an overflowing reply across parts, each part within limits', () => {
    // A tenth of the longest reply keeps the part-by-part walk quick; the packing is the same.
    const reply = longestReply(0.1);
    const request = { command: 'search' as const, args: 'q', page: 1 };
    const total = countItems(reply);
    let seen = 0;
    let part = 1;
    for (; part <= 500; part += 1) {
      const msg = renderDiscord(reply, { request, part });
      expect(limitViolations(msg)).toEqual([]);
      expect(msg.shown).toBeGreaterThan(0);
      seen += msg.shown;
      expect(msg.omitted).toBe(total - seen);
      if (part > 1) expect(msg.embeds[0]!.title).toMatch(new RegExp(`\\(part ${part}\\)$`));
      const more = msg.components.flatMap((r) => r.components).find((b) => b.label === 'Show more');
      if (msg.omitted === 0) {
        expect(more).toBeUndefined();
        break;
      }
      expect(decodePageRef(more!.custom_id)!.part).toBe(part + 1);
    }
    expect(seen).toBe(total);
    expect(part).toBeGreaterThan(10);
  });

  it('packs fields 25 to an embed and splits long descriptions across embeds', () => {
    const fields = Array.from({ length: 60 }, (_, i) => ({ label: `Field ${i}`, value: `v${i}` }));
    const msg = renderDiscord({ status: 'answer', title: 'Fields', blocks: [{ type: 'fields', fields }], visibility: 'channel' });
    expect(limitViolations(msg)).toEqual([]);
    expect(msg.embeds.map((e) => e.fields?.length)).toEqual([25, 25, 10]);
    expect(msg.embeds[0]!.fields![0]).toEqual({ name: 'Field 0', value: 'v0', inline: true });

    const paras: Block[] = Array.from({ length: 5 }, (_, i) => ({ type: 'paragraph', text: `${i} ` + 'y'.repeat(1500) }));
    const msg2 = renderDiscord({ status: 'answer', title: 'Paras', blocks: paras, visibility: 'channel' });
    expect(limitViolations(msg2)).toEqual([]);
    expect(msg2.embeds.length).toBeGreaterThanOrEqual(2);
    expect(msg2.embeds.every((e) => (e.description?.length ?? 0) <= DISCORD_LIMITS.embedDescription)).toBe(true);
    // Order is preserved: the paragraphs appear in sequence.
    const text = msg2.embeds.map((e) => e.description ?? '').join('\n\n');
    expect(text.indexOf('0 y')).toBeLessThan(text.indexOf('1 y'));
  });

  it('stays within limits for arbitrary replies (property)', () => {
    const str = fc.string({ unit: 'grapheme', maxLength: 3000 });
    const citation = fc.record({
      storyId: fc.string(),
      title: str,
      date: fc.option(fc.constantFrom('2024-01-02T03:04:05Z', 'not a date', ''), { nil: null }),
      url: fc.option(fc.oneof(fc.webUrl(), fc.string()), { nil: null }),
    });
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.record({ type: fc.constant('heading' as const), text: str }),
      fc.record({ type: fc.constant('paragraph' as const), text: str, citation: fc.option(citation, { nil: undefined }) }),
      fc.record({
        type: fc.constant('quote' as const),
        text: str,
        speaker: str,
        kind: fc.constantFrom('direct' as const, 'indirect' as const),
        context: fc.option(str, { nil: null }),
        cue: fc.option(str, { nil: null }),
        citation,
      }),
      fc.record({ type: fc.constant('list' as const), items: fc.array(str, { maxLength: 40 }) }),
      fc.record({
        type: fc.constant('fields' as const),
        fields: fc.array(fc.record({ label: str, value: str }), { maxLength: 40 }),
      }),
      fc.record({ type: fc.constant('context' as const), text: str }),
    );
    const reply: fc.Arbitrary<Reply> = fc.record({
      status: fc.constantFrom('answer' as const, 'notFound' as const, 'ambiguous' as const, 'error' as const, 'help' as const),
      title: str,
      blocks: fc.array(block, { maxLength: 30 }),
      visibility: fc.constantFrom('ephemeral' as const, 'channel' as const),
    });
    fc.assert(
      fc.property(reply, fc.integer({ min: 1, max: 4 }), (r, part) => {
        const msg = renderDiscord(r, { request: { command: 'quotes', args: 'a', page: 1 }, part });
        expect(limitViolations(msg)).toEqual([]);
        expect(msg.embeds.length).toBeGreaterThan(0);
        expect(msg.ephemeral).toBe(r.visibility === 'ephemeral');
      }),
      { numRuns: 300 },
    );
  });
});

describe('renderDiscord content', () => {
  const citation: Citation = {
    storyId: 'st1',
    title: 'Moscow rejects [talks] offer',
    date: '2024-03-14T09:30:00Z',
    url: 'https://news.example.org/moscow (talks)',
  };

  it('renders a quote with speaker, cue and a linked, dated citation', () => {
    const msg = renderDiscord({
      status: 'answer',
      title: 'Quotes by Maria Zakharova',
      blocks: [
        { type: 'quote', text: 'We will respond', speaker: 'Maria Zakharova', kind: 'direct', context: null, cue: 'said', citation },
      ],
      visibility: 'channel',
    });
    expect(msg.embeds).toHaveLength(1);
    expect(msg.embeds[0]!.title).toBe('Quotes by Maria Zakharova');
    expect(msg.embeds[0]!.description).toBe(
      '> “We will respond”\n— **Maria Zakharova**, said · ' +
        '[Moscow rejects \\[talks\\] offer](https://news.example.org/moscow%20%28talks%29) · <t:1710408600:D>',
    );
  });

  it('neutralises mentions and escapes Markdown from article text', () => {
    const msg = renderDiscord({
      status: 'answer',
      title: '@everyone look',
      blocks: [
        { type: 'paragraph', text: 'Hey @everyone and @here, see <@123> in <#456> or <@&789> **now** [click](https://evil.example)' },
      ],
      visibility: 'channel',
    });
    const desc = msg.embeds[0]!.description!;
    expect(desc).not.toMatch(/@everyone|@here|<@\d|<#\d|<@&/);
    expect(desc).toContain('@\u200beveryone');
    expect(desc).toContain('\\*\\*now\\*\\*');
    expect(desc).not.toContain('[click](');
    expect(msg.embeds[0]!.title).toBe('@\u200beveryone look');
    expect(escapeDiscordText('> not a quote')).toBe('\\> not a quote');
  });

  it('drops unsafe link targets and bad dates', () => {
    const msg = renderDiscord({
      status: 'answer',
      title: 't',
      blocks: [{ type: 'paragraph', text: 'x', citation: { storyId: 'a', title: 'Story', date: 'soon', url: 'javascript:alert(1)' } }],
      visibility: 'channel',
    });
    expect(msg.embeds[0]!.description).toBe('x\n— *Story*');
  });

  it('marks error replies ephemeral and gives an empty title a default', () => {
    const msg = renderDiscord({ status: 'error', title: '   ', blocks: [], visibility: 'ephemeral' });
    expect(msg.ephemeral).toBe(true);
    expect(msg.flags).toBe(64);
    expect(msg.embeds).toEqual([{ title: 'Something went wrong', color: 0xc53030 }]);
  });
});

describe('helpers', () => {
  it('truncates without splitting surrogate pairs', () => {
    expect(truncate('📰📰📰', 4)).toBe('📰…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('hello world again', 12)).toBe('hello world…');
  });

  it('round-trips page refs and rejects foreign or oversized ids', () => {
    const ref = { command: 'quotes' as const, args: 'Maria Zakharova: x', page: 3, part: 2 };
    expect(decodePageRef(encodePageRef(ref)!)).toEqual(ref);
    expect(encodePageRef({ ...ref, args: 'z'.repeat(100) })).toBeNull();
    expect(decodePageRef('nb:p:1:1:rm:x')).toBeNull();
    expect(decodePageRef('nb:p:0:1:quotes:x')).toBeNull();
    expect(decodePageRef('something else')).toBeNull();
  });

  it('fits plain content to 2000 characters with mentions broken', () => {
    const c = fitContent('@here ' + 'z'.repeat(5000));
    expect(c.length).toBe(DISCORD_LIMITS.content);
    expect(c.startsWith('@\u200bhere')).toBe(true);
  });
});

describe('quote details', () => {
  const citation: Citation = { storyId: 's', title: 'Story', date: null, url: null };
  it('shows the sentence around a short partial quote, and how often a merged quote appears', () => {
    const msg = renderDiscord({
      status: 'answer',
      title: 'Quotes',
      blocks: [
        {
          type: 'quote',
          text: 'reckless',
          speaker: 'Jane Roe',
          kind: 'direct',
          context: 'The minister called the plan “reckless” in a late-night statement on Tuesday.',
          cue: 'called',
          citation,
          occurrences: 3,
        },
        { type: 'quote', text: 'We will wait and see', speaker: 'Jane Roe', kind: 'direct', context: '"We will wait and see," she said.', cue: 'said', citation },
      ],
      visibility: 'channel',
    });
    const [partial, whole] = msg.embeds[0]!.description!.split('\n\n');
    expect(partial).toBe(
      '> “reckless”\n*In context:* The minister called the plan “reckless” in a late-night statement on Tuesday.\n' +
        '— **Jane Roe**, called (appears 3 times) · *Story*',
    );
    expect(whole).toBe('> “We will wait and see”\n— **Jane Roe**, said · *Story*');
  });
});

describe('empty items', () => {
  it('skips entries that are empty after cleaning, counting them as consumed', () => {
    const msg = renderDiscord({
      status: 'answer',
      title: 'List',
      blocks: [{ type: 'list', items: ['', 'alpha', '\u0000\u200b', '  beta  '] }, { type: 'context', text: '\u0007' }],
      visibility: 'channel',
    });
    expect(msg.embeds[0]!.description).toBe('• alpha\n\n• beta');
    expect(msg.shown).toBe(5);
    expect(msg.omitted).toBe(0);
  });
});

describe('long quotes on Discord', () => {
  /** A quote of `n` numbered words, so every word can be found again in what was rendered. */
  const longQuote = (n: number): string => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
  const quoteReply = (text: string): Reply => ({
    status: 'answer',
    title: 'Quotes from Ines Marrow',
    blocks: [
      { type: 'quote', text, speaker: 'Ines Marrow', kind: 'direct', context: null, cue: 'said', citation: { storyId: 's1', title: 'Harbour inquiry opens', date: '2026-03-02T00:00:00.000Z', url: null } },
    ],
    visibility: 'channel',
  });

  it('continues a quote longer than one embed item in the next items, every word kept, in order', () => {
    const text = longQuote(450); // ~3,800 characters: more than three items' worth
    const msg = renderDiscord(quoteReply(text), { request: { command: 'quotes', args: 'marrow', page: 1 } });
    expect(limitViolations(msg)).toEqual([]);
    const shown = msg.embeds.map((e) => e.description ?? '').join('\n\n');
    const words = [...shown.matchAll(/word(\d+)/g)].map((m) => Number(m[1]));
    expect(words).toEqual(Array.from({ length: 450 }, (_, i) => i));
    expect(shown).toContain('(quote continues, part 1 of');
    // The attribution comes once, after the last piece.
    expect(shown.match(/Ines Marrow/g)).toHaveLength(1);
    expect(shown.lastIndexOf('word449')).toBeLessThan(shown.indexOf('Ines Marrow'));
  });

  it('a quote too long for one message goes on in the next part behind "Show more", never lost', () => {
    const text = longQuote(1400); // ~12,000 characters: two messages at least
    const request = { command: 'quotes' as const, args: 'marrow', page: 1 };
    const seen: number[] = [];
    for (let part = 1; part <= 10; part++) {
      const msg = renderDiscord(quoteReply(text), { request, part });
      expect(limitViolations(msg)).toEqual([]);
      for (const e of msg.embeds) for (const m of (e.description ?? '').matchAll(/word(\d+)/g)) seen.push(Number(m[1]));
      if (msg.omitted === 0) break;
      expect(msg.components.flatMap((r) => r.components).some((c) => c.label === 'Show more')).toBe(true);
    }
    expect(seen).toEqual(Array.from({ length: 1400 }, (_, i) => i));
  });

  it('splits at spaces into escaped pieces within the limit, and keeps a short quote whole', () => {
    expect(quoteChunks('Short and *sweet*', QUOTE_TEXT_MAX)).toEqual(['Short and \\*sweet\\*']);
    const pieces = quoteChunks(`${'a_b '.repeat(600)}end`, 300);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(300);
    expect(pieces.join(' ').replace(/\\_/g, '_')).toBe(`${'a_b '.repeat(600)}end`);
  });
});
