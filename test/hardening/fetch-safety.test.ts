/**
 * URL ingestion safety (issue 7): only http(s); private, loopback, link-local, CGNAT, multicast,
 * unspecified (IPv4 and IPv6, IPv4-mapped included) refused after DNS resolution and before any
 * connection, unless allow-listed in `fetch.allow`; every redirect re-checked; timeouts and size
 * caps. All traffic stays on 127.0.0.1: refused literal addresses (10.0.0.1, …) are asserted
 * never to reach a socket `connect`.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AllowList, blockedReason, embeddedIpv4 } from '../../src/ingest/address.js';
import { FeedSource } from '../../src/ingest/feed.js';
import { fetchUrl } from '../../src/ingest/fetch.js';
import { PageSource } from '../../src/ingest/page.js';
import { UrlSource } from '../../src/ingest/resolve.js';
import { parseConfigFile } from '../../src/config/index.js';
import type { SourceItem } from '../../src/ingest/types.js';
import { send, startServer, type TestServer } from '../ingest/server.js';

const ALLOW = ['127.0.0.1'];

/** Every host a socket tried to connect to while a test ran. */
let connects: string[] = [];
const originalConnect = net.Socket.prototype.connect;
beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    const opts = Array.isArray(first) ? first[0] : first;
    const host = typeof opts === 'object' && opts !== null ? ((opts as { host?: string; path?: string }).host ?? (opts as { path?: string }).path ?? '?') : String(args[1] ?? '?');
    connects.push(host);
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
});
afterAll(() => {
  net.Socket.prototype.connect = originalConnect;
});
beforeEach(() => {
  connects = [];
});

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
  server.route('/story', send('<html><body><article><h1>Harbour reopens</h1><p>The harbour reopened on Monday after repairs to the sea wall.</p></article></body></html>', 'text/html; charset=utf-8'));
  server.route('/to-private', (_req, res) => {
    res.writeHead(302, { location: 'http://10.0.0.1/internal' });
    res.end();
  });
  server.route('/to-mapped', (_req, res) => {
    res.writeHead(301, { location: 'http://[::ffff:a9fe:a9fe]/latest/meta-data' });
    res.end();
  });
  server.route('/to-other-loopback', (_req, res) => {
    res.writeHead(307, { location: `http://127.0.0.2:${new URL(server.url).port}/story` });
    res.end();
  });
  server.route('/to-story', (_req, res) => {
    res.writeHead(302, { location: '/story' });
    res.end();
  });
  server.route('/hang', () => undefined);
  server.route('/big-declared', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(5_000_000) });
    res.write('<p>');
    // never finishes: the declared length alone must be enough to refuse
  });
  server.route('/big-chunked', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    for (let i = 0; i < 64; i++) res.write('x'.repeat(4096));
    res.end();
  });
  server.route('/feed', send(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title><link>http://127.0.0.1/</link><description>d</description>
<item><title>Council vote</title><link>http://10.0.0.1/council</link><guid>c1</guid><description>The council voted on the budget on Tuesday night after a long debate.</description></item>
</channel></rss>`, 'application/rss+xml'));
});
afterAll(async () => server.close());
afterEach(() => {
  // Nothing in this file may connect anywhere but loopback.
  for (const h of connects) expect(h === '127.0.0.1' || h === 'localhost' || h.startsWith('/') || h === '?').toBe(true);
});

async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const i of items) out.push(i);
  return out;
}

describe('address ranges', () => {
  it.each([
    ['10.0.0.1', 'private'], ['172.16.5.4', 'private'], ['172.31.255.255', 'private'], ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['169.254.169.254', 'link-local'], ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.254', 'shared (CGNAT)'], ['224.0.0.251', 'multicast'], ['239.1.2.3', 'multicast'], ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'reserved or broadcast'], ['198.18.0.1', 'benchmarking'], ['192.0.2.7', 'documentation'],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['fd00:ab::1', 'private (unique local)'],
    ['fc00::1', 'private (unique local)'], ['ff02::1', 'multicast'], ['2001:db8::5', 'documentation'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:10.1.2.3', 'private'], ['[::ffff:a9fe:a9fe]', 'link-local'],
    ['64:ff9b::c0a8:101', 'private'], ['::ffff:0.0.0.0', 'unspecified'],
  ])('%s is refused as %s', (addr, kind) => {
    expect(blockedReason(addr)).toMatch(new RegExp(`^${kind.replace(/[()]/g, '\\$&')} address`));
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '2a00:1450:4009:81f::200e', '::ffff:8.8.4.4'])(
    '%s is public',
    (addr) => expect(blockedReason(addr)).toBeNull(),
  );

  it('unwraps IPv4 from mapped, compatible and NAT64 forms only', () => {
    expect(embeddedIpv4('::ffff:c0a8:1')).toBe('192.168.0.1');
    expect(embeddedIpv4('64:ff9b::808:808')).toBe('8.8.8.8');
    expect(embeddedIpv4('::1')).toBeNull();
    expect(embeddedIpv4('2606:4700::1')).toBeNull();
    expect(blockedReason('localhost')).toMatch(/not an IP address/);
  });

  it('allow list matches names, addresses, ranges and mapped forms', () => {
    const a = new AllowList(['127.0.0.1', 'Wire.Internal.', '10.20.0.0/16', 'fd00::/8']);
    expect([a.allowsAddress('127.0.0.1'), a.allowsAddress('::ffff:127.0.0.1'), a.allowsAddress('127.0.0.2')]).toEqual([true, true, false]);
    expect([a.allowsAddress('10.20.9.9'), a.allowsAddress('10.21.0.1'), a.allowsAddress('fd12::1'), a.allowsAddress('fe80::1')]).toEqual([true, false, true, false]);
    expect([a.allowsName('wire.internal'), a.allowsName('WIRE.INTERNAL'), a.allowsName('evil.internal')]).toEqual([true, true, false]);
    expect(new AllowList([]).allowsAddress('127.0.0.1')).toBe(false);
  });

  it('config fetch.allow is validated and names the bad entry', () => {
    expect(parseConfigFile({ fetch: { allow: ['127.0.0.1', 'wire.internal', '10.0.0.0/8'] } }).fetch.allow).toEqual(['127.0.0.1', 'wire.internal', '10.0.0.0/8']);
    expect(parseConfigFile({}).fetch.allow).toEqual([]);
    expect(() => parseConfigFile({ fetch: { allow: ['10.0.0.0/40'] } })).toThrow(/fetch\.allow\.0/);
    expect(() => parseConfigFile({ fetch: { allow: ['http://x/'] } })).toThrow(/host name, IP address or CIDR range/);
  });
});

describe('fetching', () => {
  it('refuses a loopback server without the allow list, before any request reaches it', async () => {
    const before = server.requests.length;
    await expect(fetchUrl(`${server.url}/story`)).rejects.toThrow(/refused: loopback address 127\.0\.0\.1.*fetch\.allow/);
    expect(server.requests.length).toBe(before);
    expect(connects).toEqual([]);
  });

  it('fetches it when 127.0.0.1 is allow-listed', async () => {
    const res = await fetchUrl(`${server.url}/story`, { allow: ALLOW });
    expect(res.status).toBe('ok');
    if (res.status === 'ok') expect(new TextDecoder().decode(res.bytes)).toContain('Harbour reopens');
    expect(connects).toContain('127.0.0.1');
  });

  it('refuses a host name resolving to loopback, naming the host', async () => {
    await expect(fetchUrl(`http://localhost:${new URL(server.url).port}/story`)).rejects.toThrow(/refused: loopback address .*\(localhost resolves to it\)/);
    expect(connects).toEqual([]);
  });

  it.each(['http://10.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:10.0.0.1]/', 'http://[::ffff:a00:1]:8080/x', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::]/', 'http://[fe80::1]/', 'http://224.0.0.1/', 'https://192.168.0.10/'])(
    'refuses %s without connecting, even with 127.0.0.1 allowed',
    async (url) => {
      await expect(fetchUrl(url, { allow: ALLOW, timeoutMs: 2000 })).rejects.toThrow(/refused: /);
      expect(connects).toEqual([]);
    },
  );

  it('refuses other schemes', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'gopher://127.0.0.1/', 'data:text/html,hi']) {
      await expect(fetchUrl(url, { allow: ALLOW })).rejects.toThrow(/only http and https/);
    }
    expect(connects).toEqual([]);
  });

  it('re-checks every redirect: to a private, an IPv4-mapped link-local or a loopback address not allowed', async () => {
    await expect(fetchUrl(`${server.url}/to-private`, { allow: ALLOW })).rejects.toThrow(/http:\/\/10\.0\.0\.1\/internal: refused: private address 10\.0\.0\.1/);
    await expect(fetchUrl(`${server.url}/to-mapped`, { allow: ALLOW })).rejects.toThrow(/refused: link-local address 169\.254\.169\.254 \(inside IPv6/);
    await expect(fetchUrl(`${server.url}/to-other-loopback`, { allow: ALLOW })).rejects.toThrow(/refused: loopback address 127\.0\.0\.2/);
    expect(connects.every((h) => h === '127.0.0.1')).toBe(true);
    expect(connects.length).toBe(3); // one per first hop, none for the refused targets
    const ok = await fetchUrl(`${server.url}/to-story`, { allow: ALLOW });
    expect(ok.status === 'ok' && ok.url).toBe(`${server.url}/story`);
  });

  it('times out a server that never answers', async () => {
    const t0 = Date.now();
    await expect(fetchUrl(`${server.url}/hang`, { allow: ALLOW, timeoutMs: 300 })).rejects.toThrow(/timed out after 300 ms/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('caps the body: by declared length and while streaming', async () => {
    await expect(fetchUrl(`${server.url}/big-declared`, { allow: ALLOW, maxBytes: 100_000, timeoutMs: 3000 })).rejects.toThrow(/: too large \(4\.8 MiB; the limit is 97\.7 KiB\)$/);
    await expect(fetchUrl(`${server.url}/big-chunked`, { allow: ALLOW, maxBytes: 100_000 })).rejects.toThrow(/: too large \(over the limit of 97\.7 KiB\)$/);
    const fits = await fetchUrl(`${server.url}/big-chunked`, { allow: ALLOW, maxBytes: 300_000 });
    expect(fits.status === 'ok' && fits.bytes.byteLength).toBe(64 * 4096);
  });
});

describe('sources pass the allow list on', () => {
  it('a page source refuses loopback by default and fetches it when allowed', async () => {
    await expect(collect(new PageSource(`${server.url}/story`).items())).rejects.toThrow(/refused: loopback/);
    const items = await collect(new PageSource(`${server.url}/story`, { fetch: { allow: ALLOW } }).items());
    expect(items).toHaveLength(1);
    expect(items[0]!.ok).toBe(true);
  });

  it('a URL given to `cli ingest` is refused the same way', async () => {
    await expect(collect(new UrlSource(`${server.url}/story`).items())).rejects.toThrow(/refused: loopback/);
  });

  it("a feed item's link to a private address is not fetched; the item keeps its feed text", async () => {
    const warnings: string[] = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (o: object) => void warnings.push(JSON.stringify(o)) };
    const items = await collect(new FeedSource(`${server.url}/feed`, { fullText: 'always', fetch: { allow: ALLOW }, logger }).items());
    expect(items).toHaveLength(1);
    expect(items[0]!.ok && items[0]!.input.text).toContain('voted on the budget');
    expect(warnings.some((w) => /refused: private address 10\.0\.0\.1/.test(w))).toBe(true);
    expect(connects.every((h) => h === '127.0.0.1')).toBe(true);
  });
});
