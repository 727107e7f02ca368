/**
 * Load benchmark (issue 7): the Slack HTTP receiver (Bolt, signature verification on) takes
 * signed slash commands at a steady rate from a loopback client while a backfill ingest of a
 * few thousand generated stories runs in the same process. Reports acknowledgement latency
 * (request sent → HTTP 200 from the receiver) and reply latency (request sent → the reply's
 * POST arriving at the fake Slack's response_url), p50/p99/max, and the ingest rate under load.
 *
 * Bounded: at most `commands` requests at `ratePerSecond`, and never longer than `maxSeconds`.
 * Loopback only (fake Slack and receiver on 127.0.0.1). Run alone: `npx tsx bench/load.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { startSlack } from '../src/adapters/slack/start.js';
import { createCore } from '../src/core/index.js';
import { SqliteIndex } from '../src/index/sqlite.js';
import { FolderSource } from '../src/ingest/folder.js';
import { runIngest } from '../src/ingest/runner.js';
import { storeInIndex } from '../src/ingest/store.js';
import { FakeSlack, sendToApp, slashCommandBody } from '../test/slack/fake-slack.js';
import { writeSyntheticFolder } from './ingest-corpus.js';

const SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';
const BOT_TOKEN = 'xoxb-0000000000-bench-bot-token';

/** Latency percentiles in milliseconds. */
export interface Percentiles {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** What one load run measured. */
export interface LoadResult {
  stories: number;
  /** Commands sent while the backfill was running, and all commands sent. */
  duringIngest: number;
  sent: number;
  ack: Percentiles;
  /** Acknowledgements of commands sent while the backfill ran. */
  ackDuringIngest: Percentiles;
  reply: Percentiles;
  /** Non-200 acknowledgements or replies that never arrived. */
  failures: number;
  ingestSeconds: number;
  ingestPerSecond: number;
  ratePerSecond: number;
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number): number => (s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN);
  return { n: s.length, p50: at(50), p99: at(99), max: s.at(-1) ?? NaN };
}

/**
 * Runs the load benchmark.
 * @param stories generated stories in the backfill
 * @param commands most slash commands sent
 * @param ratePerSecond steady send rate
 * @param maxSeconds hard bound on the sending phase
 */
export async function benchLoad(stories = 3000, commands = 600, ratePerSecond = 20, maxSeconds = 60): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  const fake = new FakeSlack();
  await fake.start();
  const index = SqliteIndex.open(path.join(dir, 'index.db'));
  const slack = await startSlack(
    createCore({ index }),
    { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_PORT: 3000 },
    {},
    { host: '127.0.0.1', port: 0, logger: pino({ level: 'silent' }), apiRetries: 0 },
  );
  const appUrl = `http://127.0.0.1:${slack.port}/slack/events`;
  try {
    const folder = path.join(dir, 'backfill');
    writeSyntheticFolder(folder, stories);
    const ingestStart = performance.now();
    let ingestEnd = 0;
    const backfill = runIngest(new FolderSource(folder), storeInIndex(index), { progress: false }).then((s) => {
      ingestEnd = performance.now();
      return s;
    });

    const texts = ['/search harbour', '/search council budget', '/quotes', '/summary', '/who minister', '/help'];
    const acks: number[] = [];
    const acksDuring: number[] = [];
    const sentAt = new Map<string, number>();
    const inflight: Promise<void>[] = [];
    let failures = 0;
    const started = performance.now();
    let sent = 0;
    let during = 0;
    for (; sent < commands && performance.now() - started < maxSeconds * 1000; sent++) {
      // Steady rate: command k goes at k / rate seconds after the start.
      const due = started + (sent * 1000) / ratePerSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const [command, ...rest] = texts[sent % texts.length]!.split(' ');
      const id = `load${sent}`;
      const whileIngesting = ingestEnd === 0;
      if (whileIngesting) during++;
      sentAt.set(id, Date.now());
      inflight.push(
        sendToApp(appUrl, slashCommandBody({ command: command!, text: rest.join(' '), responseUrl: fake.responseUrl(id) }), 'application/x-www-form-urlencoded', SIGNING_SECRET).then(
          (r) => {
            if (r.status !== 200) failures++;
            acks.push(r.ms);
            if (whileIngesting) acksDuring.push(r.ms);
          },
          () => void failures++,
        ),
      );
      // Past the backfill and with enough samples after it, stop early.
      if (ingestEnd !== 0 && sent >= Math.min(commands - 1, during + 20)) {
        sent++;
        break;
      }
    }
    await Promise.all(inflight);
    const summary = await backfill;
    await fake.waitFor(() => fake.of('response').length >= sent - failures, 15_000);
    const replies = fake.of('response').map((c) => c.at - (sentAt.get(c.responseId!) ?? c.at));
    failures += Math.max(0, sent - failures - replies.length);
    const ingestSeconds = ((ingestEnd || performance.now()) - ingestStart) / 1000;
    return {
      stories: summary.total,
      duringIngest: during,
      sent,
      ack: percentiles(acks),
      ackDuringIngest: percentiles(acksDuring),
      reply: percentiles(replies),
      failures,
      ingestSeconds,
      ingestPerSecond: summary.total / ingestSeconds,
      ratePerSecond,
    };
  } finally {
    await slack.stop();
    await fake.stop();
    await index.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per figure, as `npm run bench` prints them. */
export function formatLoad(r: LoadResult): string {
  const p = (x: Percentiles) => `p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms, max ${x.max.toFixed(1)} ms (n=${x.n})`;
  return [
    `load: ${r.sent} signed slash commands at ${r.ratePerSecond}/s, ${r.duringIngest} of them during a backfill of ${r.stories} stories (${r.ingestSeconds.toFixed(1)} s, ${r.ingestPerSecond.toFixed(0)} stories/s under load); ${r.failures} failed`,
    `load: ack during backfill: ${p(r.ackDuringIngest)}`,
    `load: ack overall: ${p(r.ack)}`,
    `load: reply (response_url) overall: ${p(r.reply)}`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.env.BENCH_QUICK === '1';
  benchLoad(quick ? 1000 : 3000, quick ? 200 : 600).then(
    (r) => {
      console.log(formatLoad(r));
      process.exit(0);
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
