/**
 * Fetching pages and feeds over HTTP(S) with the limits a bot needs: only `http:` and `https:`,
 * only public addresses unless allow-listed (see `address.ts`; checked after DNS resolution
 * and before any connection, on every redirect hop, and again inside the connection's own
 * lookup so a host cannot re-resolve to a private address in between), a timeout on the whole
 * exchange, a size cap on the body, and conditional GET (RFC 9110 §13: `If-None-Match` /
 * `If-Modified-Since`, answered by 304). HTTP is undici's (the library behind Node's `fetch`),
 * with a dispatcher of our own so the address check governs the connection.
 */
import dns from 'node:dns';
import net from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { AllowList, blockedReason, unbracket } from './address.js';
import { tooLargeReason } from './size.js';

/** Limits and validators for one fetch. */
export interface FetchOptions {
  /** Whole-exchange timeout in milliseconds (headers and body). Default 15 000. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. Default 10 MiB. */
  maxBytes?: number;
  /** Most redirects followed. Default 5. */
  maxRedirects?: number;
  /** Sent as `If-None-Match` (a previous response's `ETag`). */
  etag?: string | null;
  /** Sent as `If-Modified-Since` (a previous response's `Last-Modified`). */
  lastModified?: string | null;
  /** `Accept` header. */
  accept?: string;
  /** Cancels the fetch. */
  signal?: AbortSignal;
  /**
   * Hosts, addresses and CIDR ranges that may be fetched although private, loopback or
   * otherwise special (config `fetch.allow`). Default: none.
   */
  allow?: readonly string[];
}

/** The limits a source passes on to each of its fetches (from the config's `sources` and `fetch`). */
export type FetchLimits = Pick<FetchOptions, 'timeoutMs' | 'maxBytes' | 'maxRedirects' | 'allow'>;

/** A fetched resource, or a 304 answer to a conditional GET. */
export type FetchResult =
  | {
      status: 'ok';
      /** The final URL after redirects. */
      url: string;
      bytes: Uint8Array;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
    }
  | { status: 'not-modified'; url: string; etag: string | null; lastModified: string | null };

/** A fetch that failed: bad URL, scheme, status, timeout, size or network error. The message says which. */
export class FetchError extends Error {
  constructor(
    message: string,
    /** The HTTP status when the server answered with an error status. */
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const USER_AGENT = 'newsroom-bot/0.1 (story ingest)';

/**
 * Parses and checks a URL for fetching.
 * @throws FetchError when it is not an absolute http(s) URL or carries credentials
 */
export function checkUrl(raw: string, base?: string): URL {
  let u: URL;
  try {
    u = new URL(raw, base);
  } catch {
    throw new FetchError(`not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FetchError(`only http and https URLs can be fetched, not ${u.protocol.replace(/:$/, '')}: ${u.href.slice(0, 200)}`);
  }
  if (u.username || u.password) throw new FetchError(`URLs with credentials are not fetched: ${u.host}`);
  return u;
}

/** True for strings that look like http(s) URLs (used to tell URLs from paths). */
export function isHttpUrl(s: string): boolean {
  return /^https?:\/\//i.test(s.trim());
}

/** The part of a fetch response `readCapped` reads. */
interface BodyResponse {
  headers: { get(name: string): string | null };
  body: ReadableStream<Uint8Array> | null;
}

/** Reads a body stream up to `maxBytes`. */
async function readCapped(res: BodyResponse, maxBytes: number, href: string): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new FetchError(`${href}: ${tooLargeReason(declared, maxBytes)}`);
  }
  if (!res.body) return new Uint8Array(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new FetchError(`${href}: ${tooLargeReason(null, maxBytes)}`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A readable reason for a network-level failure. */
function describe(err: unknown, href: string, timeoutMs: number, timedOut: boolean): FetchError {
  if (err instanceof FetchError) return err;
  if ((err as { cause?: unknown })?.cause instanceof FetchError) return (err as { cause: FetchError }).cause;
  if (timedOut) return new FetchError(`${href}: timed out after ${timeoutMs} ms`);
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'AbortError') return new FetchError(`${href}: cancelled`);
  const cause = e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
  return new FetchError(`${href}: ${cause}`);
}

/** The refusal for a blocked address. */
function refusal(href: string, host: string, reason: string): FetchError {
  const via = net.isIP(unbracket(host)) ? '' : ` (${host} resolves to it)`;
  return new FetchError(`${href}: refused: ${reason}${via}; only public addresses are fetched unless listed in fetch.allow in the config`);
}

/**
 * Checks that a URL's host may be fetched: allowed by name, or every address it resolves to
 * (or the literal address) is public or allow-listed. Resolves before any connection is made.
 * @throws FetchError naming the refused address, or when the host cannot be resolved
 */
export async function checkHost(u: URL, allow: AllowList): Promise<void> {
  const host = unbracket(u.hostname);
  if (allow.allowsName(host)) return;
  if (net.isIP(host)) {
    const r = allow.allowsAddress(host) ? null : blockedReason(host);
    if (r) throw refusal(u.href, host, r);
    return;
  }
  let addrs: dns.LookupAddress[];
  try {
    addrs = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch (err) {
    throw new FetchError(`${u.href}: cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  for (const a of addrs) {
    const r = allow.allowsAddress(a.address) ? null : blockedReason(a.address);
    if (r) throw refusal(u.href, host, r);
  }
}

/**
 * A `lookup` for the connection that refuses blocked addresses, so the address connected to is
 * one that passed the check even if DNS answers differently the second time.
 */
function guardedLookup(allow: AllowList): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      if (!allow.allowsName(hostname)) {
        for (const a of list) {
          const r = allow.allowsAddress(a.address) ? null : blockedReason(a.address);
          if (r) return callback(refusal(`http://${hostname}/`, hostname, r) as unknown as NodeJS.ErrnoException, '', 0);
        }
      }
      if ((options as dns.LookupOptions).all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * GETs a URL within the limits of `opts`.
 * @returns the body and validators, or `not-modified` when a conditional GET is answered 304
 * @throws FetchError for a non-http(s) URL or redirect, a private/loopback/link-local (etc.) address not in
 *   `opts.allow` (before connecting), an error status, a timeout, an oversized body or a network error
 */
export async function fetchUrl(url: string, opts: FetchOptions = {}): Promise<FetchResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? 5;
  let target = checkUrl(url);
  const allow = new AllowList(opts.allow ?? []);
  const dispatcher = new Agent({ connect: { lookup: guardedLookup(allow) } });
  const timer = new AbortController();
  let timedOut = false;
  const t = setTimeout(() => {
    timedOut = true;
    timer.abort();
  }, timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timer.signal]) : timer.signal;
  try {
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: opts.accept ?? '*/*' };
      if (opts.etag) headers['if-none-match'] = opts.etag;
      if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
      await checkHost(target, allow);
      const res = await undiciFetch(target, { headers, redirect: 'manual', signal, dispatcher });
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        const loc = res.headers.get('location');
        await res.body?.cancel().catch(() => undefined);
        if (!loc) throw new FetchError(`${target.href}: redirect ${res.status} without a Location`, res.status);
        if (hop >= maxRedirects) throw new FetchError(`${url}: more than ${maxRedirects} redirects`);
        target = checkUrl(loc, target.href);
        continue;
      }
      const etag = res.headers.get('etag');
      const lastModified = res.headers.get('last-modified');
      if (res.status === 304) {
        await res.body?.cancel().catch(() => undefined);
        return { status: 'not-modified', url: target.href, etag: etag ?? opts.etag ?? null, lastModified: lastModified ?? opts.lastModified ?? null };
      }
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel().catch(() => undefined);
        throw new FetchError(`${target.href}: HTTP ${res.status}`, res.status);
      }
      const bytes = await readCapped(res, maxBytes, target.href);
      return { status: 'ok', url: target.href, bytes, contentType: res.headers.get('content-type'), etag, lastModified };
    }
  } catch (err) {
    throw describe(err, target.href, timeoutMs, timedOut);
  } finally {
    clearTimeout(t);
    void dispatcher.close().catch(() => undefined);
  }
}
