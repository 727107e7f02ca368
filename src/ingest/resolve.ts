/**
 * Turning what a user types after `cli ingest` (a path, a page URL or a feed URL) into a source.
 * A URL is fetched once and sniffed: an RSS/Atom document is read as a feed (with full text for
 * teaser items), JSON as ninjs, anything else as a web page.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeBytes } from './charset.js';
import { feedSourceItems, FeedFileSource, looksLikeFeed, parseFeed, type FeedSourceOptions } from './feed.js';
import { fetchUrl, isHttpUrl, type FetchLimits } from './fetch.js';
import { FileSource, FolderSource } from './folder.js';
import { htmlToArticleInput } from './html.js';
import { ninjsItems } from './ninjs.js';
import type { IngestLogger, Source, SourceItem } from './types.js';

/** Options shared by the sources a CLI argument can become. */
export interface ResolveOptions {
  fetch?: FetchLimits;
  fullText?: FeedSourceOptions['fullText'];
  logger?: IngestLogger;
}

/** A URL of unknown kind: fetched once, then read as a feed, ninjs JSON or a page. */
export class UrlSource implements Source {
  readonly kind = 'page' as const;
  readonly label: string;
  /** What the URL turned out to be, after the first pass. */
  detected: 'feed' | 'ninjs' | 'page' | null = null;

  constructor(
    readonly url: string,
    private readonly opts: ResolveOptions = {},
  ) {
    this.label = url;
  }

  async *items(signal?: AbortSignal): AsyncIterable<SourceItem> {
    const res = await fetchUrl(this.url, { ...this.opts.fetch, signal });
    if (res.status !== 'ok') return;
    const decoded = decodeBytes(res.bytes, res.contentType);
    const text = decoded.text;
    if (looksLikeFeed(text, res.contentType)) {
      this.detected = 'feed';
      const feed = await parseFeed(text, res.url);
      yield* feedSourceItems(feed, this.url, { fullText: this.opts.fullText, fetch: this.opts.fetch, logger: this.opts.logger }, signal);
      return;
    }
    if (/json/i.test(res.contentType ?? '') || /^\s*[[{]/.test(text)) {
      this.detected = 'ninjs';
      yield* ninjsItems(text, this.url);
      return;
    }
    this.detected = 'page';
    try {
      yield { ok: true, ref: this.url, input: htmlToArticleInput(text, this.url, { url: res.url }) };
    } catch (err) {
      yield { ok: false, ref: this.url, reason: (err as Error).message };
    }
  }
}

/**
 * The source for one `cli ingest` argument: an http(s) URL (page, feed or ninjs), a folder,
 * a feed file (`.xml`, `.rss`, `.atom`), or a story file.
 * @throws Error for a path that does not exist or a URL with another scheme (the message does not repeat `arg`)
 */
export async function sourceForArgument(arg: string, opts: ResolveOptions = {}): Promise<Source> {
  if (isHttpUrl(arg)) return new UrlSource(arg.trim(), opts);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) throw new Error('only http and https URLs can be ingested');
  const st = await fs.stat(arg).catch(() => null);
  if (!st) throw new Error('no such file or folder');
  if (st.isDirectory()) return new FolderSource(arg);
  const ext = path.extname(arg).toLowerCase();
  if (ext === '.xml' || ext === '.rss' || ext === '.atom') return new FeedFileSource(arg, { fullText: opts.fullText ?? 'never', fetch: opts.fetch, logger: opts.logger });
  return new FileSource(arg);
}
