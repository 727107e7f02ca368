/**
 * The register script, run as `npm run discord:register` runs it (tsx, a child process), against
 * the fake Discord: guild registration when DISCORD_GUILD_ID is set, global otherwise.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCORD_COMMAND_SPECS, discordCommandData } from '../../src/adapters/discord/commands.js';
import { FAKE_APP_ID, FAKE_GUILD_ID, FAKE_TOKEN, FakeDiscord } from './fake-discord.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

async function register(env: Record<string, string>, args: string[] = []) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DISCORD_')));
  return run(process.execPath, ['--import', 'tsx', 'scripts/discord-register.ts', ...args], {
    cwd: ROOT,
    env: { ...clean, ...env },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('command definitions', () => {
  it('defines the ten commands as data, with autocomplete on speaker, name and watch subject', () => {
    const data = discordCommandData();
    expect(data.map((c) => c.name)).toEqual(['summary', 'quotes', 'who', 'search', 'check', 'watch', 'unwatch', 'ask', 'digest', 'help']);
    const opt = (cmd: string) => data.find((c) => c.name === cmd)!.options![0] as unknown as Record<string, unknown>;
    expect(opt('quotes')).toMatchObject({ name: 'speaker', type: 3, required: true, autocomplete: true });
    expect(opt('who')).toMatchObject({ name: 'name', type: 3, required: true, autocomplete: true });
    expect(opt('search')).toMatchObject({ name: 'query', required: true });
    expect(opt('search').autocomplete).toBeFalsy();
    expect(opt('check')).toMatchObject({ name: 'quote', type: 3, required: true });
    expect(opt('watch')).toMatchObject({ name: 'subject', type: 3, required: true, autocomplete: true });
    expect(opt('ask')).toMatchObject({ name: 'question', type: 3, required: true });
    for (const c of data) expect(c.description.length).toBeLessThanOrEqual(100);
    expect(DISCORD_COMMAND_SPECS.filter((s) => s.mayBeSlow).map((s) => s.command)).toEqual(['summary', 'search', 'check', 'ask', 'digest']);
  });
});

describe('npm run discord:register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('registers for one guild when DISCORD_GUILD_ID is set', async () => {
    const r = await register({
      DISCORD_TOKEN: FAKE_TOKEN,
      DISCORD_APPLICATION_ID: FAKE_APP_ID,
      DISCORD_GUILD_ID: FAKE_GUILD_ID,
      DISCORD_API_URL: fake.apiUrl,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Registered 10 commands for guild ${FAKE_GUILD_ID}: /summary /quotes /who /search /check /watch /unwatch /ask /digest /help\n`);
    const put = fake.requests.filter((q) => q.method === 'PUT');
    expect(put).toHaveLength(1);
    expect(put[0]!.path).toBe(`/applications/${FAKE_APP_ID}/guilds/${FAKE_GUILD_ID}/commands`);
    expect(put[0]!.authorization).toBe(`Bot ${FAKE_TOKEN}`);
    expect(put[0]!.body).toEqual(discordCommandData());
    expect(fake.commands.get(FAKE_GUILD_ID)?.map((c) => c.name)).toHaveLength(10);
  });

  it('registers globally when DISCORD_GUILD_ID is not set', async () => {
    const r = await register({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_APPLICATION_ID: FAKE_APP_ID, DISCORD_API_URL: `${fake.apiUrl}/v10/` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Registered 10 commands for all guilds (global');
    expect(fake.requests.filter((q) => q.method === 'PUT').at(-1)!.path).toBe(`/applications/${FAKE_APP_ID}/commands`);
    expect(fake.commands.get('global')).toHaveLength(10);
  });

  it('fails clearly on a missing application id or a refused token, without sending anything in the first case', async () => {
    const before = fake.requests.length;
    const missing = await register({ DISCORD_TOKEN: FAKE_TOKEN, DISCORD_API_URL: fake.apiUrl });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('DISCORD_APPLICATION_ID is not set');
    expect(fake.requests.length).toBe(before);
    const refused = await register({
      DISCORD_TOKEN: 'wrong-token-0123456789abcdefgh',
      DISCORD_APPLICATION_ID: FAKE_APP_ID,
      DISCORD_API_URL: fake.apiUrl,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/discord:register failed: .*401|Unauthorized/);
    expect(refused.stderr).not.toContain('wrong-token');
  });

  it('--print writes the definitions and sends nothing', async () => {
    const before = fake.requests.length;
    const r = await register({ DISCORD_API_URL: fake.apiUrl }, ['--print']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(discordCommandData());
    expect(fake.requests.length).toBe(before);
  });
});
