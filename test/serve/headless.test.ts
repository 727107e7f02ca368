/**
 * The headless serve mode end to end (issue 14, item 2): `npm start -- --serve` with no chat
 * token runs the whole service: the feed served on 127.0.0.1 is polled, the story folder
 * watched, the digest scheduler started with the terminal as its sink, /readyz answers, and the
 * terminal answers commands on stdin. A feed item added while the service runs is answerable
 * within two poll intervals, counted in polls (feed requests), not in wall-clock time. A closed
 * stdin keeps the service running; SIGTERM stops it with exit code 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../ingest/server.js';
import { cleanEnv, freePort, ROOT } from '../support/bot-process.js';

let server: TestServer;
let dir: string;
let child: ChildProcess | undefined;
let feedRequests = 0;
const items: string[] = [];

/** An RSS item written for this test. */
function item(slug: string, title: string, body: string, date: string): string {
  return `<item><title>${title}</title><link>https://valley.example/${slug}</link><guid>${slug}</guid><pubDate>${date}</pubDate><description><![CDATA[${body}]]></description></item>`;
}

const feed = () =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Valley wire</title><link>http://127.0.0.1/</link><description>test</description>${items.join('')}</channel></rss>`;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-'));
  server = await startServer();
  items.push(
    item(
      'reservoir',
      'Reservoir levels recover after wet spring',
      '<p>ASHFORD VALE — The Ashford Vale reservoir is 92 percent full after the wettest spring in a decade, the water authority said on Monday.</p>',
      new Date(Date.now() - 3600_000).toUTCString(),
    ),
  );
  server.route('/feed.xml', (_req, res) => {
    feedRequests++;
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(feed());
  });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Waits until `pred` holds, checking every 100 ms, for at most `ms`; returns whether it held. */
async function until(pred: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await pred()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pred();
}

it('polls the feed, watches the folder, answers in the terminal; a new feed item is answerable within two poll intervals', async () => {
  const stories = path.join(dir, 'stories');
  fs.mkdirSync(stories);
  fs.writeFileSync(path.join(stories, 'market.txt'), 'Market hall roof repaired\n\nKELBROOK — The roof of the Kelbrook market hall has been repaired after storm damage, the council said on Friday.\n');
  const config = path.join(dir, 'newsroom.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      examples: { ingestOnStart: false },
      sources: { folders: [stories], watchIntervalSeconds: 0.5, feeds: [{ url: `${server.url}/feed.xml`, intervalSeconds: 2, fullText: 'never' }], parseWorkers: 0 },
      fetch: { allow: ['127.0.0.1'] },
      digests: { schedules: [{ platform: 'terminal', channel: 'desk', days: 'daily', time: '06:00', timeZone: 'UTC' }] },
    }),
  );
  const healthPort = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--serve'], {
    cwd: ROOT,
    env: cleanEnv({ NEWSROOM_CONFIG: config, DATABASE_PATH: path.join(dir, 'index.db'), HEALTH_PORT: String(healthPort), LOG_LEVEL: 'info' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ask = (line: string) => child!.stdin!.write(`${line}\n`);

  const ready = await until(() => fetch(`http://127.0.0.1:${healthPort}/readyz`).then((r) => r.status === 200, () => false), 60_000);
  expect(ready, `not ready; stderr:\n${stderr}`).toBe(true);
  expect(stderr).toContain('serving without a chat platform (--serve)');
  expect(stderr).toMatch(/"platforms":\["terminal"\].*digest scheduler started|digest scheduler started/);
  // The feed was polled and its first item stored; the folder was read at start-up.
  expect(await until(() => feedRequests >= 1, 20_000)).toBe(true);
  ask('/summary reservoir');
  expect(await until(() => stdout.includes('Reservoir levels recover after wet spring'), 20_000), `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(true);
  ask('/summary market hall roof');
  expect(await until(() => stdout.includes('Market hall roof repaired'), 20_000)).toBe(true);

  // A new item appears in the feed while the service runs.
  items.unshift(
    item(
      'lighthouse',
      'Lighthouse keeper cottage opens as a museum',
      '<p>CARRICK POINT — The lighthouse keeper’s cottage at Carrick Point opened as a museum on Saturday, run by volunteers from the village.</p>',
      new Date().toUTCString(),
    ),
  );
  const atChange = feedRequests;
  // Two poll intervals: the service has fetched the feed twice more.
  expect(await until(() => feedRequests >= atChange + 2, 30_000)).toBe(true);
  const pollsWhenAsked = feedRequests - atChange;
  ask('/summary lighthouse museum');
  expect(await until(() => stdout.includes('Lighthouse keeper cottage opens as a museum'), 20_000), `stdout:\n${stdout}`).toBe(true);
  expect(pollsWhenAsked).toBeLessThanOrEqual(3);

  // A file dropped into the watched folder becomes answerable too.
  fs.writeFileSync(path.join(stories, 'ferry.txt'), 'Night ferry returns for the summer\n\nDUNMARROW — The night ferry to the islands returns on Friday for the summer season, its operator said.\n');
  await until(async () => {
    ask('/summary night ferry');
    return until(() => stdout.includes('Night ferry returns for the summer'), 1500);
  }, 30_000);
  expect(stdout).toContain('Night ferry returns for the summer');

  // End of input is not the end of the service: still ready, still polling.
  child.stdin!.end();
  const before = feedRequests;
  expect(await until(() => feedRequests >= before + 1, 20_000)).toBe(true);
  expect((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status).toBe(200);
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).not.toMatch(/"level":(50|60)/);
}, 180_000);
