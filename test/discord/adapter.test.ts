/**
 * The Discord adapter end to end: the real discord.js client, started by `startDiscord`, talks
 * HTTP and WebSocket to the fake Discord on 127.0.0.1; the real core answers from a real SQLite
 * index built by the real parser from the stories in `stories.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDiscord } from '../../src/adapters/discord/start.js';
import type { ArticleInput } from '../../src/index/types.js';
import {
  FAKE_APP_ID,
  FAKE_TOKEN,
  FakeDiscord,
  autocomplete,
  buttonClick,
  slashCommand,
  type InteractionPayload,
  type RecordedRequest,
} from './fake-discord.js';
import { SlowCore, buildCore, buildIndex, startAgainstFake } from './harness.js';
import { limitViolations } from './limits.js';
import { DISCORD_TEST_STORIES } from './stories.js';

const CALLBACK = { message: 4, deferredMessage: 5, deferredUpdate: 6, autocomplete: 8 } as const;

let fake: FakeDiscord;
let running: RunningDiscord;
let core: SlowCore;

const isCallback = (p: InteractionPayload) => (r: RecordedRequest) => r.path === `/interactions/${p.id}/${p.token}/callback`;
const isOriginalEdit = (p: InteractionPayload) => (r: RecordedRequest) =>
  r.method === 'PATCH' && r.path === `/webhooks/${FAKE_APP_ID}/${p.token}/messages/@original`;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const { index } = await buildIndex(DISCORD_TEST_STORIES);
  core = new SlowCore(buildCore(index));
  running = await startAgainstFake(core, fake, { deferAfterMs: 250, suggestTimeoutMs: 400 });
});

afterAll(async () => {
  await running?.stop();
  await fake?.close();
});

describe('gateway and REST', () => {
  it('fetches the gateway URL over REST, identifies uncompressed JSON, and heartbeats', async () => {
    expect(running.mode).toBe('client');
    const gateway = fake.requests.find((r) => r.method === 'GET' && r.path === '/gateway/bot');
    expect(gateway?.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    expect(fake.identifies).toHaveLength(1);
    expect(fake.identifies[0]).toMatchObject({ token: FAKE_TOKEN, intents: 1, shard: [0, 1], query: 'v=10&encoding=json' });
    expect(fake.identifies[0]!.compress).not.toBe(true);
    await fake.waitFor(() => (fake.heartbeats >= 1 ? true : undefined), 'a heartbeat');
    // Heartbeats are acknowledged, so the client never reconnects as a zombie.
    expect(fake.identifies).toHaveLength(1);
  });
});

describe('slash commands', () => {
  it('/quotes speaker:zakharova answers with an embed of her quotes and their story', async () => {
    const p = fake.interact(slashCommand('quotes', { speaker: 'zakharova' }));
    const cb = await fake.waitForRequest(isCallback(p), 'the /quotes callback');
    expect(cb.body.type).toBe(CALLBACK.message);
    const data = cb.body.data;
    expect(data.flags ?? 0).toBe(0);
    expect(data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(limitViolations(data)).toEqual([]);
    const embed = data.embeds[0];
    expect(embed.title).toContain('Maria Zakharova');
    const text = data.embeds.map((e: { description?: string }) => e.description ?? '').join('\n');
    expect(text).toMatch(/> “We have heard these promises before and we know how they end,?”\n— \*\*Maria Zakharova\*\*, added · /);
    expect(text).toContain('**Maria Zakharova**');
    expect(text).toContain('[Moscow dismisses grain corridor proposal as "theatre"](https://news.example.org/2024/03/14/grain-corridor)');
    expect(text).toContain('Nobody expects a breakthrough this weekend');
    expect(core.requests.at(-1)).toMatchObject({ command: 'quotes', args: 'zakharova', platform: 'discord', page: 1 });
  });

  it('answers a speaker nobody quoted with an ephemeral reply', async () => {
    const p = fake.interact(slashCommand('quotes', { speaker: 'Quentin Nobodyknows' }));
    const cb = await fake.waitForRequest(isCallback(p), 'the callback');
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags).toBe(64);
    expect(cb.body.data.allowed_mentions.parse).toEqual([]);
    expect(cb.body.data.embeds[0].title.length).toBeGreaterThan(0);
  });

  it('text from an article containing @everyone carries allowed_mentions with no parse and cannot ping', async () => {
    const p = fake.interact(slashCommand('search', { query: 'servers launcher' }));
    const edit = await fake.waitForRequest(isOriginalEdit(p), 'the search answer');
    const body = edit.body;
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    const all = JSON.stringify(body.embeds);
    expect(all).toContain('Server outage leaves gamers locked out');
    expect(all).toContain('@\\u200beveryone'.replace('\\u200b', '\u200b'));
    expect(all).not.toMatch(/@everyone|@here/);
  });
});

describe('hostile input', () => {
  it('an oversized option, control characters or an unknown command get an ephemeral error; the bot keeps answering', async () => {
    const huge = fake.interact(slashCommand('quotes', { speaker: 'Zakharova '.repeat(2000) }));
    const cb1 = await fake.waitForRequest(isCallback(huge), 'the oversized answer');
    expect(cb1.body.data.flags).toBe(64);
    expect(cb1.body.data.embeds[0].title).toBe('Argument too long');
    expect(limitViolations(cb1.body.data)).toEqual([]);

    const binary = fake.interact(slashCommand('who', { name: '\u0000\u0007\uFFFF@everyone\uD800' }));
    const cb2 = await fake.waitForRequest(isCallback(binary), 'the binary answer');
    expect(cb2.body.data.allowed_mentions.parse).toEqual([]);
    expect(JSON.stringify(cb2.body.data)).not.toMatch(/@everyone/);
    expect(limitViolations(cb2.body.data)).toEqual([]);

    const unknown = fake.interact(slashCommand('rm-rf', { path: '/' }));
    const cb3 = await fake.waitForRequest(isCallback(unknown), 'the unknown-command answer');
    expect(cb3.body.data.flags).toBe(64);
    expect(cb3.body.data.embeds[0].title).toBe('/rm-rf is not a command of this bot');

    const hugeAuto = fake.interact(autocomplete('who', 'name', 'H'.repeat(5000)));
    const cb4 = await fake.waitForRequest(isCallback(hugeAuto), 'the autocomplete answer');
    expect(cb4.body.type).toBe(CALLBACK.autocomplete);
    expect(cb4.body.data.choices.length).toBeLessThanOrEqual(25);

    const after = fake.interact(slashCommand('who', { name: 'Tom Hadley' }));
    const cb5 = await fake.waitForRequest(isCallback(after), 'a normal answer afterwards');
    expect(JSON.stringify(cb5.body.data.embeds)).toContain('Tom Hadley');
  });
});

describe('deferral', () => {
  it('a command that may be slow (/search) defers first, then edits the original response', async () => {
    const p = fake.interact(slashCommand('search', { query: 'grain corridor' }));
    const edit = await fake.waitForRequest(isOriginalEdit(p), 'the edit');
    const mine = fake.requestsFor(p);
    expect(mine.map((r) => `${r.method} ${r.path.startsWith('/interactions') ? 'callback' : 'webhook'}`)).toEqual([
      'POST callback',
      'PATCH webhook',
    ]);
    expect(mine[0]!.body).toEqual({ type: CALLBACK.deferredMessage, data: { flags: 0 } });
    expect(edit.body.embeds[0].title).toContain('grain corridor');
    expect(limitViolations(edit.body)).toEqual([]);
  });

  it('a command that turns out slow is deferred after deferAfterMs; a fast one is answered directly', async () => {
    core.delayMs = 900;
    try {
      const p = fake.interact(slashCommand('who', { name: 'Tom Hadley' }));
      const edit = await fake.waitForRequest(isOriginalEdit(p), 'the edit');
      const cb = fake.requests.find(isCallback(p))!;
      expect(cb.body.type).toBe(CALLBACK.deferredMessage);
      // Deferred well before the core answered, and inside Discord's 3 s window.
      expect(edit.at - cb.at).toBeGreaterThan(400);
      expect(JSON.stringify(edit.body.embeds)).toContain('Tom Hadley');
    } finally {
      core.delayMs = 0;
    }
    const q = fake.interact(slashCommand('who', { name: 'Tom Hadley' }));
    const cb2 = await fake.waitForRequest(isCallback(q), 'the direct answer');
    expect(cb2.body.type).toBe(CALLBACK.message);
    expect(fake.requestsFor(q)).toHaveLength(1);
  });

  it('an ephemeral answer after a public deferral replaces the placeholder with an ephemeral follow-up', async () => {
    core.delayMs = 700;
    try {
      const p = fake.interact(slashCommand('who', { name: 'Quentin Nobodyknows' }));
      const follow = await fake.waitForRequest(
        (r) => r.method === 'POST' && r.path === `/webhooks/${FAKE_APP_ID}/${p.token}`,
        'the follow-up',
      );
      const mine = fake.requestsFor(p).map((r) => `${r.method} ${r.path.replace(p.token, 'T').replace(p.id, 'I')}`);
      expect(mine).toEqual([
        'POST /interactions/I/T/callback',
        `DELETE /webhooks/${FAKE_APP_ID}/T/messages/@original`,
        `POST /webhooks/${FAKE_APP_ID}/T`,
      ]);
      expect(follow.body.flags).toBe(64);
      expect(follow.body.allowed_mentions.parse).toEqual([]);
    } finally {
      core.delayMs = 0;
    }
  });
});

describe('autocomplete', () => {
  it('returns matching speakers for /quotes speaker', async () => {
    const p = fake.interact(autocomplete('quotes', 'speaker', 'zak'));
    const cb = await fake.waitForRequest(isCallback(p), 'the autocomplete callback');
    expect(cb.body.type).toBe(CALLBACK.autocomplete);
    expect(cb.body.data.choices).toContainEqual({ name: 'Maria Zakharova', value: 'Maria Zakharova' });
    expect(cb.body.data.choices.length).toBeLessThanOrEqual(25);
  });

  it('returns matching entities for /who name, at most 25, each within 100 characters', async () => {
    const p = fake.interact(autocomplete('who', 'name', 'Hadl'));
    const cb = await fake.waitForRequest(isCallback(p), 'the autocomplete callback');
    expect(cb.body.data.choices[0]).toEqual({ name: 'Tom Hadley', value: 'Tom Hadley' });
    const all = fake.interact(autocomplete('who', 'name', ''));
    const cb2 = await fake.waitForRequest(isCallback(all), 'the autocomplete callback');
    expect(cb2.body.data.choices.length).toBeGreaterThan(0);
    expect(cb2.body.data.choices.length).toBeLessThanOrEqual(25);
    for (const c of cb2.body.data.choices) expect(c.name.length).toBeLessThanOrEqual(100);
  });

  it('answers with no choices rather than missing the 3 s deadline when suggest is slow', async () => {
    core.suggestDelayMs = 2000;
    try {
      const p = fake.interact(autocomplete('who', 'name', 'Hadl'));
      const started = Date.now();
      const cb = await fake.waitForRequest(isCallback(p), 'the autocomplete callback');
      expect(cb.body).toEqual({ type: CALLBACK.autocomplete, data: { choices: [] } });
      expect(cb.at - started).toBeLessThan(1500);
    } finally {
      core.suggestDelayMs = 0;
    }
  });
});

describe('buttons', () => {
  it('an expired or foreign button gets an ephemeral notice or nothing', async () => {
    // The gateway delivers in order: once the second click is answered, the first was handled.
    const q = fake.interact(buttonClick('someone-else:thing'));
    const p = fake.interact(buttonClick('nb:r:zzzz'));
    const cb = await fake.waitForRequest(isCallback(p), 'the callback');
    expect(cb.body.type).toBe(CALLBACK.message);
    expect(cb.body.data.flags).toBe(64);
    expect(cb.body.data.embeds[0].title).toBe('This button has expired');
    if (running.mode === 'client') await running.adapter.idle();
    expect(fake.requestsFor(q)).toEqual([]);
  });
});

describe('paging', () => {
  let pagingFake: FakeDiscord;
  let pagingBot: RunningDiscord;
  beforeAll(async () => {
    // Twelve briefs that all match "ceasefire", so /search has more than one page.
    const briefs: ArticleInput[] = Array.from({ length: 12 }, (_, i) => ({
      title: `Ceasefire brief ${i + 1}: monitors report calm night in sector ${i + 1}`,
      url: `https://news.example.org/briefs/${i + 1}`,
      publishedAt: new Date(Date.UTC(2024, 2, 1 + i, 6)).toISOString(),
      source: 'test',
      text: `Ceasefire brief ${i + 1}: monitors report calm night in sector ${i + 1}\n\nKYIV (Newswire) — Observers said the ceasefire held overnight in sector ${i + 1}, with ${i + 2} minor incidents logged.`,
    }));
    pagingFake = await FakeDiscord.start();
    const { index } = await buildIndex(briefs);
    pagingBot = await startAgainstFake(buildCore(index), pagingFake);
  });
  afterAll(async () => {
    await pagingBot?.stop();
    await pagingFake?.close();
  });

  it('the core\'s next page is a button; clicking it defers the update and edits the message', async () => {
    const p = pagingFake.interact(slashCommand('search', { query: 'ceasefire' }));
    const first = await pagingFake.waitForRequest(isOriginalEdit(p), 'page 1');
    const buttons = first.body.components.flatMap((r: { components: unknown[] }) => r.components);
    expect(buttons.length).toBeGreaterThan(0);
    const next = buttons.at(-1) as { custom_id: string; label: string };
    expect(next.custom_id).toMatch(/^nb:p:2:1:search:ceasefire$/);
    const page1 = JSON.stringify(first.body.embeds);

    const click = pagingFake.interact(buttonClick(next.custom_id, first.body));
    const cb = await pagingFake.waitForRequest(isCallback(click), 'the deferred update');
    expect(cb.body.type).toBe(CALLBACK.deferredUpdate);
    const second = await pagingFake.waitForRequest(isOriginalEdit(click), 'page 2');
    expect(limitViolations(second.body)).toEqual([]);
    const page2 = JSON.stringify(second.body.embeds);
    expect(page2).not.toEqual(page1);
    expect(page2).toContain('Ceasefire brief');
  });
});
