/**
 * The real Bolt app (HTTP mode, 127.0.0.1) over the real core and a real SQLite index,
 * talking to a fake Slack Web API and fake response_urls on 127.0.0.1.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/index/types.js';
import { SLACK_MORE_ACTION_ID, decodePageValue, liveMentions, slackLimitViolations, type SlackBlock } from '../../src/render/slack.js';
import type { RunningSlack } from '../../src/adapters/slack/start.js';
import {
  BOT_USER_ID,
  FakeSlack,
  appMentionBody,
  buttonClickBody,
  directMessageBody,
  sendToApp,
  slackSignature,
  slashCommandBody,
  type FakeCall,
} from './fake-slack.js';
import { startSlack } from '../../src/adapters/slack/start.js';
import { BOT_TOKEN, SIGNING_SECRET, SlowCore, buildCore, buildIndex, quietLogger, startAgainstFake } from './harness.js';
import { GRAIN_STORY, PRANK_STORY, markovaStories } from './stories.js';

const FORM = 'application/x-www-form-urlencoded' as const;
const JSON_TYPE = 'application/json' as const;

let fake: FakeSlack;
let index: ArticleIndex;
let dir: string;
let core: SlowCore;
let slack: RunningSlack;
let appUrl: string;
let ids = 0;
const nextId = (p: string) => `${p}${++ids}`;
let tsCounter = 1_700_000_100;
const nextTs = () => `${tsCounter++}.000200`;

/** All text of a Slack payload's blocks and fallback, as one string. */
function payloadText(call: FakeCall | undefined): string {
  return JSON.stringify({ text: call?.body.text, blocks: call?.body.blocks });
}

function blocksOf(call: FakeCall | undefined): SlackBlock[] {
  return (call?.body.blocks ?? []) as SlackBlock[];
}

function headerOf(call: FakeCall | undefined): string {
  const h = blocksOf(call)[0];
  return h?.type === 'header' ? h.text.text : '';
}

async function slash(command: string, text: string, opts: { user?: string } = {}) {
  const id = nextId('r');
  const sent = await sendToApp(
    appUrl,
    slashCommandBody({ command, text, responseUrl: fake.responseUrl(id), ...(opts.user ? { userId: opts.user } : {}) }),
    FORM,
    SIGNING_SECRET,
  );
  return { id, sent };
}

async function responseFor(id: string, timeoutMs = 5000): Promise<FakeCall | undefined> {
  await fake.waitFor(() => fake.of('response', id).length > 0, timeoutMs);
  return fake.of('response', id)[0];
}

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
  ({ index, dir } = await buildIndex([GRAIN_STORY, PRANK_STORY, ...markovaStories(4, 10)]));
  core = new SlowCore(buildCore(index));
  ({ slack, appUrl } = await startAgainstFake(core, fake));
});

afterAll(async () => {
  await slack?.stop();
  await fake?.stop();
  await index?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('slash commands over HTTP', () => {
  it('acknowledges a signed /quotes zakharova within 3 s and delivers the quote blocks to response_url', async () => {
    const { id, sent } = await slash('/quotes', 'zakharova');
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(3000);
    expect(sent.body).toBe('');
    const reply = await responseFor(id);
    expect(reply).toBeDefined();
    expect(reply!.body.response_type).toBe('in_channel');
    expect(reply!.body.replace_original).toBe(false);
    expect(headerOf(reply)).toContain('Zakharova');
    const sections = blocksOf(reply).filter((b) => b.type === 'section').map((b) => (b.type === 'section' ? b.text?.text ?? '' : ''));
    const quote = sections.find((t) => t.includes('There have been no such talks'));
    expect(quote).toBeDefined();
    expect(quote).toMatch(/^>/); // a Slack block quote
    expect(quote).toContain('Maria Zakharova');
    expect(quote).toContain(`<${GRAIN_STORY.url}|`); // cites its story with a link
    expect(slackLimitViolations({ text: String(reply!.body.text), blocks: blocksOf(reply) })).toEqual([]);
  });

  it('acknowledges at once even when the core is slow, and the answer follows', async () => {
    core.delayMs = 3500;
    try {
      const { id, sent } = await slash('/who', 'france');
      expect(sent.status).toBe(200);
      expect(sent.ms).toBeLessThan(1000);
      expect(fake.of('response', id)).toHaveLength(0);
      const reply = await responseFor(id, 8000);
      expect(reply).toBeDefined();
      expect(headerOf(reply)).toContain('France');
    } finally {
      core.delayMs = 0;
    }
  }, 15_000);

  it('rejects a bad signature with 401 and never answers', async () => {
    const id = nextId('bad');
    const body = slashCommandBody({ command: '/quotes', text: 'zakharova', responseUrl: fake.responseUrl(id) });
    const before = core.requests.length;
    const forged = await sendToApp(appUrl, body, FORM, SIGNING_SECRET, { signature: slackSignature('not-the-secret', Math.floor(Date.now() / 1000), body) });
    expect(forged.status).toBe(401);
    const tampered = await sendToApp(appUrl, body.replace('zakharova', 'markova'), FORM, SIGNING_SECRET, {
      signature: slackSignature(SIGNING_SECRET, Math.floor(Date.now() / 1000), body),
    });
    expect(tampered.status).toBe(401);
    await new Promise((r) => setTimeout(r, 700));
    expect(fake.of('response', id)).toHaveLength(0);
    expect(core.requests.length).toBe(before);
  });

  it('rejects a correctly signed request older than 5 minutes with 401 and never answers', async () => {
    const id = nextId('stale');
    const body = slashCommandBody({ command: '/quotes', text: 'zakharova', responseUrl: fake.responseUrl(id) });
    const before = core.requests.length;
    const stale = await sendToApp(appUrl, body, FORM, SIGNING_SECRET, { timestamp: Math.floor(Date.now() / 1000) - 5 * 60 - 30 });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 700));
    expect(fake.of('response', id)).toHaveLength(0);
    expect(core.requests.length).toBe(before);
  });

  it('answers /help ephemerally', async () => {
    const { id, sent } = await slash('/help', '');
    expect(sent.status).toBe(200);
    const reply = await responseFor(id);
    expect(reply!.body.response_type).toBe('ephemeral');
    expect(payloadText(reply)).toContain('quotes');
  });

  it('pages a long answer with a More button that brings the next quotes', async () => {
    const { id } = await slash('/quotes', 'markova');
    const first = await responseFor(id);
    const actions = blocksOf(first).find((b) => b.type === 'actions');
    expect(actions).toBeDefined();
    const button = actions?.type === 'actions' ? actions.elements[0] : undefined;
    expect(button?.type).toBe('button');
    const value = button?.type === 'button' ? button.value ?? '' : '';
    expect(button?.type === 'button' ? button.action_id : '').toBe(SLACK_MORE_ACTION_ID);
    const next = decodePageValue(value);
    expect(next?.command).toBe('quotes');

    const clickId = nextId('click');
    const click = await sendToApp(appUrl, buttonClickBody({ actionId: SLACK_MORE_ACTION_ID, value, responseUrl: fake.responseUrl(clickId) }), FORM, SIGNING_SECRET);
    expect(click.status).toBe(200);
    expect(click.ms).toBeLessThan(3000);
    const second = await responseFor(clickId);
    expect(second).toBeDefined();
    const lines = (call: FakeCall | undefined) => new Set([...payloadText(call).matchAll(/Line number (\d+)/g)].map((m) => m[1]));
    const a = lines(first);
    const b = lines(second);
    expect(a.size).toBeGreaterThan(0);
    expect(b.size).toBeGreaterThan(0);
    for (const n of b) expect(a.has(n)).toBe(false);
  });

  it('answers a tampered More button with an ephemeral note, not a crash', async () => {
    const clickId = nextId('click');
    const click = await sendToApp(
      appUrl,
      buttonClickBody({ actionId: SLACK_MORE_ACTION_ID, value: '{"c":"drop table","a":"","p":1,"s":1}', responseUrl: fake.responseUrl(clickId) }),
      FORM,
      SIGNING_SECRET,
    );
    expect(click.status).toBe(200);
    const reply = await responseFor(clickId);
    expect(reply!.body.response_type).toBe('ephemeral');
  });
});

describe('mentions and direct messages', () => {
  it('answers "@bot who france" in the thread of the mention via chat.postMessage', async () => {
    const ts = nextTs();
    const sent = await sendToApp(appUrl, appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> who france`, ts }), JSON_TYPE, SIGNING_SECRET);
    expect(sent.status).toBe(200);
    await fake.waitFor(() => fake.of('chat.postMessage').some((c) => c.body.thread_ts === ts));
    const post = fake.of('chat.postMessage').find((c) => c.body.thread_ts === ts);
    expect(post).toBeDefined();
    expect(post!.body.channel).toBe('C0DESK');
    expect(headerOf(post)).toContain('France');
    expect(String(post!.body.unfurl_links)).toBe('false'); // form-encoded by WebClient
  });

  it('keeps answering inside an existing thread', async () => {
    const parent = nextTs();
    const ts = nextTs();
    await sendToApp(appUrl, appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> quotes zakharova`, ts, threadTs: parent }), JSON_TYPE, SIGNING_SECRET);
    expect(await fake.waitFor(() => fake.of('chat.postMessage').some((c) => c.body.thread_ts === parent))).toBe(true);
  });

  it('answers an unknown word with help, ephemerally, in the thread', async () => {
    const ts = nextTs();
    await sendToApp(appUrl, appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> dance please`, ts }), JSON_TYPE, SIGNING_SECRET);
    expect(await fake.waitFor(() => fake.of('chat.postEphemeral').some((c) => c.body.thread_ts === ts))).toBe(true);
    const eph = fake.of('chat.postEphemeral').find((c) => c.body.thread_ts === ts);
    expect(eph!.body.user).toBe('U0EDITOR');
    expect(payloadText(eph)).toContain('dance');
    expect(fake.of('chat.postMessage').some((c) => c.body.thread_ts === ts)).toBe(false);
  });

  it('answers a direct message in the DM', async () => {
    const ts = nextTs();
    await sendToApp(appUrl, directMessageBody({ eventId: nextId('Ev'), text: 'quotes zakharova', ts, channel: 'D0EDITOR' }), JSON_TYPE, SIGNING_SECRET);
    expect(await fake.waitFor(() => fake.of('chat.postMessage').some((c) => c.body.channel === 'D0EDITOR'))).toBe(true);
    const post = fake.of('chat.postMessage').find((c) => c.body.channel === 'D0EDITOR');
    expect(payloadText(post)).toContain('There have been no such talks');
    expect(post!.body.thread_ts).toBeUndefined();
  });
});

describe('delivery faults', () => {
  it('retries chat.postMessage after a 429, waiting for Retry-After', async () => {
    const ts = nextTs();
    fake.rateLimit('chat.postMessage', 1, 1);
    await sendToApp(appUrl, appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> who france`, ts }), JSON_TYPE, SIGNING_SECRET);
    await fake.waitFor(() => fake.of('chat.postMessage').some((c) => c.body.thread_ts === ts && c.status === 200), 8000);
    const attempts = fake.of('chat.postMessage').filter((c) => c.body.thread_ts === ts);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
  }, 15_000);

  it('gives up after a bounded number of retries when Slack keeps answering 429', async () => {
    const ts = nextTs();
    fake.rateLimit('chat.postMessage', 100, 0);
    try {
      await sendToApp(appUrl, appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> who france`, ts }), JSON_TYPE, SIGNING_SECRET);
      await fake.waitFor(() => fake.of('chat.postMessage').filter((c) => c.body.thread_ts === ts).length >= 3, 8000);
      await new Promise((r) => setTimeout(r, 1500));
      const attempts = fake.of('chat.postMessage').filter((c) => c.body.thread_ts === ts);
      expect(attempts.map((c) => c.status)).toEqual([429, 429, 429]); // first try + apiRetries (2)
    } finally {
      fake.rateLimit('chat.postMessage', 0, 0);
    }
  }, 15_000);

  it('does not answer a retried event twice, but answers a retry of an event it never saw', async () => {
    const ts = nextTs();
    const body = appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> who france`, ts });
    const first = await sendToApp(appUrl, body, JSON_TYPE, SIGNING_SECRET);
    const retry1 = await sendToApp(appUrl, body, JSON_TYPE, SIGNING_SECRET, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    const retry2 = await sendToApp(appUrl, body, JSON_TYPE, SIGNING_SECRET, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, retry1.status, retry2.status]).toEqual([200, 200, 200]);
    await fake.waitFor(() => fake.of('chat.postMessage').some((c) => c.body.thread_ts === ts));
    await new Promise((r) => setTimeout(r, 700));
    expect(fake.of('chat.postMessage').filter((c) => c.body.thread_ts === ts)).toHaveLength(1);

    const unseen = nextTs();
    await sendToApp(appUrl, appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> who france`, ts: unseen }), JSON_TYPE, SIGNING_SECRET, {
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' },
    });
    expect(await fake.waitFor(() => fake.of('chat.postMessage').some((c) => c.body.thread_ts === unseen))).toBe(true);
  });
});

describe('article text never pings anyone', () => {
  it('a /quotes and a /summary of a story containing <!channel> and @here carry no live mention or foreign link', async () => {
    const q = await slash('/quotes', 'hale');
    const s = await slash('/summary', 'council vote delayed prank');
    const replies = [await responseFor(q.id), await responseFor(s.id)];
    for (const reply of replies) {
      expect(reply).toBeDefined();
      const text = payloadText(reply);
      expect(liveMentions({ text: String(reply!.body.text), blocks: blocksOf(reply) }, [PRANK_STORY.url!])).toEqual([]);
      expect(text).not.toContain('<!channel>');
      expect(text).not.toMatch(/<https:\/\/phish/);
    }
    // The story's words are there, escaped: the answer did use the hostile text.
    const all = replies.map(payloadText).join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('@\u2060here');
  });

  it('a mention answer about that story carries no live mention either', async () => {
    const ts = nextTs();
    await sendToApp(appUrl, appMentionBody({ eventId: nextId('Ev'), text: `<@${BOT_USER_ID}> quotes hale`, ts }), JSON_TYPE, SIGNING_SECRET);
    await fake.waitFor(() => fake.of('chat.postMessage').some((c) => c.body.thread_ts === ts));
    const post = fake.of('chat.postMessage').find((c) => c.body.thread_ts === ts);
    expect(post).toBeDefined();
    expect(liveMentions({ text: String(post!.body.text), blocks: blocksOf(post) }, [PRANK_STORY.url!])).toEqual([]);
    expect(payloadText(post)).toContain('&lt;!channel&gt;');
  });
});

describe('workspace settings', () => {
  it('serves prefixed command names, private answers and admins when configured', async () => {
    const { slack: other, appUrl: otherUrl } = await startAgainstFake(core, fake, {
      commandPrefix: 'news-',
      answersInChannel: false,
      admins: ['U0ADMIN'],
    });
    try {
      expect(other.commands).toContain('/news-quotes');
      const id = nextId('pre');
      const sent = await sendToApp(otherUrl, slashCommandBody({ command: '/news-quotes', text: 'zakharova', responseUrl: fake.responseUrl(id), userId: 'U0ADMIN' }), FORM, SIGNING_SECRET);
      expect(sent.status).toBe(200);
      const reply = await responseFor(id);
      expect(reply!.body.response_type).toBe('ephemeral');
      expect(payloadText(reply)).toContain('There have been no such talks');
      expect(core.requests.at(-1)).toMatchObject({ command: 'quotes', args: 'zakharova', platform: 'slack', userId: 'U0ADMIN', channelId: 'C0DESK', isAdmin: true });

      const helpId = nextId('pre');
      await sendToApp(otherUrl, slashCommandBody({ command: '/news-help', text: '', responseUrl: fake.responseUrl(helpId) }), FORM, SIGNING_SECRET);
      const help = await responseFor(helpId);
      expect(payloadText(help)).toContain('/news-quotes');
      expect(payloadText(help)).toContain('/news-summary');
      expect(payloadText(help)).not.toMatch(/[\s•(]\/(quotes|summary|who|search|help)\b/);
      expect(core.requests.at(-1)).toMatchObject({ command: 'help', isAdmin: false });
    } finally {
      await other.stop();
    }
  });

  it('refuses to start without a bot token, or without a signing secret or app token', async () => {
    const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: undefined, SLACK_API_URL: fake.apiUrl, SLACK_PORT: 3000 };
    await expect(startSlack(core, { ...env, SLACK_BOT_TOKEN: undefined }, {}, { logger: quietLogger })).rejects.toThrow(/SLACK_BOT_TOKEN/);
    await expect(startSlack(core, env, {}, { logger: quietLogger })).rejects.toThrow(/SLACK_SIGNING_SECRET/);
    await expect(startSlack(core, { ...env, SLACK_SIGNING_SECRET: SIGNING_SECRET }, { commandPrefix: 'Bad Prefix' }, { logger: quietLogger })).rejects.toThrow(/prefix/);
  });
});

describe('HTTP receiver housekeeping', () => {
  it('answers the health check', async () => {
    const res = await fetch(appUrl.replace('/slack/events', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });
});
