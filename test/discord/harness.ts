/**
 * Test harness: a real SQLite index in a temporary folder filled by the real parser with the
 * stories in `stories.ts`, the real bot core over it, and the Discord adapter started with
 * `startDiscord` (the real discord.js client) against the fake Discord in `fake-discord.ts`.
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
import { startDiscord, type DiscordRuntime, type RunningDiscord } from '../../src/adapters/discord/start.js';
import { FAKE_TOKEN, type FakeDiscord } from './fake-discord.js';

/** A real index with `stories` in it, in its own temporary directory. */
export async function buildIndex(stories: ArticleInput[]): Promise<{ index: ArticleIndex; dir: string; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'discord-test-'));
  const file = path.join(dir, 'index.db');
  const index = SqliteIndex.open(file);
  for (const story of stories) await index.upsert(story, parseArticle(story.text));
  return { index, dir, file };
}

/** The real core over `index`. */
export function buildCore(index: ArticleIndex): BotCore {
  return createCore({ index });
}

/** Wraps the real core so a test can make it slow, and records what it was asked. */
export class SlowCore implements BotCore {
  delayMs = 0;
  suggestDelayMs = 0;
  readonly requests: CommandRequest[] = [];
  constructor(private readonly inner: BotCore) {}
  async handle(request: CommandRequest): Promise<Reply> {
    this.requests.push(request);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return this.inner.handle(request);
  }
  async suggest(kind: 'speaker' | 'entity', prefix: string, limit: number): Promise<string[]> {
    if (this.suggestDelayMs > 0) await new Promise((r) => setTimeout(r, this.suggestDelayMs));
    return this.inner.suggest(kind, prefix, limit);
  }
}

export const quietLogger = pino({ level: 'silent' });

/** Starts the adapter over `core` against `fake` and waits for READY. */
export function startAgainstFake(core: BotCore, fake: FakeDiscord, runtime: DiscordRuntime = {}): Promise<RunningDiscord> {
  return startDiscord(
    core,
    { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: undefined, DISCORD_GUILD_ID: undefined, DISCORD_SHARDS: undefined },
    {},
    { logger: quietLogger, ...runtime },
  );
}
