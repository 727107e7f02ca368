/**
 * The Dockerfile and compose.yaml (issue 14, item 4). Everywhere: both are read and checked
 * (bot + PostgreSQL, health checks on /readyz, the bot waits for a healthy database, files the
 * Dockerfile copies exist, the main process is the serve mode). Where a Docker engine and the
 * compose plugin are available: the stack is built and started under a throwaway project name,
 * the bot's /readyz is asked on 127.0.0.1, and everything is removed again. Elsewhere that test
 * is skipped, and says why. (Building pulls the base images through the Docker engine; the test
 * itself talks only to the local engine and 127.0.0.1.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort, ROOT } from '../support/bot-process.js';

interface Compose {
  services: Record<string, { image?: string; build?: unknown; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }>; environment?: Record<string, string>; ports?: string[] }>;
}

const compose = parse(fs.readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')) as Compose;
const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');

/** Whether this machine can build and run containers: an engine answering and the compose plugin. */
function dockerEngine(): { ok: boolean; why: string } {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 20_000 });
  if (info.error || info.status !== 0) return { ok: false, why: 'no Docker engine here (docker info failed)' };
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 20_000 });
  if (plugin.error || plugin.status !== 0) return { ok: false, why: 'no docker compose plugin here' };
  return { ok: true, why: '' };
}

const engine = dockerEngine();
if (!engine.ok) process.stderr.write(`NOTICE: test/docker/compose.test.ts: building and starting the containers is SKIPPED: ${engine.why}\n`);

describe('Dockerfile and compose.yaml', () => {
  it('compose runs the bot and PostgreSQL, each with a health check; the bot waits for a healthy database and is checked on /readyz', () => {
    const { bot, db } = compose.services;
    expect(db?.image).toMatch(/^postgres:/);
    expect(db?.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(bot?.build).toBe('.');
    expect(bot?.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(bot?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(bot?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/newsroom:.*@db:5432\/newsroom$/);
    expect(bot?.environment?.HEALTH_HOST).toBe('0.0.0.0');
    expect(bot?.ports?.[0]).toMatch(/^127\.0\.0\.1:/);
  });

  it('the Dockerfile copies files that exist, checks /readyz and runs the serve mode', () => {
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of m[1]!.trim().split(/\s+/)) expect(fs.existsSync(path.join(ROOT, src)), src).toBe(true);
    }
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--import", "tsx", "src\/main\.ts", "--serve"\]$/m);
    expect(dockerfile).toMatch(/^ENV [\s\S]*HEALTH_HOST=0\.0\.0\.0/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});

describe('containers', () => {
  const project = `newsroom-test-${process.pid}`;
  afterAll(() => {
    if (engine.ok) spawnSync('docker', ['compose', '-p', project, 'down', '-v', '--remove-orphans'], { cwd: ROOT, timeout: 120_000 });
  });

  it.skipIf(!engine.ok)(`builds and starts the bot and PostgreSQL; /readyz answers 200${engine.ok ? '' : ` (skipped: ${engine.why})`}`, async () => {
    const port = await freePort();
    const env = { ...process.env, BOT_HEALTH_PORT: String(port), POSTGRES_PASSWORD: `test-${process.pid}` };
    execFileSync('docker', ['compose', '-p', project, 'up', '-d', '--build', '--wait', '--wait-timeout', '300'], { cwd: ROOT, env, stdio: 'inherit', timeout: 900_000 });
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  }, 960_000);
});
