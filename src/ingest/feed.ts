/**
 * RSS 2.0 / RSS 1.0 / Atom feeds through `rss-parser`. Bytes are decoded here (honouring the
 * HTTP and XML-declared charset) before the XML parser sees them; HTML named entities that XML
 * does not know (`&nbsp;`, `&eacute;`) and bare ampersands are made well-formed first, so one
 * sloppy item does not sink the feed. Dates are read leniently (`parseLooseDate`): an item whose
 * date cannot be read is kept without one. An empty guid counts as none.
 *
 * `FeedSource` fetches with conditional GET (ETag / Last-Modified) and, for items whose feed
 * text is only a teaser, fetches the linked page and extracts the full story.
 */
import fs from 'node:fs/promises';
import Parser from 'rss-parser';
import type { ArticleInput } from '../index/types.js';
import { decodeBytes } from './charset.js';
import { parseLooseDate } from './dates.js';
import { fetchUrl, FetchError, type FetchLimits } from './fetch.js';
import { extractHtmlArticle } from './html.js';
import { cleanStoryParagraphs } from './byline.js';
import { cleanLine, composeArticleText, htmlFragmentToParagraphs, htmlToLine } from './text.js';
import { silentLogger, type IngestLogger, type Source, type SourceItem } from './types.js';
import { tooLargeReason } from './size.js';

/** One feed item, normalised. */
export interface FeedItem {
  title: string | null;
  /** The item's link (absolute http(s)), or null. */
  link: string | null;
  /** Non-empty guid (RSS `guid`, Atom `id`), or null. */
  guid: string | null;
  byline: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  /** The raw date strings that could not be read, for logs (the publication date's first). */
  unreadDates: string[];
  /** Body paragraphs from the richest content field (`content:encoded`, `content`, `description`, `summary`). */
  paragraphs: string[];
  /** Set when the item could not be read (the other items are unaffected). */
  error?: string;
}

/** A parsed feed. */
export interface ParsedFeed {
  title: string | null;
  items: FeedItem[];
}

/** The XML entities; every other named entity is HTML's and must be rewritten for the XML parser. */
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

const entityCache = new Map<string, string | null>();

/** The character(s) an HTML named entity stands for, or null when HTML does not define it. */
function htmlEntity(name: string): string | null {
  let v = entityCache.get(name);
  if (v === undefined) {
    const decoded = htmlToLine(`&${name};`);
    v = decoded && decoded !== `&${name};` ? decoded : null;
    if (entityCache.size < 2000) entityCache.set(name, v);
  }
  return v;
}

/**
 * Makes feed XML well-formed where real feeds commonly are not: HTML named entities become
 * numeric references, and ampersands that start no reference become `&amp;`.
 * CDATA sections are left untouched.
 */
export function repairFeedXml(xml: string): string {
  return xml.replace(/(<!\[CDATA\[[\s\S]*?\]\]>)|&(#\d{1,7};|#x[0-9a-fA-F]{1,6};|([A-Za-z][A-Za-z0-9]{0,31});)?/g, (m, cdata: string | undefined, ref: string | undefined, name: string | undefined) => {
    if (cdata) return cdata;
    if (!ref) return '&amp;';
    if (!name || XML_ENTITIES.has(name)) return m;
    const ch = htmlEntity(name);
    if (ch === null) return `&amp;${name};`;
    return Array.from(ch)
      .map((c) => `&#${c.codePointAt(0)};`)
      .join('');
  });
}

type RawItem = Record<string, unknown> & Parser.Item;

/** A string out of an xml2js value (a string, or an object with text in `_`), trimmed; null when empty. */
function s(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object' && typeof (v as { _?: unknown })._ === 'string') return ((v as { _: string })._).trim() || null;
  return null;
}

/**
 * An rss-parser instance whose Atom dates cannot throw: rss-parser converts Atom `published` /
 * `updated` with `new Date(...).toISOString()`, which throws on odd formats and loses the whole
 * feed. The raw strings are moved aside before rss-parser sees them and read by `parseLooseDate`.
 */
function makeParser(): Parser<Record<string, unknown>, RawItem> {
  const parser = new Parser<Record<string, unknown>, RawItem>({
    customFields: { item: [['dc:date', 'dcDate'], ['atom:updated', 'atomUpdated'], ['dcterms:modified', 'dctermsModified']] },
  });
  const p = parser as unknown as { parseItemAtom(entry: Record<string, unknown>): Record<string, unknown> };
  const original = p.parseItemAtom.bind(parser);
  p.parseItemAtom = (entry) => {
    const { published, updated, ...rest } = entry;
    const item = original(rest);
    item.rawPublished = s(Array.isArray(published) ? published[0] : published);
    item.rawUpdated = s(Array.isArray(updated) ? updated[0] : updated);
    return item;
  };
  return parser;
}

/** The name in an RSS `author` value ("desk@example.org (Jane Doe)" → "Jane Doe"). */
function authorName(v: string | null): string | null {
  if (!v) return null;
  const paren = /\(([^)]+)\)\s*$/.exec(v);
  if (paren) return cleanLine(paren[1]!);
  if (/^\S+@\S+$/.test(v)) return null;
  return htmlToLine(v)?.replace(/^by\s+/i, '') ?? null;
}

/** An absolute http(s) URL or null. */
function httpUrl(v: string | null, base?: string): string | null {
  if (!v) return null;
  try {
    const u = new URL(v, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Markup that reached the text as characters: the item's HTML was escaped once more than it should be. */
const ESCAPED_MARKUP = /<\/?(?:p|br|div|span|a|em|strong|b|i|ul|ol|li|h[1-6]|blockquote|figure|img)\b[^<>]*>/i;

/**
 * Paragraphs of a content field. Feeds sometimes escape the HTML inside a CDATA section as well
 * (`<![CDATA[&lt;p&gt;…&lt;/p&gt;]]>`), so the markup comes out as text: it is read as HTML once more.
 */
function contentParagraphs(html: string): string[] {
  const p = htmlFragmentToParagraphs(html);
  const joined = p.join('\n\n');
  return ESCAPED_MARKUP.test(joined) ? htmlFragmentToParagraphs(joined) : p;
}

/** Normalises one rss-parser item. */
function normaliseItem(raw: RawItem, feedUrl: string | undefined): FeedItem {
  const guid = s(raw.guid) ?? s(raw.id);
  const link = httpUrl(s(raw.link), feedUrl) ?? (guid && /^https?:\/\//i.test(guid) ? httpUrl(guid) : null);
  const rawPublished = s(raw.rawPublished) ?? s(raw.pubDate) ?? s(raw.dcDate);
  const rawUpdated = s(raw.rawUpdated) ?? s(raw.atomUpdated) ?? s(raw.dctermsModified);
  const unreadDates: string[] = [];
  const read = (d: string | null): string | null => {
    if (!d) return null;
    const iso = parseLooseDate(d);
    if (!iso) unreadDates.push(d);
    return iso;
  };
  const publishedAt = read(rawPublished);
  const updatedAt = read(rawUpdated);
  const candidates = [s(raw['content:encoded']), s(raw.content), s(raw.summary)].filter((c): c is string => !!c);
  let paragraphs: string[] = [];
  for (const c of candidates) {
    const p = contentParagraphs(c);
    if (p.join(' ').length > paragraphs.join(' ').length) paragraphs = p;
  }
  // Furniture and byline blocks in the item's text are not story text (see byline.ts, furniture.ts).
  const cleaned = cleanStoryParagraphs(paragraphs);
  return {
    title: htmlToLine(s(raw.title)),
    link,
    guid,
    byline: authorName(s(raw.creator) ?? s(raw.author)) ?? cleaned.byline,
    publishedAt: publishedAt ?? (rawPublished ? null : updatedAt) ?? (cleaned.published?.iso ?? null),
    updatedAt: updatedAt ?? null,
    unreadDates,
    paragraphs: cleaned.paragraphs,
  };
}

/**
 * Parses feed XML (already decoded to text).
 * @param xml the feed document
 * @param feedUrl the feed's URL, to resolve relative item links
 * @throws Error with the XML parser's message when the document is not a feed
 */
export async function parseFeed(xml: string, feedUrl?: string): Promise<ParsedFeed> {
  const body = xml.replace(/^\uFEFF/, '').trimStart();
  if (!body) throw new Error('feed is empty');
  let out;
  try {
    out = await makeParser().parseString(repairFeedXml(body));
  } catch (err) {
    throw new Error(`malformed feed: ${((err as Error).message ?? String(err)).split('\n')[0]}`);
  }
  const items = (out.items ?? []).map((raw, i): FeedItem => {
    try {
      return normaliseItem(raw, feedUrl);
    } catch (err) {
      // One hostile item (pathological markup) must not sink the rest of the feed.
      return { title: null, link: null, guid: s(raw.guid), byline: null, publishedAt: null, updatedAt: null, unreadDates: [], paragraphs: [], error: `item ${i + 1} unreadable: ${(err as Error).message}` };
    }
  });
  return { title: htmlToLine(out.title ?? null), items };
}

/** Whether an item's own text is only a teaser worth replacing with the linked page. */
export function isTeaser(item: FeedItem, minChars = 600): boolean {
  const chars = item.paragraphs.join(' ').length;
  return chars < minChars || (item.paragraphs.length < 2 && chars < minChars * 2);
}

/**
 * Builds the `ArticleInput` for a feed item with the given paragraphs.
 * @param fetchedAt when a live poll read the feed (not for a feed file): places year-less dateline dates
 */
function itemInput(item: FeedItem, paragraphs: string[], source: string, url: string | null, fetchedAt: string | null): ArticleInput {
  return {
    text: composeArticleText(item.title, paragraphs, item.byline),
    title: item.title,
    byline: item.byline,
    url,
    guid: item.guid,
    publishedAt: item.publishedAt,
    publishedRaw: item.publishedAt ? null : (item.unreadDates[0] ?? null),
    updatedAt: item.updatedAt,
    embargoUntil: null,
    ...(fetchedAt ? { fetchedAt } : {}),
    source,
  };
}

/** Options for `FeedSource`. */
export interface FeedSourceOptions {
  /** `auto` (default): fetch the page when the item's text is a teaser; `always`; `never`. */
  fullText?: 'auto' | 'always' | 'never';
  /** Limits for the feed fetch and for each page fetch. */
  fetch?: FetchLimits;
  /** At most this many pages fetched per poll (the rest keep their teaser text). Default 50. */
  maxPageFetches?: number;
  logger?: IngestLogger;
  /** When a live poll fetched the feed (ISO), passed on as each item's `fetchedAt`; unset for feed files. */
  fetchedAt?: string;
}

/** How the last poll went. */
export interface PollStatus {
  /** `fetched`: a new feed document was read; `not-modified`: the server answered 304; `failed`: see `error`. */
  outcome: 'fetched' | 'not-modified' | 'failed';
  at: string;
  items: number;
  error?: string;
}

/**
 * A feed URL as a source. Each pass (`items()`) is one poll: a conditional GET with the
 * validators of the last successful fetch; a 304 yields nothing. Validators are only kept from
 * responses that parsed, so after a malformed or failed poll the next poll fetches in full.
 * A failed fetch or malformed feed throws (the runner records it; nothing stored is lost).
 */
export class FeedSource implements Source {
  readonly kind = 'feed' as const;
  readonly label: string;
  /** Validators from the last successful fetch. */
  etag: string | null = null;
  lastModified: string | null = null;
  /** How the last poll went, or null before the first. */
  lastPoll: PollStatus | null = null;
  private readonly logger: IngestLogger;

  constructor(
    readonly url: string,
    private readonly opts: FeedSourceOptions = {},
  ) {
    this.label = url;
    this.logger = opts.logger ?? silentLogger;
  }

  async *items(signal?: AbortSignal): AsyncIterable<SourceItem> {
    const at = new Date().toISOString();
    let feed: ParsedFeed;
    let validators: { etag: string | null; lastModified: string | null };
    try {
      const res = await fetchUrl(this.url, {
        ...this.opts.fetch,
        etag: this.etag,
        lastModified: this.lastModified,
        accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
        signal,
      });
      if (res.status === 'not-modified') {
        this.lastPoll = { outcome: 'not-modified', at, items: 0 };
        this.logger.info({ feed: this.url }, 'feed not modified (304)');
        return;
      }
      const decoded = decodeBytes(res.bytes, res.contentType);
      if (decoded.note) this.logger.warn({ feed: this.url, encoding: decoded.encoding }, decoded.note);
      feed = await parseFeed(decoded.text, res.url);
      validators = { etag: res.etag, lastModified: res.lastModified };
    } catch (err) {
      const error = err instanceof FetchError || err instanceof Error ? err.message : String(err);
      this.lastPoll = { outcome: 'failed', at, items: 0, error };
      this.logger.warn({ feed: this.url, err: error }, 'feed poll failed; will retry on the next poll');
      throw err instanceof Error ? err : new Error(error);
    }
    this.etag = validators.etag;
    this.lastModified = validators.lastModified;
    this.lastPoll = { outcome: 'fetched', at, items: feed.items.length };
    yield* feedSourceItems(feed, this.url, { ...this.opts, fetchedAt: at }, signal);
  }
}

/**
 * Turns a parsed feed's items into source items, fetching the linked page for teaser items
 * (per `opts.fullText`, within `opts.maxPageFetches`). A page that cannot be fetched leaves the
 * item with its feed text; an item with no text at all is a failed item.
 * @param source the feed's URL or path, for `ArticleInput.source` and refs
 */
export async function* feedSourceItems(feed: ParsedFeed, source: string, opts: FeedSourceOptions = {}, signal?: AbortSignal): AsyncIterable<SourceItem> {
  const logger = opts.logger ?? silentLogger;
  const mode = opts.fullText ?? 'auto';
  let pageBudget = opts.maxPageFetches ?? 50;
  for (const [i, item] of feed.items.entries()) {
    if (signal?.aborted) return;
    const ref = item.link ?? item.guid ?? `${source}#item${i + 1}`;
    if (item.error) {
      yield { ok: false, ref, reason: item.error };
      continue;
    }
    if (item.unreadDates.length > 0) logger.warn({ feed: source, item: ref, dates: item.unreadDates }, 'unreadable item date; item kept without it');
    let paragraphs = item.paragraphs;
    if (item.link && mode !== 'never' && (mode === 'always' || isTeaser(item)) && pageBudget > 0) {
      pageBudget--;
      try {
        const page = await fetchUrl(item.link, { ...opts.fetch, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5', signal });
        if (page.status === 'ok') {
          const article = extractHtmlArticle(decodeBytes(page.bytes, page.contentType).text, { url: page.url });
          // The item keeps its own link as URL (the story's identity), whether or not the page's
          // canonical URL differs, so a later poll whose page fetch fails cannot fork the story.
          if (article.paragraphs.join(' ').length > paragraphs.join(' ').length) paragraphs = article.paragraphs;
        }
      } catch (err) {
        logger.warn({ feed: source, item: ref, err: (err as Error).message }, 'full-text fetch failed; keeping the feed text');
      }
    }
    if (paragraphs.length === 0) {
      // A headline-only item (a wire flash, a guid and a title) is kept as a brief: its headline is its text.
      if (!item.title) {
        yield { ok: false, ref, reason: 'item has neither text nor a headline (no title, content, description or readable page)' };
        continue;
      }
      logger.info({ feed: source, item: ref }, 'headline-only item kept as a brief');
      paragraphs = [item.title];
    }
    yield { ok: true, ref, input: itemInput(item, paragraphs, source, item.link, opts.fetchedAt ?? null) };
  }
}

/** True when a document looks like an RSS or Atom feed (by media type or by its first element). */
export function looksLikeFeed(text: string, contentType?: string | null): boolean {
  if (contentType && /(rss|atom)\+xml|rdf\+xml/i.test(contentType)) return true;
  const head = text.slice(0, 2048).replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '').trimStart();
  return /^(<\?[^>]*\?>\s*)*<(rss|feed|rdf:RDF)[\s>]/i.test(head);
}

/**
 * A feed document on disk (a feed archive for backfill) as a source. By default the feed's own
 * text is used (`fullText: 'never'`); pass `fullText: 'auto'` to fetch teaser items' pages.
 */
export class FeedFileSource implements Source {
  readonly kind = 'feed' as const;
  readonly label: string;

  constructor(
    readonly file: string,
    private readonly opts: FeedSourceOptions & { maxBytes?: number } = {},
  ) {
    this.label = file;
  }

  /** Counts `<item>` / `<entry>` elements, to size the progress bar of a large archive. */
  async estimate(): Promise<number | null> {
    const st = await fs.stat(this.file);
    if (st.size > (this.opts.maxBytes ?? 100 * 1024 * 1024)) return null;
    const text = (await fs.readFile(this.file)).toString('latin1');
    return (text.match(/<(?:item|entry)[\s>]/g) ?? []).length;
  }

  async *items(signal?: AbortSignal): AsyncIterable<SourceItem> {
    const st = await fs.stat(this.file);
    const max = this.opts.maxBytes ?? 100 * 1024 * 1024;
    if (st.size > max) throw new Error(`${this.file}: ${tooLargeReason(st.size, max)}`);
    const feed = await parseFeed(decodeBytes(await fs.readFile(this.file)).text);
    yield* feedSourceItems(feed, this.file, { fullText: 'never', ...this.opts }, signal);
  }
}
