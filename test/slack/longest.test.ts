/**
 * The longest answer the bot can give on Slack: /quotes for a speaker with 200 quotes, from
 * the real core over a real index, followed "More" click by "More" click through the real
 * Bolt app. Every message that reaches the fake response_url must keep every Slack limit,
 * and together they must show each of the 200 quotes exactly once.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleIndex } from '../../src/index/types.js';
import {
  SLACK_MAX_BLOCKS,
  SLACK_MAX_HEADER_TEXT,
  SLACK_MAX_SECTION_TEXT,
  SLACK_MESSAGE_CHAR_BUDGET,
  SLACK_MORE_ACTION_ID,
  liveMentions,
  slackLimitViolations,
  type SlackBlock,
} from '../../src/render/slack.js';
import type { RunningSlack } from '../../src/adapters/slack/start.js';
import { FakeSlack, buttonClickBody, sendToApp, slashCommandBody } from './fake-slack.js';
import { SIGNING_SECRET, buildCore, buildIndex, startAgainstFake } from './harness.js';
import { markovaStories } from './stories.js';

const FORM = 'application/x-www-form-urlencoded' as const;
/** Upper bound on "More" clicks, so a paging bug cannot loop forever. */
const MAX_CLICKS = 300;

let fake: FakeSlack;
let index: ArticleIndex;
let dir: string;
let slack: RunningSlack;
let appUrl: string;

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
  ({ index, dir } = await buildIndex(markovaStories(20, 10)));
  ({ slack, appUrl } = await startAgainstFake(buildCore(index), fake));
}, 60_000);

afterAll(async () => {
  await slack?.stop();
  await fake?.stop();
  await index?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a speaker with 200 quotes', () => {
  it('pages through all 200 quotes, every message within every limit', async () => {
    const seen: number[] = [];
    let responseId = 'long-0';
    await sendToApp(appUrl, slashCommandBody({ command: '/quotes', text: 'markova', responseUrl: fake.responseUrl(responseId) }), FORM, SIGNING_SECRET);
    let clicks = 0;
    let largest = 0;
    for (;;) {
      expect(await fake.waitFor(() => fake.of('response', responseId).length === 1, 10_000)).toBe(true);
      const body = fake.of('response', responseId)[0]!.body;
      const blocks = body.blocks as SlackBlock[];
      const message = { text: String(body.text), blocks };
      expect(slackLimitViolations(message)).toEqual([]);
      expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
      expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(SLACK_MESSAGE_CHAR_BUDGET);
      for (const b of blocks) {
        if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_MAX_HEADER_TEXT);
        if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_MAX_SECTION_TEXT);
      }
      expect(liveMentions(message, markovaStories(20, 10).map((s) => s.url!))).toEqual([]);
      largest = Math.max(largest, JSON.stringify(blocks).length);
      for (const m of JSON.stringify(blocks).matchAll(/Line number (\d+) will run/g)) seen.push(Number(m[1]));

      const actions = blocks.find((b) => b.type === 'actions');
      const button = actions?.type === 'actions' ? actions.elements[0] : undefined;
      if (!button || button.type !== 'button' || !button.value) break;
      clicks++;
      expect(clicks).toBeLessThanOrEqual(MAX_CLICKS);
      responseId = `long-${clicks}`;
      const click = await sendToApp(
        appUrl,
        buttonClickBody({ actionId: SLACK_MORE_ACTION_ID, value: button.value, responseUrl: fake.responseUrl(responseId) }),
        FORM,
        SIGNING_SECRET,
      );
      expect(click.status).toBe(200);
    }
    // Each quote once, none missing (a quote may appear in one message only).
    expect(new Set(seen).size).toBe(200);
    expect(seen).toHaveLength(200);
    expect(clicks).toBeGreaterThan(0);
    expect(largest).toBeGreaterThan(500);
  }, 120_000);
});
