/**
 * A fake of the parts of Slack the adapter talks to, on 127.0.0.1 only: the Web API
 * (`/api/<method>`, form or JSON bodies like the real one) and response_urls
 * (`/response/<id>`). Every call is recorded with its arrival time; rate limiting can be
 * scripted per method. Also helpers to sign and send requests to the Bolt app the way Slack
 * does (v0 HMAC-SHA256 signatures over `v0:<timestamp>:<body>`).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One request the fake received. */
export interface FakeCall {
  /** Web API method ("chat.postMessage") or "response" for a response_url post. */
  method: string;
  /** For response_url posts: the id in the path. */
  responseId?: string;
  body: Record<string, unknown>;
  /** ms since epoch on arrival. */
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
}

export const BOT_USER_ID = 'UBOT0NEWS';
export const BOT_ID = 'BBOT0NEWS';
export const TEAM_ID = 'T0NEWSROOM';

/** Decodes a Web API body: JSON, or form-urlencoded with JSON-encoded arrays/objects (how WebClient sends `blocks`). */
function decodeBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // a plain string that happens to start with a bracket
      }
    }
    out[k] = v;
  }
  return out;
}

export class FakeSlack {
  readonly calls: FakeCall[] = [];
  private server!: http.Server;
  private port = 0;
  private readonly limits = new Map<string, { times: number; retryAfter: number }>();
  private nextTs = 1_700_000_000;
  private readonly wss = new WebSocketServer({ noServer: true });
  /** Socket Mode connections currently open. */
  readonly sockets: WebSocket[] = [];
  /** Messages the app sent over Socket Mode (acks: `{ envelope_id, payload }`). */
  readonly socketMessages: Record<string, unknown>[] = [];
  /** Tokens Slack refuses, each with the error it answers (`invalid_auth`, `not_allowed_token_type`…), as Slack does with HTTP 200. */
  readonly rejectedTokens = new Map<string, string>();

  /** Starts listening on 127.0.0.1 (a free port). */
  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/socket-mode') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.push(ws);
        ws.on('message', (data) => this.socketMessages.push(JSON.parse(String(data)) as Record<string, unknown>));
        ws.on('close', () => this.sockets.splice(this.sockets.indexOf(ws), 1));
        ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0NEWSBOT' }, debug_info: { host: 'fake' } }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Sends a Socket Mode envelope to every connected app. */
  sendEnvelope(envelope: Record<string, unknown>): void {
    for (const ws of this.sockets) ws.send(JSON.stringify(envelope));
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Base URL to give the adapter as SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A fresh response_url on the fake. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  /** The next `times` calls of `method` get 429 with `Retry-After: retryAfter` (seconds). */
  rateLimit(method: string, times: number, retryAfter: number): void {
    this.limits.set(method, { times, retryAfter });
  }

  /** Calls of one Web API method, or the response_url posts (method "response"). */
  of(method: string, responseId?: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method && (responseId === undefined || c.responseId === responseId));
  }

  /** Waits until `pred` holds (polling every 20 ms) or `timeoutMs` passes; returns whether it held. */
  async waitFor(pred: () => boolean, timeoutMs = 5000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (pred()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return pred();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    let body: Record<string, unknown>;
    try {
      body = decodeBody(raw, req.headers['content-type']);
    } catch {
      reply(400, { ok: false, error: 'invalid_json' });
      return;
    }
    const at = Date.now();
    const response = /^\/response\/([\w-]+)$/.exec(url.pathname);
    if (response) {
      this.calls.push({ method: 'response', responseId: response[1]!, body, at, status: 200 });
      reply(200, { ok: true });
      return;
    }
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!api) {
      reply(404, { ok: false, error: 'not_found' });
      return;
    }
    const method = api[1]!;
    const limit = this.limits.get(method);
    if (limit && limit.times > 0) {
      limit.times--;
      this.calls.push({ method, body, at, status: 429 });
      reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limit.retryAfter) });
      return;
    }
    this.calls.push({ method, body, at, status: 200 });
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1] ?? (typeof body.token === 'string' ? body.token : '');
    const refused = this.rejectedTokens.get(bearer);
    if (refused) {
      reply(200, { ok: false, error: refused });
      return;
    }
    switch (method) {
      case 'auth.test':
        reply(200, { ok: true, user_id: BOT_USER_ID, bot_id: BOT_ID, team_id: TEAM_ID, team: 'Newsroom', user: 'newsroom' });
        return;
      case 'apps.connections.open':
        reply(200, { ok: true, url: `ws://127.0.0.1:${this.port}/socket-mode` });
        return;
      case 'chat.postMessage':
        reply(200, { ok: true, channel: body.channel, ts: `${this.nextTs++}.000100`, message: { text: body.text } });
        return;
      case 'conversations.open': {
        // The DM channel with one user (scope im:write): a stable id per user, as Slack's.
        const users = String(body.users ?? '');
        if (!/^[UW][A-Z0-9]+$/.test(users)) {
          reply(200, { ok: false, error: 'user_not_found' });
          return;
        }
        reply(200, { ok: true, channel: { id: `D${users.slice(1)}` } });
        return;
      }
      case 'chat.postEphemeral':
        reply(200, { ok: true, message_ts: `${this.nextTs++}.000200` });
        return;
      default:
        reply(200, { ok: false, error: 'unknown_method' });
    }
  }
}

/** Slack's v0 request signature for `body` sent at `timestamp` (seconds). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** What the Bolt app answered to one signed request. */
export interface SentRequest {
  status: number;
  body: string;
  /** ms from sending to the full response. */
  ms: number;
}

/** Posts `body` to the Bolt app as Slack would, signed with `secret` (or a given signature / timestamp). */
export async function sendToApp(
  appUrl: string,
  body: string,
  contentType: 'application/x-www-form-urlencoded' | 'application/json',
  secret: string,
  opts: { timestamp?: number; signature?: string; headers?: Record<string, string> } = {},
): Promise<SentRequest> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? slackSignature(secret, timestamp, body);
  const started = performance.now();
  const res = await fetch(appUrl, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...opts.headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

/** Form body of a slash command as Slack sends it. */
export function slashCommandBody(fields: { command: string; text: string; responseUrl: string; userId?: string; channelId?: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    team_domain: 'newsroom',
    channel_id: fields.channelId ?? 'C0DESK',
    channel_name: 'world-desk',
    user_id: fields.userId ?? 'U0EDITOR',
    user_name: 'editor',
    command: fields.command,
    text: fields.text,
    api_app_id: 'A0NEWSBOT',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
  }).toString();
}

/** JSON body of an Events API delivery of an app mention. */
export function appMentionBody(fields: { eventId: string; text: string; ts: string; threadTs?: string; channel?: string; user?: string }): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0NEWSBOT',
    type: 'event_callback',
    event_id: fields.eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    event: {
      type: 'app_mention',
      user: fields.user ?? 'U0EDITOR',
      text: fields.text,
      ts: fields.ts,
      ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
      channel: fields.channel ?? 'C0DESK',
      event_ts: fields.ts,
    },
  });
}

/** JSON body of an Events API delivery of a direct message to the bot. */
export function directMessageBody(fields: { eventId: string; text: string; ts: string; channel?: string; user?: string }): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: TEAM_ID,
    api_app_id: 'A0NEWSBOT',
    type: 'event_callback',
    event_id: fields.eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      channel_type: 'im',
      user: fields.user ?? 'U0EDITOR',
      text: fields.text,
      ts: fields.ts,
      channel: fields.channel ?? 'D0EDITOR',
      event_ts: fields.ts,
    },
  });
}

/** Form body of a block_actions interaction (a button click). */
export function buttonClickBody(fields: { actionId: string; value: string; responseUrl: string; userId?: string; channelId?: string }): string {
  const payload = {
    type: 'block_actions',
    team: { id: TEAM_ID, domain: 'newsroom' },
    user: { id: fields.userId ?? 'U0EDITOR', username: 'editor', team_id: TEAM_ID },
    api_app_id: 'A0NEWSBOT',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: fields.channelId ?? 'C0DESK', is_ephemeral: false },
    trigger_id: '13345224609.738474920.8088930838d88f008e0',
    channel: { id: fields.channelId ?? 'C0DESK', name: 'world-desk' },
    message: { type: 'message', ts: '1700000000.000100', text: 'earlier answer' },
    response_url: fields.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: fields.actionId,
        block_id: 'more',
        text: { type: 'plain_text', text: 'More' },
        value: fields.value,
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
