/**
 * A fake Discord on 127.0.0.1 for tests that run the REAL discord.js client (and the real
 * register script) against it:
 *
 * - REST over HTTP under `/api/v10`: `GET /gateway/bot`, interaction callbacks
 *   (`POST /interactions/:id/:token/callback`), webhook edits, deletes and follow-ups
 *   (`/webhooks/:app/:token[/messages/@original]`), and bulk command overwrites
 *   (`PUT /applications/:app[/guilds/:guild]/commands`). Every request is recorded with its
 *   parsed JSON body. Authenticated routes check `Authorization: Bot <token>` and answer 401 otherwise.
 * - A gateway WebSocket (the `ws` package) at `/gateway`: sends HELLO (op 10), accepts IDENTIFY
 *   (op 2, recorded with its shard) and heartbeats (op 1, answered with op 11), sends READY, and
 *   lets a test dispatch `INTERACTION_CREATE` payloads to the session of a given shard.
 *
 * Only loopback addresses are ever used.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const FAKE_TOKEN = 'fake-bot-token-0123456789abcdef';
export const FAKE_APP_ID = '100000000000000001';
export const FAKE_BOT_USER_ID = '100000000000000001';
export const FAKE_GUILD_ID = '200000000000000002';
export const FAKE_CHANNEL_ID = '300000000000000003';
export const FAKE_USER_ID = '400000000000000004';

/** One REST request as the fake received it. `path` is relative to `/api/v10`. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: any;
  at: number;
}

/** An IDENTIFY the gateway received. */
export interface RecordedIdentify {
  token: string;
  intents: number;
  shard: [number, number] | null;
  compress: boolean | undefined;
  /** Query string the client connected with (`v=10&encoding=json`). */
  query: string;
}

interface Session {
  ws: WebSocket;
  shard: [number, number] | null;
  seq: number;
  ready: boolean;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

let snowflakeCounter = 0n;
/** A fresh, increasing snowflake-shaped id. */
export function snowflake(): string {
  snowflakeCounter += 1n;
  return (BigInt(Date.now() - 1420070400000) * 4194304n + snowflakeCounter).toString();
}

export interface FakeDiscordOptions {
  token?: string;
  /** Shard count `GET /gateway/bot` recommends. Default 1. */
  recommendedShards?: number;
  /** Heartbeat interval sent in HELLO (ms). Default 400, so tests see heartbeats. */
  heartbeatIntervalMs?: number;
}

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  readonly identifies: RecordedIdentify[] = [];
  heartbeats = 0;
  /** Commands currently registered: key "global" or a guild id. */
  readonly commands = new Map<string, any[]>();
  private readonly sessions = new Set<Session>();
  private readonly waiters = new Set<() => void>();
  private constructor(
    private readonly server: http.Server,
    private readonly wss: WebSocketServer,
    readonly options: Required<FakeDiscordOptions>,
  ) {}

  /** Starts the fake on a free port of 127.0.0.1. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const opts: Required<FakeDiscordOptions> = {
      token: options.token ?? FAKE_TOKEN,
      recommendedShards: options.recommendedShards ?? 1,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 400,
    };
    const server = http.createServer();
    const wss = new WebSocketServer({ server, path: '/gateway' });
    const fake = new FakeDiscord(server, wss, opts);
    server.on('request', (req, res) => void fake.onRequest(req, res));
    wss.on('connection', (ws, req) => fake.onConnection(ws, req.url ?? ''));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  /** REST base for discord.js's `rest.api` option / DISCORD_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** Stops everything: closes gateway sessions (code 1000) and the HTTP server. */
  async close(): Promise<void> {
    for (const s of this.sessions) s.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves with `check()`'s first non-undefined value, re-checked on every request/gateway event. */
  waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 8000): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const waiter = () => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(v);
      };
      this.waiters.add(waiter);
    });
  }

  /** Waits for a recorded request matching `pred`. */
  waitForRequest(pred: (r: RecordedRequest) => boolean, what = 'a request', timeoutMs = 8000): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests.find(pred), what, timeoutMs);
  }

  /** All requests about one interaction: its callbacks and the webhook calls made with its token. */
  requestsFor(interaction: { id: string; token: string }): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.startsWith(`/interactions/${interaction.id}/`) || r.path.includes(`/${interaction.token}`),
    );
  }

  /** Gateway connections currently open. */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** Waits until `count` gateway sessions have been sent READY. */
  waitForReady(count = 1, timeoutMs = 10_000): Promise<number> {
    return this.waitFor(() => {
      const n = [...this.sessions].filter((s) => s.ready).length;
      return n >= count ? n : undefined;
    }, `${count} READY session(s)`, timeoutMs);
  }

  /** Sends a dispatch to the ready session of `shardId` (or the only one). */
  dispatch(t: string, d: unknown, shardId = 0): void {
    const session = [...this.sessions].find((s) => s.ready && (s.shard === null ? shardId === 0 : s.shard[0] === shardId));
    if (!session) throw new Error(`fake Discord: no ready session for shard ${shardId}`);
    session.seq += 1;
    session.ws.send(JSON.stringify({ op: 0, t, s: session.seq, d }));
  }

  /** Dispatches INTERACTION_CREATE and returns the payload. */
  interact(payload: InteractionPayload, shardId = 0): InteractionPayload {
    this.dispatch('INTERACTION_CREATE', payload, shardId);
    return payload;
  }

  // ---------------------------------------------------------------------------------------------

  private onConnection(ws: WebSocket, url: string): void {
    const session: Session = { ws, shard: null, seq: 0, ready: false };
    this.sessions.add(session);
    ws.on('close', () => {
      this.sessions.delete(session);
      this.notify();
    });
    ws.on('message', (raw) => {
      let msg: { op: number; d: any };
      try {
        msg = JSON.parse(String(raw));
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (msg.op === 1) {
        this.heartbeats += 1;
        ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      } else if (msg.op === 2) {
        const d = msg.d ?? {};
        const identify: RecordedIdentify = {
          token: d.token,
          intents: d.intents,
          shard: Array.isArray(d.shard) ? [d.shard[0], d.shard[1]] : null,
          compress: d.compress,
          query: url.includes('?') ? url.slice(url.indexOf('?') + 1) : '',
        };
        this.identifies.push(identify);
        if (d.token !== this.options.token) {
          ws.close(4004, 'Authentication failed.');
          return;
        }
        session.shard = identify.shard;
        session.seq += 1;
        ws.send(
          JSON.stringify({
            op: 0,
            t: 'READY',
            s: session.seq,
            d: {
              v: 10,
              user: { id: FAKE_BOT_USER_ID, username: 'newsroom-bot', discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
              guilds: [],
              session_id: `session-${snowflake()}`,
              resume_gateway_url: this.gatewayUrl,
              shard: identify.shard ?? [0, 1],
              application: { id: FAKE_APP_ID, flags: 0 },
            },
          }),
        );
        session.ready = true;
      }
      this.notify();
    });
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.options.heartbeatIntervalMs }, s: null, t: null }));
    this.notify();
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const path = url.pathname.replace(/^\/api\/v10/, '').split('/').map(safeDecode).join('/');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      authorization: req.headers.authorization,
      body,
      at: Date.now(),
    };
    const send = (status: number, json?: unknown) => {
      if (json === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const authed = () => {
      if (req.headers.authorization === `Bot ${this.options.token}`) return true;
      send(401, { message: '401: Unauthorized', code: 0 });
      return false;
    };
    try {
      if (!url.pathname.startsWith('/api/v10/')) return send(404, { message: '404: Not Found', code: 0 });
      let m: RegExpExecArray | null;
      if (rec.method === 'GET' && path === '/gateway/bot') {
        if (!authed()) return;
        return send(200, {
          url: this.gatewayUrl,
          shards: this.options.recommendedShards,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        });
      }
      if (rec.method === 'GET' && path === '/gateway') return send(200, { url: this.gatewayUrl });
      if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && rec.method === 'POST') {
        return send(204);
      }
      if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.exec(path))) {
        if (rec.method === 'PATCH') return send(200, this.message(body, m[1]!));
        if (rec.method === 'DELETE') return send(204);
        if (rec.method === 'GET') return send(200, this.message({}, m[1]!));
      }
      if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && rec.method === 'POST') {
        return send(200, this.message(body, m[1]!));
      }
      if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)) && rec.method === 'PUT') {
        if (!authed()) return;
        const list = (Array.isArray(body) ? body : []).map((c: any) => ({
          id: snowflake(),
          application_id: m![1],
          ...(m![2] ? { guild_id: m![2] } : {}),
          version: snowflake(),
          type: 1,
          ...c,
        }));
        this.commands.set(m[2] ?? 'global', list);
        return send(200, list);
      }
      send(404, { message: 'Unknown route in fake Discord', code: 0 });
    } finally {
      this.requests.push(rec);
      this.notify();
    }
  }

  /** A message object as Discord returns it for webhook edits and follow-ups. */
  private message(body: any, appId: string): unknown {
    return {
      id: snowflake(),
      type: 20,
      channel_id: FAKE_CHANNEL_ID,
      application_id: appId,
      webhook_id: appId,
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
      flags: body?.flags ?? 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Interaction payloads, shaped like Discord's (API v10).

export type InteractionPayload = Record<string, any> & { id: string; token: string };

function base(type: number, userId = FAKE_USER_ID): InteractionPayload {
  const id = snowflake();
  return {
    id,
    application_id: FAKE_APP_ID,
    type,
    token: `itoken-${id}-${'x'.repeat(40)}`,
    version: 1,
    guild_id: FAKE_GUILD_ID,
    channel_id: FAKE_CHANNEL_ID,
    channel: { id: FAKE_CHANNEL_ID, type: 0, guild_id: FAKE_GUILD_ID, name: 'newsdesk' },
    member: {
      user: { id: userId, username: 'editor', discriminator: '0', global_name: 'Editor', avatar: null },
      roles: [],
      permissions: '2248473465835073',
      joined_at: '2024-01-01T00:00:00.000000+00:00',
      deaf: false,
      mute: false,
      flags: 0,
      nick: null,
      avatar: null,
      premium_since: null,
      pending: false,
    },
    locale: 'en-GB',
    guild_locale: 'en-US',
    app_permissions: '2248473465835073',
    entitlements: [],
    authorizing_integration_owners: { '0': FAKE_GUILD_ID },
    context: 0,
    attachment_size_limit: 8388608,
  };
}

/** A slash command invocation (`type: 2`), e.g. `slashCommand('quotes', { speaker: 'zakharova' })`. */
export function slashCommand(name: string, options: Record<string, string> = {}, userId?: string): InteractionPayload {
  return {
    ...base(2, userId),
    data: {
      id: snowflake(),
      name,
      type: 1,
      guild_id: FAKE_GUILD_ID,
      options: Object.entries(options).map(([n, value]) => ({ name: n, type: 3, value })),
    },
  };
}

/** An autocomplete request (`type: 4`) with `focused` being typed. */
export function autocomplete(name: string, focused: string, value: string): InteractionPayload {
  return {
    ...base(4),
    data: { id: snowflake(), name, type: 1, guild_id: FAKE_GUILD_ID, options: [{ name: focused, type: 3, value, focused: true }] },
  };
}

/** A button click (`type: 3`) on a message the bot sent. */
export function buttonClick(customId: string, message: { embeds?: unknown[]; components?: unknown[]; flags?: number } = {}): InteractionPayload {
  return {
    ...base(3),
    data: { custom_id: customId, component_type: 2 },
    message: {
      id: snowflake(),
      type: 20,
      channel_id: FAKE_CHANNEL_ID,
      author: { id: FAKE_BOT_USER_ID, username: 'newsroom-bot', discriminator: '0', avatar: null, bot: true },
      content: '',
      embeds: message.embeds ?? [],
      components: message.components ?? [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: message.flags ?? 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      application_id: FAKE_APP_ID,
      webhook_id: FAKE_APP_ID,
    },
  };
}
