import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Block, Citation, Reply } from '../../src/core/types.js';
import {
  SLACK_MAX_BLOCKS,
  SLACK_MAX_HEADER_TEXT,
  SLACK_MAX_SECTION_TEXT,
  SLACK_MESSAGE_CHAR_BUDGET,
  SLACK_MORE_ACTION_ID,
  type SlackBlock,
  type SlackMessage,
  citationLine,
  decodePageValue,
  encodePageValue,
  escapeSlackText,
  liveMentions,
  renderSlack,
  slackLimitViolations,
  splitEscaped,
} from '../../src/render/slack.js';

const story: Citation = { storyId: 's1', title: 'Ministry rejects claims', date: '2024-03-12T09:30:00Z', url: 'https://news.example.org/2024/ministry' };

function reply(blocks: Block[], extra: Partial<Reply> = {}): Reply {
  return { status: 'answer', title: 'Quotes from Maria Zakharova', blocks, visibility: 'channel', ...extra };
}

/** Every mrkdwn/plain text object in a message. */
function texts(m: SlackMessage): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  return out;
}

function moreValue(m: SlackMessage): string | undefined {
  const actions = m.blocks.find((b): b is Extract<SlackBlock, { type: 'actions' }> => b.type === 'actions');
  const button = actions?.elements[0];
  return button && button.type === 'button' && button.action_id === SLACK_MORE_ACTION_ID ? button.value : undefined;
}

describe('escapeSlackText', () => {
  it('escapes the three control characters and breaks broadcast words', () => {
    expect(escapeSlackText('Tom & Jerry <!channel> <@U024BE7LH> a>b')).toBe('Tom &amp; Jerry &lt;!channel&gt; &lt;@U024BE7LH&gt; a&gt;b');
    expect(escapeSlackText('hi @here and @Channel, @everyone!')).toBe('hi @\u2060here and @\u2060Channel, @\u2060everyone!');
    expect(escapeSlackText('already &amp; escaped')).toBe('already &amp;amp; escaped');
    expect(escapeSlackText('bell\u0007 null\u0000 ok\nline')).toBe('bell null ok\nline');
  });
});

describe('splitEscaped', () => {
  it('never cuts inside an entity or a surrogate pair and keeps every character', () => {
    const s = escapeSlackText('&<>😀 word '.repeat(900));
    const chunks = splitEscaped(s, 700);
    expect(chunks.length).toBeGreaterThan(10);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(700);
      expect(c).toMatch(/^(?:&amp;|&lt;|&gt;|[^&])*$/);
      expect(c.charCodeAt(c.length - 1) >= 0xd800 && c.charCodeAt(c.length - 1) <= 0xdbff).toBe(false);
    }
    const squeeze = (x: string) => x.replace(/\s+/g, '');
    expect(squeeze(chunks.join('')).length).toBe(squeeze(s).length);
    expect(squeeze(chunks.join('')) === squeeze(s)).toBe(true);
  });
});

describe('citationLine', () => {
  it('links http(s) stories and shows the date', () => {
    expect(citationLine(story)).toBe('<https://news.example.org/2024/ministry|Ministry rejects claims> · 12 Mar 2024');
  });
  it('never links other schemes and encodes characters that would end the link', () => {
    expect(citationLine({ ...story, url: 'javascript:alert(1)' })).toBe('_Ministry rejects claims_ · 12 Mar 2024');
    expect(citationLine({ ...story, url: 'slack://channel?id=C1' })).not.toContain('<');
    const tricky = citationLine({ ...story, url: 'https://x.example/a?b=1&c=2|<!channel>', title: 'A <b> & @here', date: null });
    expect(tricky).toBe('<https://x.example/a?b=1&amp;c=2%7C%3C!channel%3E|A &lt;b&gt; &amp; @\u2060here>');
  });
});

describe('renderSlack', () => {
  it('renders a quote with speaker, cue and linked story', () => {
    const m = renderSlack(
      reply([{ type: 'quote', text: 'This is pure fiction', speaker: 'Maria Zakharova', kind: 'direct', context: null, cue: 'said', citation: story }]),
    );
    expect(m.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Quotes from Maria Zakharova' } });
    expect(m.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        verbatim: true,
        text: '>“This is pure fiction”\n— *Maria Zakharova*, said · <https://news.example.org/2024/ministry|Ministry rejects claims> · 12 Mar 2024',
      },
    });
    expect(m.blocks).toHaveLength(2);
    expect(m.responseType).toBe('in_channel');
    expect(m.text).toBe('Quotes from Maria Zakharova');
  });

  it('renders paragraphs, lists, fields and context, all mrkdwn verbatim', () => {
    const m = renderSlack(
      reply(
        [
          { type: 'heading', text: 'Roles' },
          { type: 'paragraph', text: 'Russia said on Monday.', citation: story },
          { type: 'list', items: ['spokeswoman', 'diplomat'] },
          { type: 'fields', fields: [{ label: 'Stories', value: '3' }, { label: 'Mentions', value: '12' }] },
          { type: 'context', text: 'Page 1 of 2' },
        ],
        { visibility: 'ephemeral' },
      ),
    );
    expect(m.responseType).toBe('ephemeral');
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'section', 'context']);
    expect(texts(m)).toContain('• spokeswoman\n• diplomat');
    expect(texts(m)).toContain('*Stories*\n3');
    for (const b of m.blocks) {
      if (b.type === 'section' && b.text) expect(b.text).toMatchObject({ type: 'mrkdwn', verbatim: true });
    }
  });

  it('cites a run of paragraphs from one story once, and marks repeated quotes', () => {
    const other: Citation = { ...story, storyId: 's2', title: 'Other story', url: null };
    const m = renderSlack(
      reply([
        { type: 'paragraph', text: 'First.', citation: story },
        { type: 'paragraph', text: 'Second.', citation: story },
        { type: 'paragraph', text: 'Third.', citation: other },
        { type: 'quote', text: 'We will not accept it,', speaker: 'Maria Zakharova', kind: 'direct', context: null, cue: 'said', citation: story, occurrences: 3 } as Block,
      ]),
    );
    expect(texts(m).slice(1)).toEqual([
      'First.',
      'Second.\n<https://news.example.org/2024/ministry|Ministry rejects claims> · 12 Mar 2024',
      'Third.\n_Other story_ · 12 Mar 2024',
      '>“We will not accept it”\n— *Maria Zakharova*, said (3×) · <https://news.example.org/2024/ministry|Ministry rejects claims> · 12 Mar 2024',
    ]);
  });

  it('cuts a long title to the header limit', () => {
    const m = renderSlack(reply([{ type: 'paragraph', text: 'x' }], { title: 'Headline '.repeat(40) }));
    const header = m.blocks[0];
    expect(header?.type).toBe('header');
    if (header?.type === 'header') {
      expect(header.text.text.length).toBeLessThanOrEqual(SLACK_MAX_HEADER_TEXT);
      expect(header.text.text.endsWith('…')).toBe(true);
    }
  });

  it('turns the core page action into a More button on the last part', () => {
    const m = renderSlack(
      reply([{ type: 'paragraph', text: 'one' }], { actions: [{ type: 'page', label: 'More quotes', request: { command: 'quotes', args: 'zakharova', page: 2 } }] }),
      { request: { command: 'quotes', args: 'zakharova', page: 1 } },
    );
    expect(decodePageValue(moreValue(m))).toEqual({ command: 'quotes', args: 'zakharova', page: 2, part: 1 });
  });

  it('text from an article cannot mention anyone or add a link', () => {
    const hostile =
      'Breaking <!channel> <!here> <!everyone> <@U024BE7LH> <#C024BE7LR> <!subteam^S0614TZR7> ' +
      '<https://evil.example/phish|click here> @here @channel @everyone &lt;!channel&gt;';
    const m = renderSlack(
      reply(
        [
          { type: 'heading', text: hostile },
          { type: 'paragraph', text: hostile, citation: { ...story, title: hostile } },
          { type: 'quote', text: hostile, speaker: hostile, kind: 'direct', context: hostile, cue: hostile, citation: story },
          { type: 'list', items: [hostile] },
          { type: 'fields', fields: [{ label: hostile, value: hostile }] },
          { type: 'context', text: hostile },
        ],
        { title: hostile },
      ),
    );
    expect(liveMentions(m, [story.url!])).toEqual([]);
    expect(JSON.stringify(m)).not.toMatch(/<https?:\/\/evil/);
    // The story's own link is the only link.
    expect(JSON.stringify(m).match(/<https?:/g)).toHaveLength(2);
  });

  it('any text at all renders within limits and without live mentions (property)', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.constantFrom('<!channel>', '<!here>', '@here', '@everyone', '<@U1>', '&', '<', '>', '&amp;', '😀', '\n', '*', '_'),
    );
    const text = fc.array(piece, { maxLength: 30 }).map((a) => a.join(''));
    const block: fc.Arbitrary<Block> = fc.oneof(
      fc.record({ type: fc.constant('heading' as const), text }),
      fc.record({ type: fc.constant('paragraph' as const), text }),
      fc.record({
        type: fc.constant('quote' as const),
        text,
        speaker: text,
        kind: fc.constantFrom('direct' as const, 'indirect' as const),
        context: fc.option(text, { nil: null }),
        cue: fc.option(text, { nil: null }),
        citation: fc.record({ storyId: fc.constant('s'), title: text, date: fc.constant(null), url: fc.constant(null) }),
      }),
      fc.record({ type: fc.constant('list' as const), items: fc.array(text, { maxLength: 40 }) }),
      fc.record({ type: fc.constant('fields' as const), fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 25 }) }),
      fc.record({ type: fc.constant('context' as const), text }),
    );
    fc.assert(
      fc.property(text, fc.array(block, { maxLength: 30 }), (title, blocks) => {
        const r = reply(blocks, { title });
        const first = renderSlack(r, { request: { command: 'search', args: title.slice(0, 50), page: 1 } });
        for (let part = 1; part <= first.parts; part++) {
          const m = renderSlack(r, { request: { command: 'search', args: title.slice(0, 50), page: 1 }, part });
          expect(slackLimitViolations(m)).toEqual([]);
          expect(liveMentions(m)).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the longest reply: a speaker with 200 quotes', () => {
  // Long, hostile, entity-heavy quotes: each close to a section's worth once escaped.
  const quotes: Block[] = Array.from({ length: 200 }, (_, i) => ({
    type: 'quote',
    text: `Quote number ${i} <&> ${'we will not accept these terms & conditions '.repeat(70)} end ${i}`,
    speaker: 'Maria Vladimirovna Zakharova, spokeswoman for the Ministry of Foreign Affairs of the Russian Federation',
    kind: i % 3 === 0 ? 'indirect' : 'direct',
    context: `Context sentence ${i}`,
    cue: 'told reporters at a weekly briefing in Moscow',
    citation: {
      storyId: `story-${i}`,
      title: `Story ${i}: ${'a very long headline about talks and sanctions '.repeat(6)}`,
      date: '2024-03-12T09:30:00Z',
      url: `https://news.example.org/world/2024/03/12/${'talks-'.repeat(40)}${i}?ref=feed&utm=slack`,
    },
  }));
  const big = reply(quotes, { title: 'Quotes from Maria Vladimirovna Zakharova, spokeswoman for the Ministry of Foreign Affairs of the Russian Federation (200)' });
  const request = { command: 'quotes' as const, args: 'zakharova', page: 1 };

  it('pages into messages that each keep every limit, and the More chain reaches every quote once', () => {
    const seen: number[] = [];
    let part = 1;
    let parts = 0;
    let messages = 0;
    let maxJson = 0;
    let maxBlocks = 0;
    for (;;) {
      const m = renderSlack(big, { request, part });
      messages++;
      parts = m.parts;
      expect(slackLimitViolations(m)).toEqual([]);
      expect(m.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
      const json = JSON.stringify(m.blocks).length;
      expect(json).toBeLessThanOrEqual(SLACK_MESSAGE_CHAR_BUDGET);
      expect(json).toBeLessThan(13_000);
      maxJson = Math.max(maxJson, json);
      maxBlocks = Math.max(maxBlocks, m.blocks.length);
      for (const t of texts(m)) expect(t.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
      for (const match of JSON.stringify(m).matchAll(/end (\d+)/g)) seen.push(Number(match[1]));
      const next = decodePageValue(moreValue(m));
      if (!next) break;
      expect(next).toEqual({ command: 'quotes', args: 'zakharova', page: 1, part: part + 1 });
      part = next.part;
      expect(messages).toBeLessThan(500);
    }
    expect(messages).toBe(parts);
    expect(parts).toBeGreaterThan(40);
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(maxBlocks).toBeGreaterThan(2);
    expect(maxJson).toBeGreaterThan(SLACK_MESSAGE_CHAR_BUDGET / 2);
  });

  it('packs short quotes up to the 50-block limit', () => {
    const short = reply(
      Array.from({ length: 200 }, (_, i) => ({ type: 'quote' as const, text: `No ${i}.`, speaker: 'Zakharova', kind: 'direct' as const, context: null, cue: 'said', citation: { ...story, url: null } })),
    );
    const m = renderSlack(short, { request });
    expect(m.blocks.length).toBe(SLACK_MAX_BLOCKS);
    expect(slackLimitViolations(m)).toEqual([]);
    expect(m.parts).toBe(5);
  });
});

describe('page values', () => {
  it('round-trip and reject anything else', () => {
    const v = encodePageValue({ command: 'who', args: 'france', page: 3, part: 2 });
    expect(decodePageValue(v)).toEqual({ command: 'who', args: 'france', page: 3, part: 2 });
    expect(decodePageValue('{"c":"rm -rf","a":"","p":1,"s":1}')).toBeNull();
    expect(decodePageValue('not json')).toBeNull();
    expect(decodePageValue(undefined)).toBeNull();
    expect(decodePageValue('{"c":"who","a":"x","p":0,"s":1}')).toBeNull();
    expect(encodePageValue({ command: 'search', args: 'x'.repeat(3000), page: 1, part: 1 })).toBeNull();
  });
});
