import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommandText, stripUserMentions, validateCommandPrefix } from '../../src/adapters/slack/commands.js';
import { MemoryDedupe } from '../../src/adapters/slack/dedupe.js';
import { SLACK_BOT_EVENTS, SLACK_BOT_SCOPES, buildSlackManifest } from '../../src/adapters/slack/manifest.js';

describe('reading mentions and DMs', () => {
  it('finds the command and its arguments', () => {
    expect(parseCommandText(stripUserMentions('<@UBOT0NEWS> who france'), '')).toEqual({ ok: true, command: 'who', args: 'france' });
    expect(parseCommandText('/quotes  Maria Zakharova ', '')).toEqual({ ok: true, command: 'quotes', args: 'Maria Zakharova' });
    expect(parseCommandText('Quotes: zakharova', '')).toEqual({ ok: true, command: 'quotes', args: 'zakharova' });
    expect(parseCommandText('/news-who France', 'news-')).toEqual({ ok: true, command: 'who', args: 'France' });
    expect(parseCommandText('search AT&amp;T &lt;b&gt;', '')).toEqual({ ok: true, command: 'search', args: 'AT&T <b>' });
    expect(parseCommandText('help', '')).toEqual({ ok: true, command: 'help', args: '' });
  });
  it('reports the unknown word, or an empty message', () => {
    expect(parseCommandText('dance please', '')).toEqual({ ok: false, word: 'dance' });
    expect(parseCommandText('   ', '')).toEqual({ ok: false, word: '' });
  });
  it('caps arguments', () => {
    const r = parseCommandText(`search ${'x'.repeat(5000)}`, '');
    expect(r.ok && r.args.length).toBe(1000);
  });
  it('strips every user mention, labelled or not', () => {
    expect(stripUserMentions('<@UBOT0NEWS|newsroom>   quotes <@U024BE7LH> hale')).toBe('quotes hale');
  });
  it('validates prefixes', () => {
    expect(validateCommandPrefix('news-')).toBe('news-');
    expect(() => validateCommandPrefix('News!')).toThrow(/lower-case/);
    expect(() => validateCommandPrefix('a'.repeat(30))).toThrow(/too long/);
  });
});

describe('MemoryDedupe', () => {
  it('claims a key once until its TTL runs out', () => {
    let now = 0;
    const d = new MemoryDedupe(1000, 100, () => now);
    expect(d.claim('Ev1')).toBe(true);
    expect(d.claim('Ev1')).toBe(false);
    now = 999;
    expect(d.claim('Ev1')).toBe(false);
    now = 1000;
    expect(d.claim('Ev1')).toBe(true);
  });
  it('stays bounded under a flood', () => {
    const d = new MemoryDedupe(60_000, 100, () => 0);
    for (let i = 0; i < 10_000; i++) d.claim(`Ev${i}`);
    expect(d.size).toBeLessThanOrEqual(101);
    expect(d.claim('Ev9999')).toBe(false);
  });
});

describe('app manifest', () => {
  it('config/slack-manifest.json is the default manifest', () => {
    const file = JSON.parse(fs.readFileSync('config/slack-manifest.json', 'utf8')) as unknown;
    expect(file).toEqual(buildSlackManifest());
  });
  it('declares every command, the scopes and events the adapter uses, and Socket Mode', () => {
    const m = buildSlackManifest();
    expect(m.features?.slash_commands?.map((c) => c.command)).toEqual(['/summary', '/quotes', '/who', '/search', '/check', '/watch', '/unwatch', '/ask', '/digest', '/help']);
    expect(m.oauth_config?.scopes?.bot).toEqual([...SLACK_BOT_SCOPES]);
    expect(m.settings?.event_subscriptions?.bot_events).toEqual([...SLACK_BOT_EVENTS]);
    expect(m.settings?.interactivity?.is_enabled).toBe(true);
    expect(m.settings?.socket_mode_enabled).toBe(true);
    for (const c of m.features?.slash_commands ?? []) expect(c.command.length).toBeLessThanOrEqual(32);
  });
  it('builds an HTTP-mode variant with a prefix and request URLs', () => {
    const m = buildSlackManifest({ prefix: 'news-', requestUrl: 'https://bot.example.org/slack/events' });
    expect(m.features?.slash_commands?.[1]).toMatchObject({ command: '/news-quotes', url: 'https://bot.example.org/slack/events' });
    expect(m.settings?.socket_mode_enabled).toBe(false);
    expect(m.settings?.event_subscriptions?.request_url).toBe('https://bot.example.org/slack/events');
    expect(() => buildSlackManifest({ requestUrl: 'http://insecure.example.org/' })).toThrow(/https/);
  });
});

describe('a signing secret that does not match', () => {
  it('refuses the request with 401 and logs a warning naming SLACK_SIGNING_SECRET (it cannot be checked before Slack sends one)', async () => {
    const { pino } = await import('pino');
    const { FakeSlack, sendToApp, slashCommandBody, slackSignature } = await import('./fake-slack.js');
    const { BOT_TOKEN, SIGNING_SECRET, buildIndex, buildCore } = await import('./harness.js');
    const { startSlack } = await import('../../src/adapters/slack/start.js');
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as { level: number; msg: string }) });
    const fake = new FakeSlack();
    await fake.start();
    const { index, dir } = await buildIndex([]);
    const slack = await startSlack(buildCore(index), { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl, SLACK_PORT: 3000 }, {}, { host: '127.0.0.1', port: 0, logger });
    try {
      const body = slashCommandBody({ command: '/help', text: '', responseUrl: fake.responseUrl('sig') });
      const sent = await sendToApp(`http://127.0.0.1:${slack.port}/slack/events`, body, 'application/x-www-form-urlencoded', SIGNING_SECRET, {
        signature: slackSignature('a-different-secret-0000', Math.floor(Date.now() / 1000), body),
      });
      expect(sent.status).toBe(401);
      expect(lines.some((l) => l.level === 40 && l.msg.includes('SLACK_SIGNING_SECRET'))).toBe(true);
    } finally {
      await slack.stop();
      await fake.stop();
      await index.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
