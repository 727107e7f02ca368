/**
 * End to end: the dev corpus (read from /work/shared/corpus/dev at test time) in a real SQLite
 * index; the real core with the schedule service; the real Slack adapter (Bolt, HTTP mode) and
 * the real Discord adapter (discord.js) against the fake Slack and fake Discord of the adapter
 * tests, on 127.0.0.1. Admins schedule digests from chat; the scheduler (on a controlled clock)
 * posts them through the Slack and Discord sinks; the test reads what the fakes received.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/start.js';
import type { RunningSlack } from '../../src/adapters/slack/start.js';
import { createCore } from '../../src/core/index.js';
import { entityKey } from '../../src/index/keys.js';
import type { SqliteIndex } from '../../src/index/sqlite.js';
import type { StoryRecord } from '../../src/index/types.js';
import { parseArticle } from '../../src/parse/index.js';
import { escapeSlackText, liveMentions, slackLimitViolations, type SlackBlock } from '../../src/render/slack.js';
import { ManualClock } from '../../src/schedule/clock.js';
import { createDigests, startDigestScheduler, type DigestScheduler, type Digests } from '../../src/schedule/index.js';
import { DigestsSchema } from '../../src/schedule/config.js';
import { discordDigestSink } from '../../src/schedule/sinks/discord.js';
import { slackDigestSink } from '../../src/schedule/sinks/slack.js';
import { FAKE_CHANNEL_ID, FAKE_TOKEN, FAKE_USER_ID, FakeDiscord, slashCommand, type RecordedRequest } from '../discord/fake-discord.js';
import { FakeSlack, sendToApp, slashCommandBody, type FakeCall } from '../slack/fake-slack.js';
import { quietLogger, SIGNING_SECRET, startAgainstFake } from '../slack/harness.js';
import { acceptChannelMessages } from './discord-channels.js';
import { openIndex, runUntil, tempDb } from './helpers.js';

const CORPUS = '/work/shared/corpus/dev';
const SLACK_ADMIN = 'U0ADMIN';
const SLACK_CHANNEL = 'C0DESK';
/** A Discord channel the fake does not know (the bot was removed from it): 404 Unknown Channel. */
const GONE_CHANNEL = '399999999999999999';

let clock: ManualClock;
let index: SqliteIndex;
let digests: Digests;
let scheduler: DigestScheduler;
let slackFake: FakeSlack;
let discordFake: FakeDiscord;
let slack: RunningSlack;
let discord: RunningDiscord;
let appUrl: string;
let stories: StoryRecord[];
let responses = 0;

beforeAll(async () => {
  clock = new ManualClock('2025-05-06T05:00:00Z');
  index = openIndex(tempDb(), clock);
  for (const f of fs.readdirSync(CORPUS).filter((x) => x.endsWith('.txt')).sort()) {
    const text = fs.readFileSync(path.join(CORPUS, f), 'utf8');
    await index.upsert({ text, source: path.join(CORPUS, f) }, parseArticle(text));
  }
  stories = await index.storiesSince(new Date(0), new Date('2030-01-01T00:00:00Z'));
  const config = DigestsSchema.parse({ defaultTimeZone: 'Europe/London' });
  digests = await createDigests(index, config, { clock });
  const core = createCore({ index, now: () => clock.now(), digests: digests.service, config: { digests: config } });

  slackFake = new FakeSlack();
  await slackFake.start();
  ({ slack, appUrl } = await startAgainstFake(core, slackFake, { admins: [SLACK_ADMIN] }));
  discordFake = await FakeDiscord.start();
  acceptChannelMessages(discordFake, [GONE_CHANNEL]);
  discord = await startDiscord(
    core,
    { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: discordFake.apiUrl, DISCORD_APPLICATION_ID: undefined, DISCORD_GUILD_ID: undefined, DISCORD_SHARDS: undefined },
    { admins: [FAKE_USER_ID] },
    { logger: quietLogger },
  );
  if (discord.mode !== 'client') throw new Error('expected a single discord.js client');
  scheduler = await startDigestScheduler(
    digests,
    index,
    [slackDigestSink(slack.app.client), discordDigestSink(discord.adapter.client.rest)],
    config,
    { clock, logger: quietLogger },
  );
}, 30_000);

afterAll(async () => {
  await scheduler?.stop();
  await slack?.stop();
  await discord?.stop();
  await slackFake?.stop();
  await discordFake?.close();
  await index?.close();
});

/** Sends a slash command to the Bolt app and returns what it posted to the response_url. */
async function slash(text: string, user: string): Promise<FakeCall> {
  const id = `e2e${++responses}`;
  const sent = await sendToApp(
    appUrl,
    slashCommandBody({ command: '/digest', text, responseUrl: slackFake.responseUrl(id), userId: user, channelId: SLACK_CHANNEL }),
    'application/x-www-form-urlencoded',
    SIGNING_SECRET,
  );
  expect(sent.status).toBe(200);
  expect(await slackFake.waitFor(() => slackFake.of('response', id).length > 0)).toBe(true);
  return slackFake.of('response', id)[0]!;
}

/** The Discord interaction callback (or the deferred edit) answering a /digest command. */
async function discordDigest(period: string, user: string): Promise<RecordedRequest> {
  const p = discordFake.interact(slashCommand('digest', { period }, user));
  // /digest may be slow, so the adapter defers; an ephemeral answer then comes as a follow-up, a public one as an edit.
  return discordFake.waitForRequest(
    (r) =>
      (r.method === 'PATCH' && r.path.endsWith(`/${p.token}/messages/@original`)) ||
      (r.method === 'POST' && r.path.endsWith(`/${p.token}`)) ||
      (r.path === `/interactions/${p.id}/${p.token}/callback` && r.body?.type === 4),
    'the answer to /digest',
  );
}

const unslash = (s: string) => s.replace(/\\/g, '');

/** The most-quoted speaker, counted here from the parses: quotes linked to a person or organisation. */
function topSpeaker(): string {
  const tally = new Map<string, { name: string; n: number }>();
  for (const s of stories) {
    for (const q of s.parsed.quotes) {
      const e = s.parsed.entities.find((x) => x.id === q.speaker?.entityId);
      if (q.kind === 'term' || !e || (e.type !== 'person' && e.type !== 'organization') || !q.text.trim()) continue;
      const k = entityKey(e.type, e.name);
      tally.set(k, { name: e.name, n: (tally.get(k)?.n ?? 0) + 1 });
    }
  }
  return [...tally.values()].sort((a, b) => b.n - a.n)[0]!.name;
}

describe('scheduled digests of the dev corpus on Slack and Discord', () => {
  it('admins schedule from chat; others are refused', async () => {
    const refused = await slash('schedule daily 08:00 Europe/London', 'U0REPORTER');
    expect(refused.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(refused.body.blocks)).toContain('Only admins can change digest schedules');
    const made = await slash('schedule daily 08:00 Europe/London', SLACK_ADMIN);
    expect(made.body.response_type).toBe('ephemeral');
    expect(JSON.stringify(made.body.blocks)).toContain('This channel will get a digest daily at 08:00 (Europe/London)');

    const answer = await discordDigest('schedule weekdays 08:00 Europe/London', FAKE_USER_ID);
    expect(JSON.stringify(answer.body)).toContain('This channel will get a digest weekdays at 08:00 (Europe/London)');
    expect((await digests.store.activeSchedules()).map((s) => [s.platform, s.channelId, s.spec.days])).toEqual([
      ['slack', SLACK_CHANNEL, 'daily'],
      ['discord', FAKE_CHANNEL_ID, 'weekdays'],
    ]);
  });

  it('posts the digest at 08:00 London time to the Slack channel, once, with every story, speakers, names and numbers', async () => {
    await runUntil(clock, '2025-05-06T07:30:00Z', scheduler);
    const posts = slackFake.of('chat.postMessage');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.every((p) => p.body.channel === SLACK_CHANNEL && String(p.body.unfurl_links) === 'false')).toBe(true);
    const text = posts.map((p) => JSON.stringify(p.body.blocks)).join('\n');
    const header = (posts[0]!.body.blocks as SlackBlock[])[0]!;
    expect(header).toMatchObject({ type: 'header', text: { text: expect.stringMatching(new RegExp(`^Digest: ${stories.length} new stories`)) } });
    for (const s of stories) expect(text).toContain(JSON.stringify(escapeSlackText(s.title)).slice(1, -1));
    expect(text).toContain('Stories in Mon 5 May, 08:00 – Tue 6 May, 08:00 (Europe/London)');
    for (const heading of ['*Most quoted*', '*Most mentioned*', '*Numbers*']) expect(text).toContain(heading);
    expect(text).toContain(topSpeaker());
    for (const p of posts) {
      expect(slackLimitViolations({ text: String(p.body.text), blocks: p.body.blocks as SlackBlock[] })).toEqual([]);
      expect(liveMentions({ text: String(p.body.text), blocks: p.body.blocks as SlackBlock[] })).toEqual([]);
    }
    const rows = (await digests.store.outbox());
    expect(rows.filter((r) => r.platform === 'slack')).toMatchObject([{ status: 'posted', slot: '2025-05-06', partsPosted: posts.length }]);
    // The message ids Slack returned (`ts`) are kept with the outbox row.
    const refs = rows.find((r) => r.platform === 'slack')!.messageRefs;
    expect(refs).toHaveLength(posts.length);
    for (const ref of refs) expect(ref).toMatch(/^\d+\.\d+$/);
  });

  it('posts the same digest to the Discord channel as embeds, without pings, with a nonce Discord enforces', async () => {
    const posts = discordFake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${FAKE_CHANNEL_ID}/messages`);
    expect(posts.length).toBeGreaterThanOrEqual(1);
    const text = unslash(posts.map((p) => JSON.stringify(p.body.embeds)).join('\n'));
    expect(posts[0]!.body.embeds[0].title).toBe(`Digest: ${stories.length} new stories`);
    for (const s of stories) expect(text).toContain(unslash(JSON.stringify(s.title).slice(1, -1)));
    for (const heading of ['**Most quoted**', '**Most mentioned**', '**Numbers**']) expect(text).toContain(heading);
    expect(text).toContain(topSpeaker());
    for (const [i, p] of posts.entries()) {
      expect(p.authorization).toBe(`Bot ${FAKE_TOKEN}`);
      expect(p.body.allowed_mentions).toEqual({ parse: [] });
      expect(p.body.enforce_nonce).toBe(true);
      expect(p.body.nonce).toMatch(new RegExp(`^digest-\\d+\\.${i + 1}$`));
    }
    expect((await digests.store.outbox()).filter((r) => r.platform === 'discord')).toMatchObject([{ status: 'posted', slot: '2025-05-06' }]);
  });

  it('/digest on demand answers in the channel without moving the schedule; the next slots post once each', async () => {
    await runUntil(clock, '2025-05-06T09:00:00Z', scheduler);
    const onDemand = await slash('', 'U0REPORTER');
    expect(onDemand.body.response_type).toBe('in_channel');
    expect(JSON.stringify(onDemand.body.blocks)).toContain('Digest since the last one: no new stories');
    const before = slackFake.of('chat.postMessage').length;
    // Wednesday 08:00: nothing new came in, and empty digests are posted (postWhenEmpty defaults to true).
    await runUntil(clock, '2025-05-07T07:30:00Z', scheduler);
    const after = slackFake.of('chat.postMessage');
    expect(after).toHaveLength(before + 1);
    expect(JSON.stringify(after.at(-1)!.body.blocks)).toContain('Nothing new came in between Tue 6 May, 08:00 – Wed 7 May, 08:00 (Europe/London).');
    expect((await digests.store.outbox()).map((r) => [r.platform, r.slot, r.status])).toEqual([
      ['slack', '2025-05-06', 'posted'],
      ['discord', '2025-05-06', 'posted'],
      ['slack', '2025-05-07', 'posted'],
      ['discord', '2025-05-07', 'posted'],
    ]);
  });

  it('a Discord channel that is gone fails for good (logged, not retried) while a Slack channel at the same time posts', async () => {
    await digests.store.syncConfig(
      [
        { platform: 'discord', channelId: GONE_CHANNEL, spec: { days: 'daily', time: '12:00', timeZone: 'Europe/London' } },
        { platform: 'slack', channelId: 'C0SPORTS', spec: { days: 'daily', time: '12:00', timeZone: 'Europe/London' } },
      ],
      clock.now(),
    );
    scheduler.wake();
    await runUntil(clock, '2025-05-07T13:00:00Z', scheduler);
    expect(slackFake.of('chat.postMessage').filter((p) => p.body.channel === 'C0SPORTS')).toHaveLength(1);
    const gone = (await digests.store.outbox()).filter((r) => r.channelId === GONE_CHANNEL);
    expect(gone).toMatchObject([{ status: 'failed', attempts: 1 }]);
    expect(gone[0]!.lastError).toContain('Unknown Channel');
    expect(discordFake.requests.filter((r) => r.path === `/channels/${GONE_CHANNEL}/messages`)).toHaveLength(1);
  });
});
