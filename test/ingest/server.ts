/**
 * A tiny HTTP server on 127.0.0.1 for ingest tests: routes map a path to a handler; every
 * request is recorded (path and headers) so tests can check conditional GETs.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  path: string;
  headers: http.IncomingHttpHeaders;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  requests: Recorded[];
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** Serves `body` (string or bytes) with a content type and optional extra headers. */
export function send(body: string | Uint8Array, contentType: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, ...headers });
    res.end(body);
  };
}

/**
 * Serves `body` with an ETag and Last-Modified, answering 304 when the request's
 * If-None-Match or If-Modified-Since matches (RFC 9110 §13.1).
 */
export function conditional(get: () => { body: string | Uint8Array; etag: string; lastModified: string }, contentType: string): Handler {
  return (req, res) => {
    const cur = get();
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((inm && inm === cur.etag) || (!inm && ims && ims === cur.lastModified)) {
      res.writeHead(304, { etag: cur.etag, 'last-modified': cur.lastModified });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': contentType, etag: cur.etag, 'last-modified': cur.lastModified });
    res.end(cur.body);
  };
}

/** Starts a server on 127.0.0.1 with a random port. Unknown paths get 404. */
export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>();
  const requests: Recorded[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    requests.push({ path, headers: req.headers });
    const h = routes.get(path);
    if (!h) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    h(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (p, h) => routes.set(p, h),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Fetch limits letting ingest tests reach this server (loopback is refused unless allow-listed). */
export const LOCAL_FETCH = { allow: ['127.0.0.1'] } as const;
