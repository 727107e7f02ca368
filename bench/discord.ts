/**
 * Discord benchmark. Targets (Discord allows 3 s for any first response):
 * - autocomplete round trip (INTERACTION_CREATE sent by the fake gateway → callback received by
 *   the fake REST server, through the real discord.js client and the real core over a real index
 *   of `stories` generated stories): p95 under 250 ms;
 * - `/quotes` round trip (same path, reply rendered as embeds): p95 under 500 ms;
 * - rendering the longest possible reply: under 50 ms.
 *
 * Run standalone: `npx tsx bench/discord.ts [STORIES]`; a `bench/run.ts` can call `benchDiscord()`.
 * Everything stays on 127.0.0.1; every loop is bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { startDiscord } from '../src/adapters/discord/start.js';
import { createCore } from '../src/core/index.js';
import type { Block, Reply } from '../src/core/types.js';
import { SqliteIndex } from '../src/index/sqlite.js';
import { parseArticle } from '../src/parse/index.js';
import { renderDiscord } from '../src/render/discord.js';
import { FAKE_TOKEN, FakeDiscord, autocomplete, slashCommand } from '../test/discord/fake-discord.js';

/** Figures of one run; times in milliseconds. */
export interface DiscordBenchResult {
  name: 'discord';
  stories: number;
  autocomplete: { runs: number; p50: number; p95: number; max: number };
  quotes: { runs: number; p50: number; p95: number; max: number };
  longestRenderMs: number;
  targetsMet: boolean;
}

const FIRST = ['Maria', 'Olena', 'James', 'Amina', 'Kofi', 'Lena', 'Tomas', 'Yuki', 'Rahul', 'Sofia'];
const LAST = ['Zakharova', 'Kovalenko', 'Whitfield', 'Diallo', 'Mensah', 'Berger', 'Novak', 'Tanaka', 'Mehta', 'Rossi'];
const ROLES = ['foreign minister', 'spokeswoman for the ministry', 'central bank governor', 'union leader', 'mayor'];

/** A short invented story quoting one of 100 speakers. */
function story(i: number): { text: string; title: string; publishedAt: string } {
  const name = `${FIRST[i % 10]} ${LAST[Math.floor(i / 10) % 10]}`;
  const title = `Talks on the ${i}th budget round stall as deadline nears`;
  const text = [
    title,
    '',
    `BRUSSELS (Newswire) — Negotiators failed on Tuesday to agree round ${i} of the budget, with ${i + 3} items still open.`,
    '',
    `"We are closer than the headlines suggest, but not close enough," said ${name}, the ${ROLES[i % ROLES.length]}.`,
    '',
    `${name.split(' ')[1]} said a new draft would follow within ${(i % 6) + 2} days.`,
  ].join('\n');
  return { text, title, publishedAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString() };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function summary(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { runs: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), max: r(s.at(-1) ?? 0) };
}

/**
 * Runs the benchmark in a temporary folder, removed afterwards.
 * @param stories generated stories in the index (default 2,000)
 * @param runs interactions of each kind (default 200)
 */
export async function benchDiscord(stories = 2000, runs = 200): Promise<DiscordBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-discord-'));
  const index = SqliteIndex.open(path.join(dir, 'index.db'));
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: 41_250 });
  try {
    for (let i = 0; i < stories; i += 1) {
      const s = story(i);
      await index.upsert({ ...s, source: 'bench', guid: `bench:${i}` }, parseArticle(s.text));
    }
    const core = createCore({ index });
    const running = await startDiscord(
      core,
      { DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DISCORD_APPLICATION_ID: undefined, DISCORD_GUILD_ID: undefined, DISCORD_SHARDS: undefined },
      {},
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const roundTrip = async (payload: ReturnType<typeof slashCommand>) => {
        const t0 = performance.now();
        fake.interact(payload);
        await fake.waitForRequest((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`, 'callback', 10_000);
        return performance.now() - t0;
      };
      const auto: number[] = [];
      const quotes: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const prefix = `${FIRST[i % 10]!.slice(0, 1 + (i % 3))}`;
        auto.push(await roundTrip(autocomplete(i % 2 ? 'who' : 'quotes', i % 2 ? 'name' : 'speaker', prefix)));
        quotes.push(await roundTrip(slashCommand('quotes', { speaker: LAST[i % 10]! })));
        fake.requests.length = 0; // keep the fake's lookups O(1) per run
      }
      const longest = longestReply();
      const t0 = performance.now();
      renderDiscord(longest, { request: { command: 'search', args: 'x', page: 1 } });
      const longestRenderMs = Math.round((performance.now() - t0) * 10) / 10;
      const a = summary(auto);
      const q = summary(quotes);
      return {
        name: 'discord',
        stories,
        autocomplete: a,
        quotes: q,
        longestRenderMs,
        targetsMet: a.p95 < 250 && q.p95 < 500 && longestRenderMs < 50,
      };
    } finally {
      await running.stop();
    }
  } finally {
    await fake.close();
    await index.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A reply far over every Discord limit: 300 long quotes, 500 list items, 200 fields. */
function longestReply(): Reply {
  const long = (n: number) => 'word **bold** @everyone 📰 '.repeat(Math.ceil(n / 26)).slice(0, n);
  const citation = { storyId: 's', title: long(3000), date: '2024-03-14T09:30:00Z', url: 'https://news.example.org/x' };
  const blocks: Block[] = [{ type: 'heading', text: long(10_000) }];
  for (let i = 0; i < 300; i += 1) {
    blocks.push({ type: 'quote', text: long(5000), speaker: long(500), kind: 'direct', context: long(5000), cue: 'said', citation });
  }
  blocks.push({ type: 'list', items: Array.from({ length: 500 }, () => long(3000)) });
  blocks.push({ type: 'fields', fields: Array.from({ length: 200 }, () => ({ label: long(2000), value: long(5000) })) });
  return { status: 'answer', title: long(100_000), blocks, visibility: 'channel' };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 2000);
  benchDiscord(Number.isFinite(n) && n > 0 ? Math.min(n, 100_000) : 2000).then(
    (r) => {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      process.exitCode = r.targetsMet ? 0 : 1;
    },
    (err: unknown) => {
      process.stderr.write(`bench discord: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
