/**
 * Health endpoints (issue 7): `/healthz` (liveness) and `/readyz` (ready once the index is open
 * and the adapters serve; 503 while starting and stopping) on a loopback HTTP server in serve
 * mode (HEALTH_PORT), off in terminal mode; and the command drain used on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotCore, Reply } from '../../src/core/types.js';
import { drainable } from '../../src/ops/drain.js';
import { startHealthServer } from '../../src/ops/health.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.js';
import { freePort, spawnBot } from '../support/bot-process.js';

const children: ChildProcess[] = [];
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

const get = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, headers: res.headers };
};

describe('health server', () => {
  it('answers liveness always, readiness by state, and nothing else', async () => {
    const h = await startHealthServer({ port: 0 });
    const base = `http://127.0.0.1:${h.port}`;
    try {
      expect(await get(`${base}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await get(`${base}/readyz`)).toMatchObject({ status: 503, body: { status: 'starting' } });
      h.setState('ready');
      expect(await get(`${base}/readyz?verbose=1`)).toMatchObject({ status: 200, body: { status: 'ready' } });
      h.setState('stopping');
      expect(await get(`${base}/readyz`)).toMatchObject({ status: 503, body: { status: 'stopping' } });
      expect((await get(`${base}/healthz`)).status).toBe(200);
      const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
      expect([head.status, await head.text()]).toEqual([200, '']);
      const post = await get(`${base}/healthz`, { method: 'POST', body: 'x' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      expect((await get(`${base}/slack/events`)).status).toBe(404);
    } finally {
      await h.close();
    }
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('a taken port is a clear error', async () => {
    const h = await startHealthServer({ port: 0 });
    try {
      await expect(startHealthServer({ port: h.port })).rejects.toThrow(`health server cannot listen on 127.0.0.1:${h.port}: EADDRINUSE`);
    } finally {
      await h.close();
    }
  });
});

describe('drain', () => {
  it('waits for commands in flight, and gives up after the timeout', async () => {
    let release: () => void = () => undefined;
    const slow: BotCore = {
      handle: () => new Promise<Reply>((r) => (release = () => r({ status: 'answer', title: 't', blocks: [], visibility: 'channel' }))),
      suggest: async () => [],
    };
    const d = drainable(slow);
    const reply = d.core.handle({ command: 'help', args: '', platform: 'terminal', userId: 'u' });
    expect(d.inFlight()).toBe(1);
    expect(await d.drain(50)).toBe(false);
    setTimeout(() => release(), 30);
    expect(await d.drain(5000)).toBe(true);
    expect(d.inFlight()).toBe(0);
    expect((await reply).title).toBe('t');
  });
});

describe('npm start', () => {
  it('serve mode: /healthz and /readyz on HEALTH_PORT, ready while serving, gone after SIGTERM', async () => {
    const fake = new FakeSlack();
    await fake.start();
    try {
      const [slackPort, healthPort] = [await freePort(), await freePort()];
      const configFile = path.join(dir, 'serve.json');
      fs.writeFileSync(configFile, JSON.stringify({ database: { path: path.join(dir, 'serve.db') } }));
      const child = spawnBot({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_PORT: String(slackPort), HEALTH_PORT: String(healthPort), NEWSROOM_CONFIG: configFile, LOG_LEVEL: 'info' });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const base = `http://127.0.0.1:${healthPort}`;
      let live = false;
      for (const end = Date.now() + 60_000; !live && Date.now() < end && child.exitCode === null; ) {
        live = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
        if (!live) await new Promise((r) => setTimeout(r, 50));
      }
      expect(live, stderr).toBe(true);
      let ready = await get(`${base}/readyz`);
      for (const end = Date.now() + 60_000; ready.status !== 200 && Date.now() < end; ) {
        expect(ready).toMatchObject({ status: 503, body: { status: 'starting' } });
        await new Promise((r) => setTimeout(r, 50));
        ready = await get(`${base}/readyz`);
      }
      expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
      // Ready means serving: the Slack receiver answers.
      expect((await fetch(`http://127.0.0.1:${slackPort}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('health endpoints on /healthz and /readyz');
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    } finally {
      await fake.stop();
    }
  }, 120_000);

  it('terminal mode: no health server even with HEALTH_PORT set', async () => {
    const healthPort = await freePort();
    const configFile = path.join(dir, 'term.json');
    fs.writeFileSync(configFile, JSON.stringify({ database: { path: path.join(dir, 'term.db') } }));
    const child = spawnBot({ HEALTH_PORT: String(healthPort), NEWSROOM_CONFIG: configFile }, ['pipe', 'pipe', 'pipe']);
    children.push(child);
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin!.write('/help\n');
    for (const end = Date.now() + 60_000; !stdout.includes('/summary') && Date.now() < end && child.exitCode === null; ) await new Promise((r) => setTimeout(r, 50));
    expect(stdout).toContain('/summary');
    await expect(fetch(`http://127.0.0.1:${healthPort}/healthz`)).rejects.toThrow();
    child.stdin!.end();
    expect(await exited).toBe(0);
  }, 120_000);
});
