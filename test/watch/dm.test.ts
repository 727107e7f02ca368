/**
 * User watches delivered by direct message, end to end on each platform: a reporter (not an
 * admin) sets `/watch me solberg` through the real Bolt app (HTTP mode) or the real discord.js
 * client, against the fake Slack and fake Discord on 127.0.0.1; a story quoting her is stored;
 * the watch runner opens the DM (Slack `conversations.open`, Discord "Create DM") and posts the
 * alert there, once, with the quote and the headline, and nothing to the channel. In the terminal
 * the alert prints on the screen.
 */
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDiscord } from '../../src/adapters/discord/start.js';
import type { RunningSlack } from '../../src/adapters/slack/start.js';
import { createCore } from '../../src/core/index.js';
import type { ArticleIndex } from '../../src/index/types.js';
import { discordDigestSink } from '../../src/schedule/sinks/discord.js';
import { slackDigestSink } from '../../src/schedule/sinks/slack.js';
import { terminalDigestSink } from '../../src/schedule/sinks/terminal.js';
import { createWatches, WatchRunner, type Watches } from '../../src/watch/index.js';
import { FAKE_CHANNEL_ID, FakeDiscord, slashCommand } from '../discord/fake-discord.js';
import { startAgainstFake as startDiscord } from '../discord/harness.js';
import { FakeSlack, sendToApp, slashCommandBody } from '../slack/fake-slack.js';
import { buildIndex, SIGNING_SECRET, startAgainstFake as startSlack } from '../slack/harness.js';
import { acceptChannelMessages } from '../schedule/discord-channels.js';
import { ingest } from '../schedule/helpers.js';
import { followUp, INTRO_STORY } from './stories.js';

describe('a user watch on Slack', () => {
  let fake: FakeSlack;
  let slack: RunningSlack;
  let appUrl: string;
  let index: ArticleIndex;
  let dir: string;
  let watches: Watches;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    ({ index, dir } = await buildIndex([INTRO_STORY]));
    watches = createWatches(index);
    ({ slack, appUrl } = await startSlack(createCore({ index, watches: watches.service }), fake));
  });
  afterAll(async () => {
    await slack?.stop();
    await fake?.stop();
    await index?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('comes by direct message, once', async () => {
    const body = slashCommandBody({ command: '/watch', text: 'me solberg', responseUrl: fake.responseUrl('w1'), userId: 'U0REPORTER', channelId: 'C0DESK' });
    expect((await sendToApp(appUrl, body, 'application/x-www-form-urlencoded', SIGNING_SECRET)).status).toBe(200);
    expect(await fake.waitFor(() => fake.of('response', 'w1').length > 0)).toBe(true);
    const ack = fake.of('response', 'w1')[0]!.body;
    expect(ack.response_type).toBe('ephemeral');
    expect(JSON.stringify(ack.blocks)).toContain('Watching Ingrid Solberg');

    await new Promise((r) => setTimeout(r, 5));
    await ingest(index, [followUp(50)]);
    const runner = new WatchRunner({ store: watches.store, index, sinks: [slackDigestSink(slack.app.client)] });
    await runner.runPass();
    await runner.runPass();
    expect(fake.of('conversations.open').map((c) => c.body.users)).toEqual(['U0REPORTER']);
    const posts = fake.of('chat.postMessage');
    expect(posts.map((p) => p.body.channel)).toEqual(['D0REPORTER']);
    const blocks = JSON.stringify(posts[0]!.body.blocks);
    expect(blocks).toContain('The survey of berth 50 will be finished before the summer');
    expect(blocks).toContain('Halden harbour update number 50');
    expect(String(posts[0]!.body.text)).toBe('Ingrid Solberg: quoted in a new story');
  });
});

describe('a user watch on Discord', () => {
  let fake: FakeDiscord;
  let discord: RunningDiscord;
  let index: ArticleIndex;
  let dir: string;
  let watches: Watches;
  const REPORTER = '400000000000000777';

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    acceptChannelMessages(fake);
    ({ index, dir } = await buildIndex([INTRO_STORY]));
    watches = createWatches(index);
    discord = await startDiscord(createCore({ index, watches: watches.service }), fake);
  });
  afterAll(async () => {
    await discord?.stop();
    await fake?.close();
    await index?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('comes by direct message, once', async () => {
    const i = fake.interact(slashCommand('watch', { subject: 'me solberg' }, REPORTER));
    const answer = await fake.waitForRequest((r) => r.path === `/interactions/${i.id}/${i.token}/callback`, 'the /watch answer');
    expect(JSON.stringify(answer.body)).toContain('Watching Ingrid Solberg');
    expect(answer.body.data.flags & 64).toBe(64); // ephemeral

    await new Promise((r) => setTimeout(r, 5));
    await ingest(index, [followUp(51)]);
    if (discord.mode !== 'client') throw new Error('expected one client');
    const runner = new WatchRunner({ store: watches.store, index, sinks: [discordDigestSink(discord.adapter.client.rest)] });
    await runner.runPass();
    await runner.runPass();
    const dms = fake.requests.filter((r) => r.path === '/users/@me/channels');
    expect(dms.map((r) => r.body.recipient_id)).toEqual([REPORTER]);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'));
    expect(posts.map((r) => r.path)).toEqual([`/channels/9${REPORTER.slice(1)}/messages`]);
    expect(posts.some((r) => r.path.includes(FAKE_CHANNEL_ID))).toBe(false);
    const embeds = JSON.stringify(posts[0]!.body.embeds);
    expect(embeds).toContain('The survey of berth 51 will be finished before the summer');
    expect(embeds).toContain('Halden harbour update number 51');
    expect(posts[0]!.body.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('a watch in the terminal', () => {
  it('prints its alert between answers, once', async () => {
    const { index, dir } = await buildIndex([INTRO_STORY]);
    try {
      const watches = createWatches(index);
      const core = createCore({ index, watches: watches.service });
      const set = await core.handle({ command: 'watch', args: 'solberg', platform: 'terminal', userId: 'local' });
      expect(set.title).toBe('Watching Ingrid Solberg');
      let out = '';
      const screen = new PassThrough();
      screen.on('data', (d: Buffer) => (out += d.toString()));
      const runner = new WatchRunner({ store: watches.store, index, sinks: [terminalDigestSink(screen)] });
      await new Promise((r) => setTimeout(r, 5));
      await ingest(index, [followUp(52)]);
      await runner.runPass();
      await runner.runPass();
      expect(out.match(/── alert for you \(local\) ──/g)).toHaveLength(1);
      expect(out).toContain('Ingrid Solberg: quoted in a new story');
      expect(out).toContain('• “The survey of berth 52 will be finished before the summer”');
    } finally {
      await index.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
