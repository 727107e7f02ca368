/**
 * Set-up that works first time (issue 14, item 4): every error a newcomer can trigger from
 * configuration names the setting or variable and prints no stack trace; config syntax errors
 * give line and column; rejected tokens end with one line naming the variable, exit code 1;
 * `--help` everywhere; manifest hints match what the commands accept; the Discord invite URL
 * carries the exact scopes and permissions; a progress line for slow start-up ingests.
 * Fake Slack and Discord on 127.0.0.1; the bot runs as `npm start` does (src/main.ts under tsx).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TEXT, SLACK_BOT_SCOPES } from '../../src/adapters/slack/manifest.js';
import { DISCORD_INVITE_SCOPES, discordInvitePermissions, discordInviteUrl } from '../../src/adapters/discord/commands.js';
import { loadConfig } from '../../src/config/index.js';
import { checkDatabaseFile, checkFolder } from '../../src/config/paths.js';
import { createCore } from '../../src/core/index.js';
import { SqliteIndex } from '../../src/index/sqlite.js';
import { startupProgress } from '../../src/ingest/progress.js';
import { FakeDiscord } from '../discord/fake-discord.js';
import { FakeSlack } from '../slack/fake-slack.js';
import { cleanEnv, freePort, ROOT } from '../support/bot-process.js';

let dir: string;
let slack: FakeSlack;
let discord: FakeDiscord;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'setup-'));
  slack = new FakeSlack();
  await slack.start();
  slack.rejectedTokens.set('xoxb-refused-0000', 'invalid_auth');
  slack.rejectedTokens.set('xapp-1-refused-0000', 'invalid_auth');
  discord = await FakeDiscord.start();
});
afterAll(async () => {
  await slack.stop();
  await discord.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a project script (`src/main.ts` by default) as npm would, with a clean environment plus `env`. */
function runScript(env: Record<string, string>, args: string[] = [], script = 'src/main.ts', input = '', timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: cleanEnv({ LOG_LEVEL: 'warn', ...env }), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** A stack trace line ("    at fn (file:1:2)") or a path into node_modules. */
const STACK = /^\s+at\s|node_modules[\\/]/m;

const write = (name: string, body: string): string => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
  return file;
};

describe('every configuration error a newcomer can trigger names its setting, without a stack trace', () => {
  it('config file, paths, environment, ports, database and chat tokens', async () => {
    const db = (name: string) => path.join(dir, 'db', `${name}.db`);
    const aFile = write('a-file', 'not a folder\n');
    const takenPort = await new Promise<{ port: number; close: () => void }>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => resolve({ port: (s.address() as net.AddressInfo).port, close: () => s.close() }));
    });
    const deadPort = await freePort();
    const cases: { name: string; env: Record<string, string>; args?: string[]; names: RegExp; code: number }[] = [
      { name: 'JSON with a trailing comma', env: { NEWSROOM_CONFIG: write('trailing.json', '{\n  "display": {\n    "quotesPerPage": 3,\n  }\n}\n'), DATABASE_PATH: db('a') }, names: /trailing\.json is not valid JSON:\n\s+- line 3, column 23: remove this trailing comma/, code: 2 },
      { name: 'JSON cut short', env: { NEWSROOM_CONFIG: write('short.json', '{ "sources": { "folders": ["x"] '), DATABASE_PATH: db('a') }, names: /short\.json is not valid JSON:\n\s+- line 1, column \d+: a closing brace/, code: 2 },
      { name: 'a misspelt key', env: { NEWSROOM_CONFIG: write('typo.json', '{\n  "dispaly": { "quotesPerPage": 3 }\n}\n'), DATABASE_PATH: db('a') }, names: /Unrecognized key: "dispaly" \[line 2, column 3\]/, code: 2 },
      { name: 'a bad value', env: { NEWSROOM_CONFIG: write('value.json', '{ "display": { "quotesPerPage": 0 } }'), DATABASE_PATH: db('a') }, names: /display\.quotesPerPage: .*\(got "0"\) \[line 1, column 33\]/, code: 2 },
      { name: 'NEWSROOM_CONFIG naming no file', env: { NEWSROOM_CONFIG: path.join(dir, 'missing.json'), DATABASE_PATH: db('a') }, names: /NEWSROOM_CONFIG: no such file/, code: 2 },
      { name: 'DATABASE_PATH under a file', env: { DATABASE_PATH: path.join(aFile, 'sub', 'newsroom.db') }, names: /^newsroom-bot: DATABASE_PATH: cannot create .*: .*a-file is a file, not a folder$/m, code: 2 },
      { name: 'DATABASE_PATH a folder', env: { DATABASE_PATH: dir }, names: /^newsroom-bot: DATABASE_PATH: .* is a folder; name a file in it/m, code: 2 },
      { name: 'database.path under a file', env: { NEWSROOM_CONFIG: write('dbpath.json', JSON.stringify({ database: { path: path.join(aFile, 'x.db') } })) }, names: /^newsroom-bot: database\.path in .*dbpath\.json: cannot create/m, code: 2 },
      { name: 'DATABASE_URL unreachable', env: { DATABASE_URL: `postgres://newsroom@127.0.0.1:${deadPort}/newsroom` }, names: /^newsroom-bot: DATABASE_URL: cannot open the PostgreSQL index at 127\.0\.0\.1:\d+\/newsroom/m, code: 1 },
      { name: 'LOG_LEVEL misspelt', env: { LOG_LEVEL: 'loud', DATABASE_PATH: db('a') }, names: /LOG_LEVEL: expected one of/, code: 2 },
      { name: 'HEALTH_PORT taken', env: { HEALTH_PORT: String(takenPort.port), DATABASE_PATH: db('b') }, args: ['--serve'], names: /^newsroom-bot: HEALTH_PORT: .*EADDRINUSE/m, code: 2 },
      { name: 'SLACK_BOT_TOKEN refused', env: { SLACK_BOT_TOKEN: 'xoxb-refused-0000', SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_API_URL: slack.apiUrl, SLACK_PORT: String(await freePort()), DATABASE_PATH: db('c') }, names: /^newsroom-bot: SLACK_BOT_TOKEN was rejected by Slack \(invalid_auth\): /m, code: 1 },
      { name: 'SLACK_APP_TOKEN refused', env: { SLACK_BOT_TOKEN: 'xoxb-good-0000', SLACK_APP_TOKEN: 'xapp-1-refused-0000', SLACK_API_URL: slack.apiUrl, DATABASE_PATH: db('d') }, names: /^newsroom-bot: SLACK_APP_TOKEN was rejected by Slack \(invalid_auth\): /m, code: 1 },
      { name: 'SLACK_PORT taken', env: { SLACK_BOT_TOKEN: 'xoxb-good-0000', SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_API_URL: slack.apiUrl, SLACK_PORT: String(takenPort.port), DATABASE_PATH: db('e') }, names: /^newsroom-bot: SLACK_PORT: cannot listen on port \d+ \(already in use\)/m, code: 1 },
      { name: 'DISCORD_TOKEN refused', env: { DISCORD_TOKEN: 'refused-token-0123456789abcdef', DISCORD_API_URL: discord.apiUrl, DATABASE_PATH: db('f') }, names: /^newsroom-bot: DISCORD_TOKEN was rejected by Discord \(.+\): copy the bot token/m, code: 1 },
    ];
    const results: string[] = [];
    // Three at a time: the machine is shared.
    for (let i = 0; i < cases.length; i += 3) {
      await Promise.all(
        cases.slice(i, i + 3).map(async (c) => {
          const r = await runScript(c.env, c.args ?? []);
          const problems: string[] = [];
          if (r.code !== c.code) problems.push(`exit ${r.code}, expected ${c.code}`);
          if (!c.names.test(r.stderr)) problems.push(`stderr does not match ${c.names}`);
          if (STACK.test(r.stderr)) problems.push('stack trace in stderr');
          if (problems.length) results.push(`${c.name}: ${problems.join('; ')}\n--- stderr:\n${r.stderr}`);
        }),
      );
    }
    takenPort.close();
    expect(results).toEqual([]);
  }, 300_000);

  it('a missing story folder is named by its setting and skipped; the bot still answers', async () => {
    const cfg = write('folders.json', JSON.stringify({ sources: { folders: ['no-such-stories-folder'] } }));
    const r = await runScript({ NEWSROOM_CONFIG: cfg, DATABASE_PATH: path.join(dir, 'folders.db') }, [], 'src/main.ts', '/help\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^newsroom-bot: sources\.folders\[0\]: no such folder no-such-stories-folder .*; skipped$/m);
    expect(r.stdout).toContain('Newsroom bot: commands');
    expect(r.stderr).not.toMatch(STACK);
  }, 60_000);

  it('path checks name the setting', () => {
    const f = write('plain-file', 'x');
    expect(checkDatabaseFile(path.join(f, 'a', 'b.db'), 'DATABASE_PATH')).toBe(`DATABASE_PATH: cannot create ${path.join(f, 'a', 'b.db')}: ${f} is a file, not a folder`);
    expect(checkDatabaseFile(':memory:', 'DATABASE_PATH')).toBeNull();
    expect(checkDatabaseFile(path.join(dir, 'new', 'deep', 'ok.db'), 'DATABASE_PATH')).toBeNull();
    expect(checkFolder(f, 'examples.folder')).toBe(`examples.folder: ${f} is a file, not a folder`);
    const c = loadConfig({ env: { DATABASE_PATH: '/tmp/x.db' }, dotenvFile: null });
    expect(c.databasePathSetting).toBe('DATABASE_PATH');
  });
});

describe('--help everywhere', () => {
  it('npm start, npm run cli and each subcommand, discord:register and the manifest script explain themselves and exit 0', async () => {
    const runs: [string, string[], RegExp][] = [
      ['src/main.ts', ['--help'], /^usage: npm start \[-- --serve\]/],
      ['src/cli.ts', ['--help'], /^usage: npm run cli -- COMMAND/],
      ['src/cli.ts', ['help'], /^usage: npm run cli -- COMMAND/],
      ['src/cli.ts', ['ingest', '--help'], /^usage: npm run cli -- ingest /],
      ['src/cli.ts', ['ask', '--help'], /^usage: npm run cli -- ask /],
      ['src/cli.ts', ['parse', '--help'], /^usage: cli parse \[--json\] FILE {10}\(run as: npm run --silent cli -- parse …\)/],
      ['scripts/discord-register.ts', ['--help'], /^usage: npm run discord:register/],
      ['src/adapters/slack/manifest.ts', ['--help'], /^usage: npx tsx src\/adapters\/slack\/manifest\.ts/],
    ];
    for (const [script, args, usage] of runs) {
      const r = await runScript({}, args, script);
      expect(r.code, `${script} ${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(usage);
    }
    // A wrong option or command is a usage error (2) that shows the help.
    const bad = await runScript({}, ['--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: npm start');
    const none = await runScript({}, [], 'src/cli.ts');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npm run cli -- COMMAND');
  }, 120_000);
});

describe('chat platform set-up', () => {
  it('the Slack manifest asks for chat:write.public, and every hint it shows is accepted by the command', async () => {
    expect(SLACK_BOT_SCOPES).toContain('chat:write.public');
    const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'config/slack-manifest.json'), 'utf8')) as { oauth_config: { scopes: { bot: string[] } } };
    expect(shipped.oauth_config.scopes.bot).toContain('chat:write.public');
    const index = SqliteIndex.open(':memory:');
    const core = createCore({ index });
    for (const [command, t] of Object.entries(COMMAND_TEXT)) {
      expect(t.usage_hint).not.toMatch(/story id/);
      // "[24h | today | week | list]": every alternative is a real argument.
      const alternatives = /^\[(.*)\]$/.exec(t.usage_hint)?.[1]?.split('|').map((a) => a.trim()) ?? [];
      for (const a of alternatives.filter((x) => !/\s/.test(x))) {
        const r = await core.handle({ command: command as 'digest', args: a, platform: 'slack', userId: 'U1', channelId: 'C1' });
        expect(r.title, `/${command} ${a}`).not.toMatch(/not understood|needs|nothing to look for/i);
      }
    }
    expect((await core.handle({ command: 'digest', args: 'week', platform: 'slack', userId: 'U1', channelId: 'C1' })).title).toMatch(/^Digest: /);
    await index.close();
  });

  it('the Discord invite URL carries exactly the bot and applications.commands scopes and View Channels + Send Messages + Embed Links', () => {
    expect([...DISCORD_INVITE_SCOPES]).toEqual(['bot', 'applications.commands']);
    expect(discordInvitePermissions()).toBe(1024n + 2048n + 16384n);
    const url = new URL(discordInviteUrl('123456789012345678'));
    expect(`${url.origin}${url.pathname}`).toBe('https://discord.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: '123456789012345678', scope: 'bot applications.commands', permissions: '19456' });
  });
});

describe('start-up progress and idle sources', () => {
  it('shows nothing for a quick ingest, a line once it has taken over a second, and a closing line', () => {
    let t = 0;
    const timers: (() => void)[] = [];
    const out: string[] = [];
    const stream = { isTTY: false, write: (s: string) => (out.push(s), true) } as unknown as NodeJS.WritableStream;
    const quick = startupProgress(stream, { now: () => t, setInterval: (fn) => timers.push(fn), clearInterval: () => undefined, expected: 3 });
    for (let i = 0; i < 3; i++) {
      t += 100;
      quick.tick(`story-${i}.txt`);
    }
    quick.done();
    expect(out).toEqual([]);
    t = 0;
    const slow = startupProgress(stream, { now: () => t, setInterval: (fn) => timers.push(fn), clearInterval: () => undefined, expected: 1500 });
    for (let i = 1; i <= 1500; i++) {
      t += 10; // 100 stories a second: 15 s in all
      slow.tick(`stories/story-${i}.txt`);
    }
    slow.done();
    // After 1 s, then every 5 s: at 1 s, 6 s, 11 s; then the closing line.
    expect(slow.lines.length).toBe(4);
    expect(slow.lines[0]).toBe('newsroom-bot: ingesting at start-up: 100 of 1,500 stories (100/s), now stories/story-100.txt; the bot answers once this is done');
    expect(slow.lines[3]).toBe('newsroom-bot: start-up ingest done: 1,500 stories in 15.0 s');
  });

  it('says so when feeds are configured but nothing would poll them', async () => {
    const cfg = write('feeds.json', JSON.stringify({ sources: { feeds: ['https://news.example/rss'] } }));
    const r = await runScript({ NEWSROOM_CONFIG: cfg, DATABASE_PATH: path.join(dir, 'feeds.db') }, [], 'src/main.ts', '/help\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^newsroom-bot: sources\.feeds: 1 feed is configured but nothing polls it in this terminal session; start with "npm start -- --serve"/m);
  }, 60_000);
});
