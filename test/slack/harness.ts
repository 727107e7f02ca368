/**
 * Test harness: a real SQLite index in a temporary folder, filled by the real parser with
 * the stories in `stories.ts`, the real bot core over it, and the Slack adapter started with
 * `startSlack` in HTTP mode on 127.0.0.1 against the fake Slack in `fake-slack.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createCore } from '../../src/core/index.js';
import type { BotCore, CommandRequest, Reply } from '../../src/core/types.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import type { ArticleIndex, ArticleInput } from '../../src/index/types.js';
import { parseArticle } from '../../src/parse/index.js';
import { startSlack, type RunningSlack, type SlackSettings } from '../../src/adapters/slack/start.js';
import { FakeSlack } from './fake-slack.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-0000000000-test-bot-token';
export const APP_TOKEN = 'xapp-1-A0NEWSBOT-test-app-token';

/** A real index with `stories` in it, in its own temporary directory. */
export async function buildIndex(stories: ArticleInput[]): Promise<{ index: ArticleIndex; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-test-'));
  const index = SqliteIndex.open(path.join(dir, 'index.db'));
  for (const story of stories) await index.upsert(story, parseArticle(story.text));
  return { index, dir };
}

/** The real core over `index`. */
export function buildCore(index: ArticleIndex): BotCore {
  return createCore({ index });
}

/** Wraps a core so a test can make it slow (to show the ack never waits for it) and count calls. */
export class SlowCore implements BotCore {
  delayMs = 0;
  readonly requests: CommandRequest[] = [];
  constructor(private readonly inner: BotCore) {}
  async handle(request: CommandRequest): Promise<Reply> {
    this.requests.push(request);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return this.inner.handle(request);
  }
  suggest(kind: 'speaker' | 'entity', prefix: string, limit: number): Promise<string[]> {
    return this.inner.suggest(kind, prefix, limit);
  }
}

/** A silent logger for tests (Bolt's warnings about bad signatures are expected there). */
export const quietLogger = pino({ level: 'silent' });

/** Starts the adapter over `core` against `fake`, HTTP mode on 127.0.0.1 unless `socket` is set. */
export async function startAgainstFake(
  core: BotCore,
  fake: FakeSlack,
  settings: SlackSettings = {},
  opts: { socket?: boolean; apiRetries?: number } = {},
): Promise<{ slack: RunningSlack; appUrl: string }> {
  const slack = await startSlack(
    core,
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: opts.socket ? undefined : SIGNING_SECRET,
      SLACK_APP_TOKEN: opts.socket ? APP_TOKEN : undefined,
      SLACK_API_URL: fake.apiUrl,
      SLACK_PORT: 3000,
    },
    settings,
    { host: '127.0.0.1', port: 0, logger: quietLogger, apiRetries: opts.apiRetries ?? 2, apiRetryMinTimeoutMs: 50 },
  );
  return { slack, appUrl: `http://127.0.0.1:${slack.port ?? 0}/slack/events` };
}
