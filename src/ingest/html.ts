/**
 * A news web page → its story: main text through `@mozilla/readability` on a `linkedom`
 * document, and the metadata newsrooms put in pages (JSON-LD `NewsArticle`, Open Graph
 * `article:*` meta, `<link rel=canonical>`, `<time>`, bylines and datelines marked up in the page).
 * Comment threads, navigation, link lists and other boilerplate are left out; a paragraph
 * wrapped in a link is kept.
 */
import { Readability } from '@mozilla/readability';
import type { ArticleInput } from '../index/types.js';
import { parseLooseDate, splitBylineDate } from './dates.js';
import { parseDocument, type DomDocument, type DomElement } from './dom.js';
import { cleanStoryParagraphs } from './byline.js';
import { cleanLine, composeArticleText, domToParagraphs, htmlFragmentToParagraphs } from './text.js';

/** What a page yields, before it becomes an `ArticleInput`. */
export interface HtmlArticle {
  /** The headline, or null when the page has none. */
  title: string | null;
  /** The byline without "By", or null. */
  byline: string | null;
  /** The dateline place as marked up in the page ("ROTTERDAM"), or null when the page marks none. */
  dateline: string | null;
  /** ISO 8601 UTC, or null. */
  publishedAt: string | null;
  /** The page's publication date as written when none could be read (kept raw), else null. */
  publishedRaw: string | null;
  /** ISO 8601 UTC, or null. */
  updatedAt: string | null;
  /** ISO 8601 UTC embargo time from `<meta name="embargo">`, or null. */
  embargoUntil: string | null;
  /** The canonical URL (absolute http(s)), or null. */
  canonicalUrl: string | null;
  /** Body paragraphs, plain text, in order. */
  paragraphs: string[];
  /** The article text for `parseArticle`: headline, blank line, paragraphs. */
  text: string;
}

/** Options for `extractHtmlArticle`. */
export interface HtmlOptions {
  /** The page's own URL, to resolve relative canonical links against. */
  url?: string | null;
}


/** Attribute value of the first element matching one of `selectors`, trimmed, or null. */
function attr(doc: DomDocument, selectors: string[], name: string): string | null {
  for (const sel of selectors) {
    const v = doc.querySelector(sel)?.getAttribute(name)?.trim();
    if (v) return v;
  }
  return null;
}

/** Text of the first element matching one of `selectors`, as one clean line, or null. */
function text(doc: DomDocument | DomElement, selectors: string[]): string | null {
  for (const sel of selectors) {
    const v = cleanLine(doc.querySelector(sel)?.textContent ?? null);
    if (v) return v;
  }
  return null;
}

/** Objects in the page's JSON-LD blocks, `@graph` flattened. Malformed blocks are skipped. */
function jsonLd(doc: DomDocument): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      out.push(o);
      if (o['@graph']) visit(o['@graph']);
    }
  };
  for (const s of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      visit(JSON.parse(s.textContent ?? ''));
    } catch {
      // A broken JSON-LD block is common and harmless: the other sources of metadata remain.
    }
  }
  return out;
}

/** The JSON-LD object describing the story (NewsArticle, ReportageNewsArticle, Article, BlogPosting…). */
function ldArticle(doc: DomDocument): Record<string, unknown> | null {
  const isArticle = (t: unknown): boolean =>
    (typeof t === 'string' && /Article|BlogPosting|Report/.test(t)) || (Array.isArray(t) && t.some(isArticle));
  return jsonLd(doc).find((o) => isArticle(o['@type'])) ?? null;
}

/** Names of JSON-LD authors (a string, a Person, or a list of either). */
function ldAuthors(v: unknown): string | null {
  const names: string[] = [];
  const visit = (a: unknown): void => {
    if (typeof a === 'string') names.push(a);
    else if (Array.isArray(a)) a.forEach(visit);
    else if (a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string') names.push((a as { name: string }).name);
  };
  visit(v);
  const clean = names.map((n) => cleanLine(n)).filter((n): n is string => !!n);
  if (clean.length === 0) return null;
  return clean.length === 1 ? clean[0]! : `${clean.slice(0, -1).join(', ')} and ${clean[clean.length - 1]}`;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** Removes a leading "By " and trailing separators from a byline. */
export function cleanByline(b: string | null | undefined): string | null {
  const t = cleanLine(b ?? null);
  if (!t) return null;
  const s = t
    .replace(/^by[:\s]+/i, '')
    .replace(/[\s|,;–—-]+$/, '')
    .trim();
  return s || null;
}

/** An absolute http(s) URL, or null. */
function absoluteHttp(href: string | null, base: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const u = new URL(href, base ?? undefined);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** id/class words that mark comment threads and other non-story blocks. */
const NOT_STORY =
  /(^|[\s_-])(comments?|comment-list|commentlist|disqus_thread|respond|replies|discussion|related|recommended|most-read|mostread|newsletter|newsletter-signup|signup|subscribe|share|sharing|social|promo|promoted|sponsor|sponsored|sponsored-content|advertorial|partner-content|paid-content|native-ad|advert|advertisement|ad-slot|ad-container|cookie|live-blog-header|liveblog-header|live-notice|editors-note)([\s_-]|$)/i;

/**
 * A box labelled as advertising or sponsorship by its first words ("Sponsored", "Advertisement: …"),
 * also when the label is its own paragraph (`textContent` then runs it into the next word: "AdvertisementWin").
 */
const SPONSOR_LABEL = /^\s*(?:sponsored|advertisement|advertorial|promoted|paid (?:content|post|partnership)|partner content)(?:\b|(?=\p{Lu}))/iu;

/**
 * Removes comment threads, navigation and promos, and unwraps links whose text is a whole
 * paragraph, so Readability neither scores comments as content nor drops link-wrapped
 * paragraphs as link lists.
 */
function preClean(doc: DomDocument): void {
  for (const el of Array.from(doc.querySelectorAll('nav, aside, [role="navigation"], [role="complementary"], [itemprop="comment"], [itemtype*="Comment"], [itemtype*="comment"]'))) {
    el.remove();
  }
  const bodyChars = (doc.body?.textContent ?? '').length;
  for (const el of Array.from(doc.querySelectorAll('[id], [class]'))) {
    const marks = `${el.getAttribute('id') ?? ''} ${el.getAttribute('class') ?? ''}`;
    if (!NOT_STORY.test(marks) || !el.isConnected) continue;
    // Never remove the story itself or a wrapper holding most of the page.
    const tag = el.tagName.toUpperCase();
    if (tag === 'BODY' || tag === 'HTML' || tag === 'ARTICLE' || tag === 'MAIN') continue;
    if (el.querySelector('article, main, h1, [itemprop="articleBody"]')) continue;
    if ((el.textContent ?? '').length > bodyChars * 0.5) continue;
    el.remove();
  }
  // Sponsored and promoted boxes inside the story: marked by attributes, or labelled by their
  // first words. Innermost first (reverse document order), so a wrapper whose text merely starts
  // with such a box is never taken for it.
  const boxes = Array.from(doc.querySelectorAll('[data-ad], [data-sponsored], [aria-label], div, aside, section, figure, li, table')).reverse();
  for (const el of boxes) {
    if (!el.isConnected) continue;
    const marked = el.getAttribute('data-ad') !== null || el.getAttribute('data-sponsored') !== null || /\b(advert|sponsor|promot)/i.test(el.getAttribute('aria-label') ?? '');
    const text = el.textContent ?? '';
    if (!marked && !SPONSOR_LABEL.test(text)) continue;
    if (el.querySelector('article, main, h1, [itemprop="articleBody"]') || text.length > bodyChars * 0.5) continue;
    el.remove();
  }
  for (const a of Array.from(doc.querySelectorAll('a'))) {
    const t = (a.textContent ?? '').trim();
    const words = t.split(/\s+/).length;
    const wrapsBlock = a.querySelector('p, div, h2, h3, blockquote') !== null;
    if ((t.length >= 80 && words >= 10) || (wrapsBlock && words >= 6)) {
      const parent = a.parentNode;
      if (!parent) continue;
      while (a.firstChild) parent.insertBefore(a.firstChild, a);
      a.remove();
    }
  }
}

/** Comparison key: lower case, letters and digits only. */
function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Drops the paragraphs that open an extracted body but only repeat metadata: the headline,
 * the byline ("By Jane Doe", "Jane Doe"), or a date line ("5 March 2024", "Updated 11:05").
 */
function dropLeadingMetadata(paragraphs: string[], title: string | null, byline: string | null): string[] {
  const t = title ? norm(title) : null;
  const b = byline ? norm(byline) : null;
  let i = 0;
  for (; i < paragraphs.length && i < 6; i++) {
    const p = paragraphs[i]!;
    const k = norm(p);
    if (!k) continue;
    if (k === t) continue;
    if (b && (k === b || k === `by ${b}` || (/^by\s/i.test(p) && k.startsWith(`by ${b}`) && p.length < b.length + 40))) continue;
    if (p.length <= 60 && parseLooseDate(p.replace(/^(published|updated|posted)[:\s]+/i, '')) !== null) continue;
    break;
  }
  return paragraphs.slice(i);
}

/** Wraps fragments in a document so that `<title>` and `<meta>` land in a head. */
function asDocument(html: string): string {
  return /<html[\s>]/i.test(html) ? html : `<!doctype html><html>${html}</html>`;
}

/**
 * Extracts the story from a web page.
 * @param html the page, already decoded to text (see `decodeBytes`)
 * @returns the story; `paragraphs` is empty when the page has no readable text
 */
export function extractHtmlArticle(html: string, opts: HtmlOptions = {}): HtmlArticle {
  const doc = parseDocument(asDocument(html));
  const ld = ldArticle(doc);
  preClean(doc);

  const canonicalUrl =
    absoluteHttp(attr(doc, ['link[rel="canonical"]'], 'href'), opts.url) ??
    absoluteHttp(attr(doc, ['meta[property="og:url"]'], 'content'), opts.url) ??
    absoluteHttp(str(ld?.url), opts.url) ??
    absoluteHttp(opts.url ?? null, undefined);

  const h1s = Array.from(doc.querySelectorAll('article h1, main h1'));
  const h1 = h1s.length > 0 ? h1s : Array.from(doc.querySelectorAll('h1'));
  const metaTitle = attr(doc, ['meta[property="og:title"]', 'meta[name="twitter:title"]', 'meta[name="title"]'], 'content');
  const ldTitle = str(ld?.headline);

  let byline = cleanByline(
    ldAuthors(ld?.author) ??
      attr(doc, ['meta[name="author"]', 'meta[property="article:author"]:not([content^="http"])', 'meta[name="byl"]'], 'content') ??
      text(doc, ['[itemprop="author"] [itemprop="name"]', '[itemprop="author"]', '[rel="author"]', '.byline', '[class*="byline"]', '.author']),
  );
  // A byline block that also prints the date ("Dana Whitlock July 10, 2015"): the name is the byline, the date the publication time.
  const bylineDate = byline ? splitBylineDate(byline) : null;
  if (bylineDate) byline = bylineDate.byline;
  const dateline = text(doc, ['[itemprop="dateline"]', '.dateline', '[class*="dateline"]']);

  // Pages in languages other than US English write 05/03/2024 day first.
  const lang = doc.documentElement?.getAttribute('lang') ?? '';
  const dayFirst = lang !== '' && !/^en(-us)?$/i.test(lang);
  const date = (v: string | null): string | null => parseLooseDate(v, { dayFirst });
  const publishedCandidates = [
    str(ld?.datePublished),
    attr(doc, ['meta[property="article:published_time"]', 'meta[name="pubdate"]', 'meta[name="publish-date"]', 'meta[name="date"]', 'meta[name="dc.date"]', 'meta[name="DC.date.issued"]'], 'content'),
    attr(doc, ['time[itemprop="datePublished"]', 'article time[datetime]', 'time[pubdate]', 'time[datetime]'], 'datetime'),
  ].filter((v): v is string => v !== null);
  let publishedAt: string | null = null;
  for (const v of publishedCandidates) if ((publishedAt = date(v))) break;
  if (!publishedAt && bylineDate && !bylineDate.updated) publishedAt = bylineDate.date.iso;
  let updatedAt =
    date(str(ld?.dateModified)) ??
    date(attr(doc, ['meta[property="article:modified_time"]', 'meta[property="og:updated_time"]', 'meta[name="last-modified"]'], 'content')) ??
    date(attr(doc, ['time[itemprop="dateModified"]'], 'datetime'));
  const embargoUntil = date(attr(doc, ['meta[name="embargo"]', 'meta[name="embargoed"]', 'meta[property="article:embargo"]'], 'content'));

  const h1Text = h1.length === 1 ? cleanLine(h1[0]!.textContent) : null;

  let paragraphs: string[] = [];
  let readTitle: string | null = null;
  try {
    const read = new Readability(doc as never, { charThreshold: 200 }).parse();
    readTitle = cleanLine(read?.title ?? null);
    if (read?.content) paragraphs = htmlFragmentToParagraphs(read.content);
  } catch {
    paragraphs = [];
  }
  if (paragraphs.length === 0) {
    const main = doc.querySelector('article') ?? doc.querySelector('main') ?? doc.body;
    if (main) paragraphs = domToParagraphs(main as never);
  }

  const title = cleanLine(ldTitle) ?? h1Text ?? cleanLine(metaTitle) ?? readTitle;
  const datelinePlace = dateline ? dateline.replace(/\s*[—–-]+\s*$/, '').trim() : null;
  paragraphs = dropLeadingMetadata(paragraphs, title, byline);
  // Furniture (live-blog prompts, editors' notes, sponsored lines, newsletter and social prompts) and byline blocks left in the body.
  const cleaned = cleanStoryParagraphs(paragraphs);
  paragraphs = cleaned.paragraphs;
  byline ??= cleanByline(cleaned.byline);
  if (!publishedAt && cleaned.published?.iso) publishedAt = cleaned.published.iso;
  if (!updatedAt && cleaned.updated?.iso) updatedAt = cleaned.updated.iso;
  const publishedRaw = publishedAt ? null : (publishedCandidates[0] ?? null);
  if (datelinePlace && paragraphs.length > 0) {
    // Drop a paragraph that is only the dateline, and make sure the body opens with it.
    if (paragraphs[0]!.replace(/\s*[—–-]+\s*$/, '').trim() === datelinePlace) paragraphs.shift();
    const first = paragraphs[0];
    if (first !== undefined && !first.toUpperCase().startsWith(datelinePlace.toUpperCase())) {
      paragraphs[0] = `${datelinePlace.toUpperCase()} — ${first}`;
    }
  }
  return {
    title,
    byline,
    dateline: datelinePlace,
    publishedAt,
    publishedRaw,
    updatedAt,
    embargoUntil,
    canonicalUrl,
    paragraphs,
    text: composeArticleText(title, paragraphs, byline),
  };
}

/**
 * A page's story as an `ArticleInput`.
 * @param source where the page came from (URL or file path)
 * @throws Error when the page has no readable story text
 */
export function htmlToArticleInput(html: string, source: string, opts: HtmlOptions = {}): ArticleInput {
  const a = extractHtmlArticle(html, opts);
  if (a.paragraphs.length === 0) throw new Error('no story text found in the page');
  return {
    text: a.text,
    title: a.title,
    byline: a.byline,
    url: a.canonicalUrl,
    guid: null,
    publishedAt: a.publishedAt,
    publishedRaw: a.publishedRaw,
    updatedAt: a.updatedAt,
    embargoUntil: a.embargoUntil,
    source,
  };
}
