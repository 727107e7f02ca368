/**
 * `npm start` with DISCORD_TOKEN set: src/main.ts (a child process under tsx) ingests the
 * example stories into a fresh index, starts the Discord adapter against the fake Discord
 * (DISCORD_API_URL), answers an interaction, and shuts down cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FAKE_TOKEN, FakeDiscord, slashCommand } from './fake-discord.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let fake: FakeDiscord;
let child: ChildProcess | undefined;
let stderr = '';

beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
});

it('starts the Discord adapter from the environment, answers, and stops on SIGTERM', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'discord-main-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DISCORD_|SLACK_|DATABASE_|NEWSROOM_)/.test(k)));
  child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...env, DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl, DATABASE_PATH: path.join(dir, 'index.db'), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  await fake.waitForReady(1, 30_000).catch((err: Error) => {
    throw new Error(`${err.message}\nstderr: ${stderr}`);
  });
  const p = fake.interact(slashCommand('help'));
  const cb = await fake.waitForRequest((r) => r.path === `/interactions/${p.id}/${p.token}/callback`, 'the /help answer');
  expect(cb.body.type).toBe(4);
  expect(cb.body.data.flags).toBe(64);
  expect(JSON.stringify(cb.body.data.embeds)).toContain('/quotes');
  expect(cb.body.data.allowed_mentions).toEqual({ parse: [], replied_user: false });

  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  // The client closed its gateway connection and never reconnected.
  await fake.waitFor(() => (fake.openSessions === 0 ? true : undefined), 'the gateway connection to close');
  expect(fake.identifies).toHaveLength(1);
  expect(stderr).not.toMatch(/"level":(50|60)/);
}, 60_000);
