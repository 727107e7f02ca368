/**
 * Health endpoints for process managers and orchestrators in serve mode: a small HTTP server
 * (node:http) on loopback by default, port from HEALTH_PORT, off unless set.
 *
 * - `GET /healthz` (liveness): 200 `{"status":"ok"}` while the process's event loop answers.
 * - `GET /readyz` (readiness): 200 `{"status":"ready"}` once the index is open and the chat
 *   adapters are serving; 503 `{"status":"starting"}` before that and `{"status":"stopping"}`
 *   once shutdown has begun (so a load balancer stops sending work while commands drain).
 * - `HEAD` works like `GET` without a body; other methods get 405, other paths 404.
 *
 * Liveness and readiness follow the Kubernetes probe convention (a failed liveness probe means
 * restart, a failed readiness probe means no traffic).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where the service is in its life: readiness is `ready` only. */
export type HealthState = 'starting' | 'ready' | 'stopping';

/** A running health server. */
export interface HealthServer {
  /** The port it listens on (useful with port 0). */
  port: number;
  /** Sets what `/readyz` reports. */
  setState(state: HealthState): void;
  state(): HealthState;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts the health server.
 * @param opts.port TCP port (0: a free one)
 * @param opts.host address to listen on, default `127.0.0.1`
 * @throws Error when the port cannot be bound (e.g. EADDRINUSE), with the port in the message
 */
export async function startHealthServer(opts: { port: number; host?: string; state?: HealthState }): Promise<HealthServer> {
  let state: HealthState = opts.state ?? 'starting';
  const started = Date.now();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)), ...headers });
      res.end(req.method === 'HEAD' ? undefined : text);
    };
    if (path !== '/healthz' && path !== '/readyz') return send(404, { error: 'not found' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    if (path === '/healthz') return send(200, { status: 'ok', uptimeSeconds: Math.floor((Date.now() - started) / 1000) });
    return send(state === 'ready' ? 200 : 503, { status: state });
  });
  server.keepAliveTimeout = 1000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`health server cannot listen on ${host}:${opts.port}: ${err.code ?? err.message}`)));
    server.listen(opts.port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setState: (s) => {
      state = s;
    },
    state: () => state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
