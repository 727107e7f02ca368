/**
 * `npm start` with SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET set: src/main.ts (a child process
 * under tsx) ingests the example stories into a fresh index, reads the config file's `slack`
 * section, starts the Slack adapter in HTTP mode against the fake Slack (SLACK_API_URL),
 * answers a signed slash command, and shuts down cleanly on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeSlack, sendToApp, slashCommandBody } from './fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from './harness.js';
import { freePort, spawnBot } from '../support/bot-process.js';

let fake: FakeSlack;
let child: ChildProcess | undefined;
let stderr = '';

/** A port that was free a moment ago on 127.0.0.1. */
beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake?.stop();
});

it('starts the Slack adapter from the environment and config file, answers, and stops on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-main-'));
  const configFile = path.join(dir, 'newsroom.json');
  fs.writeFileSync(configFile, JSON.stringify({ slack: { commandPrefix: 'news-', answersInChannel: true } }));
  const port = await freePort();
  child = spawnBot({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_PORT: String(port),
    NEWSROOM_CONFIG: configFile,
    DATABASE_PATH: path.join(dir, 'index.db'),
    LOG_LEVEL: 'warn',
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const appUrl = `http://127.0.0.1:${port}/slack/events`;
  let up = false;
  for (const end = Date.now() + 30_000; !up && Date.now() < end && child.exitCode === null; ) {
    up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  expect(up, `the adapter did not come up; stderr: ${stderr}`).toBe(true);

  const sent = await sendToApp(appUrl, slashCommandBody({ command: '/news-quotes', text: 'zakharova', responseUrl: fake.responseUrl('main1') }), 'application/x-www-form-urlencoded', SIGNING_SECRET);
  expect(sent.status).toBe(200);
  expect(await fake.waitFor(() => fake.of('response', 'main1').length === 1, 10_000)).toBe(true);
  const reply = fake.of('response', 'main1')[0]!;
  expect(reply.body.response_type).toBe('in_channel');
  expect(JSON.stringify(reply.body.blocks)).toContain('Zakharova');

  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(stderr).not.toMatch(/"level":(50|60)/);
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);
