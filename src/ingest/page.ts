/**
 * A single web page by URL as a source: fetched within the limits of `fetchUrl`, decoded by its
 * declared charset, and reduced to its story by the HTML extractor. (A saved page on disk is a
 * `FileSource`.)
 */
import { decodeBytes } from './charset.js';
import { fetchUrl, type FetchLimits } from './fetch.js';
import { htmlToArticleInput } from './html.js';
import { silentLogger, type IngestLogger, type Source, type SourceItem } from './types.js';

/** Options for `PageSource`. */
export interface PageSourceOptions {
  fetch?: FetchLimits;
  logger?: IngestLogger;
}

/** One page URL. A pass fetches it once; a fetch failure throws, an unreadable page is a failed item. */
export class PageSource implements Source {
  readonly kind = 'page' as const;
  readonly label: string;

  constructor(
    readonly url: string,
    private readonly opts: PageSourceOptions = {},
  ) {
    this.label = url;
  }

  async estimate(): Promise<number> {
    return 1;
  }

  async *items(signal?: AbortSignal): AsyncIterable<SourceItem> {
    const fetchedAt = new Date().toISOString();
    const res = await fetchUrl(this.url, { ...this.opts.fetch, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5', signal });
    if (res.status !== 'ok') return;
    const decoded = decodeBytes(res.bytes, res.contentType);
    if (decoded.note) (this.opts.logger ?? silentLogger).warn({ page: this.url, encoding: decoded.encoding }, decoded.note);
    try {
      // Fetched now, live: a year-less dateline date is placed by this time.
      yield { ok: true, ref: this.url, input: { ...htmlToArticleInput(decoded.text, this.url, { url: res.url }), fetchedAt } };
    } catch (err) {
      yield { ok: false, ref: this.url, reason: (err as Error).message };
    }
  }
}
