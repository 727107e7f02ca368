/**
 * Adds Discord's "Create Message" route (`POST /channels/{id}/messages`) and "Create DM"
 * (`POST /users/@me/channels`, for watch alerts by direct message) to the fake Discord of
 * the adapter tests (test/discord/fake-discord.ts), which answers interactions only: scheduled
 * digests are posted to a channel, not in answer to an interaction. The request is recorded in
 * `fake.requests` like every other, so `fake.waitForRequest` sees it. The route is added by
 * wrapping the fake's request handler, leaving its file to the Discord tests.
 */
import type http from 'node:http';
import { FAKE_APP_ID, FAKE_BOT_USER_ID, snowflake, type FakeDiscord, type RecordedRequest } from '../discord/fake-discord.js';

interface FakeInternals {
  onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  notify(): void;
  requests: RecordedRequest[];
  options: { token: string };
}

/**
 * Makes `fake` accept channel messages: 200 with a message object for a bot-authorised POST,
 * 401 without the token, 404 for channels listed in `unknownChannels`.
 */
export function acceptChannelMessages(fake: FakeDiscord, unknownChannels: readonly string[] = []): void {
  const f = fake as unknown as FakeInternals;
  const original = f.onRequest.bind(fake);
  f.onRequest = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/v10/users/@me/channels' && req.method === 'POST') return createDm(f, req, res, url);
    const m = /^\/api\/v10\/channels\/(\d+)\/messages$/.exec(url.pathname);
    if (!m || req.method !== 'POST') return original(req, res);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const channelId = m[1]!;
    f.requests.push({
      method: 'POST',
      path: `/channels/${channelId}/messages`,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
      at: Date.now(),
    });
    const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (req.headers.authorization !== `Bot ${f.options.token}`) send(401, { message: '401: Unauthorized', code: 0 });
    else if (unknownChannels.includes(channelId)) send(404, { message: 'Unknown Channel', code: 10003 });
    else {
      send(200, {
        id: snowflake(),
        type: 0,
        channel_id: channelId,
        application_id: FAKE_APP_ID,
        author: { id: FAKE_BOT_USER_ID, username: 'newsroom-bot', discriminator: '0', avatar: null, bot: true },
        content: body?.content ?? '',
        embeds: body?.embeds ?? [],
        components: body?.components ?? [],
        attachments: [],
        mentions: [],
        mention_roles: [],
        mention_everyone: false,
        pinned: false,
        tts: false,
        nonce: body?.nonce,
        flags: 0,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
      });
    }
    f.notify();
  };
}

/** Discord's "Create DM" (`POST /users/@me/channels`): a DM channel object, one stable id per user. */
async function createDm(f: FakeInternals, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let body: any = null;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    body = null;
  }
  f.requests.push({ method: 'POST', path: '/users/@me/channels', query: url.searchParams, authorization: req.headers.authorization, body, at: Date.now() });
  const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  const user = String(body?.recipient_id ?? '');
  if (req.headers.authorization !== `Bot ${f.options.token}`) send(401, { message: '401: Unauthorized', code: 0 });
  else if (!/^\d{5,25}$/.test(user)) send(400, { message: 'Invalid Form Body', code: 50035 });
  else send(200, { id: `9${user.slice(1)}`, type: 1, last_message_id: null, recipients: [{ id: user, username: 'reporter', discriminator: '0', avatar: null }] });
  f.notify();
}
