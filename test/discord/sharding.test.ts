/**
 * Sharded serve mode: `startDiscord` with DISCORD_SHARDS=auto asks the fake's `GET /gateway/bot`
 * for the shard count, then discord.js's ShardingManager spawns one child process per shard
 * (`src/adapters/discord/shard.ts` under tsx). Each child loads the configuration, opens the real
 * index file and runs its own core and client; the fake gateway sees one IDENTIFY per shard and
 * an interaction sent on either shard's connection is answered.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDiscord, type RunningDiscord } from '../../src/adapters/discord/start.js';
import { FAKE_TOKEN, FakeDiscord, slashCommand } from './fake-discord.js';
import { buildCore, buildIndex, quietLogger } from './harness.js';
import { DISCORD_TEST_STORIES } from './stories.js';

let fake: FakeDiscord;
let running: RunningDiscord | undefined;

beforeAll(async () => {
  fake = await FakeDiscord.start({ recommendedShards: 2 });
  const { index, file } = await buildIndex(DISCORD_TEST_STORIES);
  running = await startDiscord(
    buildCore(index),
    { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_SHARDS: 'auto', DISCORD_APPLICATION_ID: undefined, DISCORD_GUILD_ID: undefined },
    {},
    {
      logger: quietLogger,
      shardEnv: { DATABASE_PATH: file, DISCORD_API_URL: fake.apiUrl, LOG_LEVEL: 'silent' },
      shardSpawnDelayMs: 0,
      shardReadyTimeoutMs: 60_000,
    },
  );
}, 120_000);

afterAll(async () => {
  await running?.stop();
  await fake?.close();
});

it('runs one process per recommended shard, each answering on its own connection', async () => {
  expect(running!.mode).toBe('sharded');
  if (running!.mode !== 'sharded') return;
  expect(running!.totalShards).toBe(2);
  expect(running!.manager.shards.size).toBe(2);
  const pids = [...running!.manager.shards.values()].map((s) => (s.process as { pid?: number } | null)?.pid);
  expect(new Set(pids).size).toBe(2);
  expect(pids).not.toContain(process.pid);
  await fake.waitForReady(2);
  expect(fake.identifies.map((i) => i.shard).sort()).toEqual([
    [0, 2],
    [1, 2],
  ]);
  for (const shard of [0, 1]) {
    const p = fake.interact(slashCommand('quotes', { speaker: 'zakharova' }), shard);
    const cb = await fake.waitForRequest((r) => r.path === `/interactions/${p.id}/${p.token}/callback`, `shard ${shard}'s answer`, 15_000);
    expect(cb.body.type).toBe(4);
    expect(cb.body.data.embeds[0].title).toContain('Maria Zakharova');
    expect(cb.body.data.allowed_mentions.parse).toEqual([]);
  }
}, 60_000);
