/**
 * Speaker and topic together, on the example stories (examples/articles), through the real Bolt
 * app against the fake Slack: `/quotes zakharova about nato` and the plain question "what did
 * zakharova say about nato" in an app mention answer the same (the mention adds one line saying
 * how the question was read); her words about NATO come first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSlack } from '../../src/adapters/slack/start.js';
import type { ArticleIndex, ArticleInput } from '../../src/index/types.js';
import { ROOT } from '../support/bot-process.js';
import { appMentionBody, BOT_USER_ID, FakeSlack, sendToApp, slashCommandBody } from './fake-slack.js';
import { buildCore, buildIndex, SIGNING_SECRET, startAgainstFake } from './harness.js';

const EXAMPLES = path.join(ROOT, 'examples/articles');

describe('what did zakharova say about nato', () => {
  let fake: FakeSlack;
  let slack: RunningSlack;
  let appUrl: string;
  let index: ArticleIndex;
  let dir: string;

  beforeAll(async () => {
    fake = new FakeSlack();
    await fake.start();
    const stories: ArticleInput[] = fs
      .readdirSync(EXAMPLES)
      .sort()
      .map((f) => ({ text: fs.readFileSync(path.join(EXAMPLES, f), 'utf8'), guid: `example:${f}`, source: 'example' }));
    ({ index, dir } = await buildIndex(stories));
    ({ slack, appUrl } = await startAgainstFake(buildCore(index), fake));
  });
  afterAll(async () => {
    await slack?.stop();
    await fake?.stop();
    await index?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the slash command and the question in a mention the same', async () => {
    const slash = slashCommandBody({ command: '/quotes', text: 'zakharova about nato', responseUrl: fake.responseUrl('q1') });
    expect((await sendToApp(appUrl, slash, 'application/x-www-form-urlencoded', SIGNING_SECRET)).status).toBe(200);
    const mention = appMentionBody({ eventId: 'Ev0NATO', text: `<@${BOT_USER_ID}> what did zakharova say about nato?`, ts: '1700000100.000100' });
    expect((await sendToApp(appUrl, mention, 'application/json', SIGNING_SECRET)).status).toBe(200);
    expect(await fake.waitFor(() => fake.of('response', 'q1').length > 0 && fake.of('chat.postMessage').length > 0)).toBe(true);

    const bySlash = fake.of('response', 'q1')[0]!.body;
    const byMention = fake.of('chat.postMessage')[0]!.body;
    expect(byMention.thread_ts).toBe('1700000100.000100');
    type SlackBlock = { type: string; elements?: { text?: string }[] };
    const blocks = byMention.blocks as SlackBlock[];
    // The mention's answer: a header, then the line saying how it was read, then the very blocks of /quotes.
    expect(blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Read as: /quotes zakharova about nato', verbatim: true }] });
    expect([blocks[0], ...blocks.slice(2)]).toEqual(bySlash.blocks);
    expect(byMention.text).toBe(bySlash.text);
    expect(bySlash.text).toBe('Quotes from Maria Zakharova about “nato”');
    // Her words that name NATO come before those that only stand in a story about it.
    const json = JSON.stringify(bySlash.blocks);
    expect(json.indexOf('NATO is rehearsing a blockade of Kaliningrad')).toBeGreaterThan(0);
    expect(json.indexOf('NATO is rehearsing a blockade of Kaliningrad')).toBeLessThan(json.indexOf('These troops will be regarded by us'));
  });
});
