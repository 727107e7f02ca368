/**
 * Socket Mode: the real Bolt app opens its WebSocket through the fake's
 * `apps.connections.open` (SLACK_API_URL) to a fake Socket Mode server on 127.0.0.1,
 * acknowledges envelopes over the socket and answers as in HTTP mode.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/index/types.js';
import type { RunningSlack } from '../../src/adapters/slack/start.js';
import { BOT_USER_ID, FakeSlack, TEAM_ID } from './fake-slack.js';
import { buildCore, buildIndex, startAgainstFake } from './harness.js';
import { GRAIN_STORY } from './stories.js';

let fake: FakeSlack;
let index: ArticleIndex;
let dir: string;
let slack: RunningSlack;

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
  ({ index, dir } = await buildIndex([GRAIN_STORY]));
  ({ slack } = await startAgainstFake(buildCore(index), fake, {}, { socket: true }));
  await fake.waitFor(() => fake.sockets.length === 1);
});

afterAll(async () => {
  await slack?.stop();
  await fake?.stop();
  await index?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('Socket Mode', () => {
  it('connects through apps.connections.open with the app token', () => {
    expect(slack.mode).toBe('socket');
    expect(fake.of('apps.connections.open')).toHaveLength(1);
    expect(fake.sockets).toHaveLength(1);
  });

  it('acks a slash command envelope over the socket and answers through response_url', async () => {
    const started = Date.now();
    fake.sendEnvelope({
      envelope_id: 'env-slash-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy',
        team_id: TEAM_ID,
        channel_id: 'C0DESK',
        user_id: 'U0EDITOR',
        command: '/quotes',
        text: 'zakharova',
        api_app_id: 'A0NEWSBOT',
        response_url: fake.responseUrl('sock1'),
        trigger_id: '1.2.3',
      },
    });
    expect(await fake.waitFor(() => fake.socketMessages.some((m) => m.envelope_id === 'env-slash-1'))).toBe(true);
    const ackAt = Date.now();
    expect(ackAt - started).toBeLessThan(3000);
    expect(await fake.waitFor(() => fake.of('response', 'sock1').length === 1)).toBe(true);
    expect(JSON.stringify(fake.of('response', 'sock1')[0]!.body)).toContain('There have been no such talks');
  });

  it('answers an app mention envelope once, even when Slack retries it', async () => {
    const envelope = (id: string, retry: number) => ({
      envelope_id: id,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: retry,
      retry_reason: retry ? 'timeout' : '',
      payload: {
        team_id: TEAM_ID,
        api_app_id: 'A0NEWSBOT',
        type: 'event_callback',
        event_id: 'EvSock1',
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'app_mention', user: 'U0EDITOR', text: `<@${BOT_USER_ID}> who france`, ts: '1700009999.000100', channel: 'C0DESK', event_ts: '1700009999.000100' },
      },
    });
    fake.sendEnvelope(envelope('env-ev-1', 0));
    fake.sendEnvelope(envelope('env-ev-2', 1));
    await fake.waitFor(() => fake.of('chat.postMessage').length > 0);
    await new Promise((r) => setTimeout(r, 700));
    expect(fake.socketMessages.filter((m) => String(m.envelope_id).startsWith('env-ev-'))).toHaveLength(2);
    const posts = fake.of('chat.postMessage').filter((c) => c.body.thread_ts === '1700009999.000100');
    expect(posts).toHaveLength(1);
  });
});
