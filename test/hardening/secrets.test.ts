/**
 * Secrets (issue 7): the logger redacts tokens and signing secrets wherever they sit in a logged
 * object, and an invalid environment is reported by variable name, never by secret value.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { ConfigError, loadConfig, readEnv } from '../../src/config/index.js';

const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-secretbotvalue',
  SLACK_APP_TOKEN: 'xapp-1-A0-secretappvalue',
  SLACK_SIGNING_SECRET: 'signingsecretvalue1234',
  DISCORD_TOKEN: 'discordtokenvalue.abcdefghijklmnop',
  DATABASE_URL: 'postgres://bot:dbpasswordvalue@127.0.0.1/news',
};

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('log redaction', () => {
  it('logging the env, a config object and nested adapter options leaks no secret value', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    const env = readEnv({ env: { ...SECRETS }, dotenvFile: null });
    log.info(env, 'environment at start');
    log.info({ config: { env } }, 'config');
    log.info({ slack: { options: { token: SECRETS.SLACK_BOT_TOKEN, signingSecret: SECRETS.SLACK_SIGNING_SECRET, appToken: SECRETS.SLACK_APP_TOKEN } } }, 'adapter');
    log.child({ adapter: 'discord' }).info({ headers: { authorization: `Bot ${SECRETS.DISCORD_TOKEN}` } }, 'request');
    const out = lines.join('');
    expect(lines).toHaveLength(4);
    for (const [name, value] of Object.entries(SECRETS)) expect(out, name).not.toContain(value);
    // The password inside DATABASE_URL is redacted with the whole value.
    expect(out).not.toContain('dbpasswordvalue');
    // Redacted, not dropped: the keys are still there so an operator sees which were set.
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first.SLACK_BOT_TOKEN).toBe('[redacted]');
    expect(first.SLACK_PORT).toBe(3000);
    const third = JSON.parse(lines[2]!) as { slack: { options: Record<string, string> } };
    expect(third.slack.options).toEqual({ token: '[redacted]', signingSecret: '[redacted]', appToken: '[redacted]' });
  });

  it('non-secret fields are logged as given', () => {
    const { lines, stream } = capture();
    createLogger('info', stream).info({ story: 'budget-vote', count: 3 }, 'ingested');
    expect(JSON.parse(lines[0]!)).toMatchObject({ story: 'budget-vote', count: 3, msg: 'ingested' });
  });
});

describe('start-up with an invalid environment', () => {
  const bad = {
    SLACK_BOT_TOKEN: 'not-a-bot-token-secretvalue',
    SLACK_SIGNING_SECRET: 'short',
    DISCORD_TOKEN: 'tiny',
    DISCORD_APPLICATION_ID: 'abc',
  };
  it('names each invalid variable and quotes no secret value', () => {
    let err: unknown;
    try {
      loadConfig({ env: bad, dotenvFile: null });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_TOKEN', 'DISCORD_APPLICATION_ID']) expect(msg).toContain(name);
    for (const secret of [bad.SLACK_BOT_TOKEN, bad.SLACK_SIGNING_SECRET, bad.DISCORD_TOKEN]) expect(msg).not.toContain(secret);
    // A non-secret value may be quoted to help the operator.
    expect(msg).toContain('"abc"');
  });
});
