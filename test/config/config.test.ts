import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dotenv from 'dotenv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG_FILE, EnvSchema, loadConfig, parseConfigFile, readEnv, SECRET_VARIABLES } from '../../src/config/index.js';

const ROOT = path.join(import.meta.dirname, '../..');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The error a function throws, for checking its message. */
function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('config file', () => {
  it('defaults every setting', () => {
    expect(DEFAULT_CONFIG_FILE).toMatchObject({
      database: { path: 'data/newsroom.db' },
      examples: { folder: 'examples/articles', ingestOnStart: true },
      sources: { folders: [] },
      display: { quotesPerPage: 5, summarySentences: 3, searchResults: 5, whoQuotes: 3, whoNumbers: 4, maxArgumentLength: 200 },
    });
  });

  it('accepts the shipped config/newsroom.json', () => {
    const shipped = parseConfigFile(JSON.parse(fs.readFileSync(path.join(ROOT, 'config/newsroom.json'), 'utf8')));
    expect(shipped.database.path).toBe('data/newsroom.db');
    expect(shipped.examples.folder).toBe('examples/articles');
  });

  it('names each invalid setting and the value it got', () => {
    const err = thrown(() => parseConfigFile({ display: { quotesPerPage: 0, summarySentences: 'three' }, database: { path: '' } }, 'newsroom.json'));
    expect(err.message).toMatch(/^Invalid settings in newsroom\.json:/);
    expect(err.problems).toHaveLength(3);
    expect(err.message).toMatch(/display\.quotesPerPage: .*>=1.* \(got "0"\)/);
    expect(err.message).toMatch(/display\.summarySentences: .*number.* \(got "three"\)/);
    expect(err.message).toMatch(/database\.path: expected a non-empty path/);
  });

  it('reports a misspelt key instead of ignoring it', () => {
    const err = thrown(() => parseConfigFile({ dispaly: { quotesPerPage: 3 } }));
    expect(err.message).toMatch(/dispaly/);
  });

  it('reports unreadable and malformed files with their path', () => {
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "display": ');
    expect(thrown(() => loadConfig({ env: { NEWSROOM_CONFIG: path.join(dir, 'bad.json') }, dotenvFile: null })).message).toMatch(/bad\.json is not valid JSON/);
    expect(thrown(() => loadConfig({ env: { NEWSROOM_CONFIG: path.join(dir, 'missing.json') }, dotenvFile: null })).message).toMatch(/Cannot read the config file .*missing\.json/);
  });

  it('uses the defaults when the default file is absent, and DATABASE_PATH over the file', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const c = loadConfig({ env: {}, dotenvFile: null });
      expect(c.file).toEqual(DEFAULT_CONFIG_FILE);
      expect(c.databasePath).toBe(path.join(fs.realpathSync(dir), 'data/newsroom.db'));
      expect(loadConfig({ env: { DATABASE_PATH: ':memory:' }, dotenvFile: null }).databasePath).toBe(':memory:');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('environment', () => {
  it('reads .env, lets the real environment win and treats blanks as unset', () => {
    const file = path.join(dir, '.env');
    fs.writeFileSync(file, 'LOG_LEVEL=debug\nDATABASE_PATH=/tmp/from-file.db\nSLACK_BOT_TOKEN=\nSLACK_PORT=\n');
    const env = readEnv({ env: { DATABASE_PATH: '/tmp/from-env.db' }, dotenvFile: file });
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.DATABASE_PATH).toBe('/tmp/from-env.db');
    expect(env.SLACK_BOT_TOKEN).toBeUndefined();
    expect(env.SLACK_PORT).toBe(3000);
  });

  it('names the invalid variable and quotes non-secret values', () => {
    const err = thrown(() => readEnv({ env: { SLACK_PORT: 'eighty', LOG_LEVEL: 'loud' }, dotenvFile: null }));
    expect(err.message).toMatch(/^Invalid environment variables:/);
    expect(err.message).toMatch(/SLACK_PORT: expected a port number \(got "eighty"\)/);
    expect(err.message).toMatch(/LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/);
  });

  it('never prints a secret’s value', () => {
    const secret = 'totally-secret-value-123456';
    const err = thrown(() =>
      readEnv({ env: { SLACK_BOT_TOKEN: secret, SLACK_APP_TOKEN: secret, DATABASE_URL: `mysql://u:${secret}@h/db`, DISCORD_TOKEN: 'short' }, dotenvFile: null }),
    );
    expect(err.message).toMatch(/SLACK_BOT_TOKEN: expected a bot token starting with xoxb-/);
    expect(err.message).toMatch(/SLACK_APP_TOKEN: expected an app-level token starting with xapp-/);
    expect(err.message).toMatch(/DATABASE_URL: expected a postgres/);
    expect(err.message).toMatch(/DISCORD_TOKEN: expected a Discord bot token/);
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain('short');
  });

  it('needs Socket Mode or HTTP mode credentials with a Slack bot token', () => {
    const err = thrown(() => readEnv({ env: { SLACK_BOT_TOKEN: 'xoxb-1-2-3' }, dotenvFile: null }));
    expect(err.message).toMatch(/SLACK_APP_TOKEN: SLACK_BOT_TOKEN is set, so set SLACK_APP_TOKEN \(Socket Mode\) or SLACK_SIGNING_SECRET \(HTTP mode\) too/);
    expect(readEnv({ env: { SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_APP_TOKEN: 'xapp-1-2' }, dotenvFile: null }).SLACK_APP_TOKEN).toBe('xapp-1-2');
  });

  it('is read only in src/config (the one place that touches process.env)', () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (f.endsWith('.ts') && !f.includes(`${path.sep}config${path.sep}`) && /process\.env\b/.test(fs.readFileSync(f, 'utf8'))) offenders.push(path.relative(ROOT, f));
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(offenders).toEqual([]);
  });
});

describe('.env.example', () => {
  it('lists every variable the bot reads, each with a comment, and no values', () => {
    const text = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const listed = dotenv.parse(text);
    expect(Object.keys(listed).sort()).toEqual(Object.keys(EnvSchema.shape).sort());
    for (const [k, v] of Object.entries(listed)) {
      expect(v, k).toBe('');
      const lines = text.split('\n');
      const i = lines.findIndex((l) => l.startsWith(`${k}=`));
      expect(lines[i - 1], `comment above ${k}`).toMatch(/^#/);
    }
    for (const s of SECRET_VARIABLES) expect(Object.keys(listed)).toContain(s);
  });
});
