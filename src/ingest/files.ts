/**
 * One story file on disk → source items, by extension:
 * `.txt` (plain text: headline on the first line), `.md` (Markdown), `.html`/`.htm` (a saved
 * web page, through the HTML extractor) and `.json` (IPTC ninjs). `.txt` and `.md` files may
 * open with a front-matter block (`---` lines around `key: value` pairs: title, byline, date,
 * updated, url, guid, embargo).
 *
 * A file without a guid or URL of its own is identified by its absolute path as a `file:` URL
 * in `guid`, so that editing the file makes a new revision of the same story instead of a new story.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArticleInput } from '../index/types.js';
import { cleanStoryParagraphs, separateByline, type SeparatedByline } from './byline.js';
import { decodeBytes } from './charset.js';
import { furnitureRule, stripEntryTime } from './furniture.js';
import { parseLooseDate } from './dates.js';
import { htmlToArticleInput } from './html.js';
import { ninjsItems } from './ninjs.js';
import { cleanLine, cleanText, composeArticleText, htmlToLine } from './text.js';
import type { SourceItem } from './types.js';
import { tooLargeReason } from './size.js';

/** Extensions the folder source reads. */
export const STORY_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm', '.json'] as const;

/** Largest story file read, in bytes (default for `readStoryFile`). */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** True when `file` has one of the story extensions. */
export function isStoryFile(file: string): boolean {
  return (STORY_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
}

/** Metadata from a front-matter block. */
interface FrontMatter {
  title?: string;
  byline?: string;
  date?: string;
  updated?: string;
  url?: string;
  guid?: string;
  embargo?: string;
}

const FM_KEYS: Record<string, keyof FrontMatter> = {
  title: 'title',
  headline: 'title',
  byline: 'byline',
  author: 'byline',
  by: 'byline',
  date: 'date',
  published: 'date',
  publishedat: 'date',
  pubdate: 'date',
  updated: 'updated',
  updatedat: 'updated',
  modified: 'updated',
  url: 'url',
  canonical: 'url',
  link: 'url',
  guid: 'guid',
  id: 'guid',
  uri: 'guid',
  embargo: 'embargo',
  embargoed: 'embargo',
  embargountil: 'embargo',
};

/**
 * Splits a leading front-matter block off `text`.
 * @returns the metadata and the rest of the text (the whole text when there is no block)
 */
export function splitFrontMatter(text: string): { meta: FrontMatter; body: string } {
  const m = /^---[ \t]*\n([\s\S]{0,4000}?)\n---[ \t]*(?:\n|$)/.exec(text);
  if (!m) return { meta: {}, body: text };
  const meta: FrontMatter = {};
  for (const line of m[1]!.split('\n')) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line.trim());
    if (!kv) continue;
    const key = FM_KEYS[kv[1]!.toLowerCase().replace(/[-_]/g, '')];
    const value = kv[2]!.trim().replace(/^(["'])(.*)\1$/, '$2').trim();
    if (key && value) meta[key] = value;
  }
  return { meta, body: text.slice(m[0].length) };
}

/** Inline Markdown → plain text: links and images, emphasis, code spans, escapes, inline HTML, entities. */
function mdInline(s: string): string {
  // Backslash escapes are set aside first so that `\*` never opens emphasis.
  const escaped: string[] = [];
  const t = s
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, (_m, c: string) => `\uE000${escaped.push(c) - 1}\uE001`)
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1');
  const plain = htmlToLine(t) ?? '';
  return plain.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => escaped[Number(i)] ?? '');
}

/**
 * Markdown → headline and paragraphs. Blank lines separate paragraphs and soft line breaks are
 * joined, list items and headings stand alone, fenced code, tables' rule rows, HTML comments and
 * reference definitions are dropped. The first level-1 heading (ATX or Setext) before any body
 * text is the headline.
 */
export function markdownToStory(md: string): { title: string | null; paragraphs: string[] } {
  const lines = md.replace(/<!--[\s\S]*?-->/g, '').split('\n');
  const paragraphs: string[] = [];
  let title: string | null = null;
  let cur: string[] = [];
  let fence: string | null = null;
  const flush = (): void => {
    const t = mdInline(cur.join(' ').replace(/\s+/g, ' ').trim());
    if (t) paragraphs.push(t);
    cur = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMark = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      if (fenceMark && fenceMark[1] === fence) fence = null;
      continue;
    }
    if (fenceMark) {
      flush();
      fence = fenceMark[1]!;
      continue;
    }
    const trimmed = line.trim();
    if (!trimmed) {
      flush();
      continue;
    }
    if (/^\[[^\]]+\]:\s*\S+/.test(trimmed) || /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/.test(trimmed) || /^([-*_])(\s*\1){2,}$/.test(trimmed)) {
      flush();
      continue;
    }
    const next = lines[i + 1]?.trim() ?? '';
    const atx = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(trimmed);
    const setext = cur.length === 0 && /^(=+|-+)$/.test(next) && !/^[-*+]\s/.test(trimmed) ? (next.startsWith('=') ? 1 : 2) : 0;
    if (atx || setext) {
      flush();
      const level = atx ? atx[1]!.length : setext;
      const text = mdInline(atx ? atx[2]! : trimmed);
      if (level === 1 && title === null && paragraphs.length === 0) title = cleanLine(text);
      else if (text) paragraphs.push(text);
      if (setext) i++;
      continue;
    }
    const item = /^(?:[-*+]|\d{1,3}[.)])\s+(.*)$/.exec(trimmed);
    if (item) {
      flush();
      cur.push(item[1]!);
      continue;
    }
    const l = trimmed.replace(/^(>\s?)+/, '');
    if (/^\|.*\|$/.test(l)) {
      // A table row stands alone: its cells, separated by spaces.
      flush();
      cur.push(
        l
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim())
          .join(' '),
      );
      flush();
      continue;
    }
    cur.push(l);
  }
  flush();
  return { title, paragraphs };
}

/**
 * Refuses decoded text that is not prose: random bytes decoded as windows-1252 come out as a
 * soup of symbols and control characters. Text is accepted when control characters are under
 * 1% and letters, digits and whitespace make up at least 60% of the characters.
 * @throws Error("does not look like text …")
 */
export function assertLooksLikeText(text: string): void {
  const sample = text.slice(0, 65536);
  if (!sample.length) return;
  let control = 0;
  let plain = 0;
  for (const ch of sample) {
    if (/[\p{L}\p{N}\s]/u.test(ch)) plain++;
    else if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/.test(ch)) control++;
  }
  const n = [...sample].length;
  if (control / n > 0.01 || plain / n < 0.6) {
    throw new Error('does not look like text (mostly symbols or control characters): is it a binary file?');
  }
}

/** Reads a file's bytes with a size cap and a clear error for directories, empty and binary files. */
async function readCapped(file: string, maxBytes: number): Promise<Uint8Array> {
  const st = await fs.stat(file);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size > maxBytes) throw new Error(tooLargeReason(st.size, maxBytes));
  if (st.size === 0) throw new Error('file is empty');
  const bytes = await fs.readFile(file);
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf16 && bytes.subarray(0, 65536).includes(0)) throw new Error('looks like a binary file (it contains NUL bytes), not a story');
  return bytes;
}

/** The `file:` URL identifying a file when it carries no guid or URL of its own. */
export function fileGuid(file: string): string {
  return pathToFileURL(path.resolve(file)).href;
}

/**
 * A plain-text story with its furniture lines (see `furniture.ts`) and the byline block under the
 * headline (see `byline.ts`) taken out; the rest keeps its own layout. The first line is taken
 * as the headline and never removed.
 */
export function cleanPlainStory(text: string): { text: string } & Omit<SeparatedByline, 'paragraphs'> {
  const out: (string | null)[] = text.split('\n');
  const body = out.flatMap((l, i) => (i > 0 && l!.trim() ? [i] : []));
  const furniture = body.filter((i) => furnitureRule(out[i]!) !== null);
  // Never empty a story: when every line looks like furniture, all stay.
  if (furniture.length < body.length) for (const i of furniture) out[i] = null;
  const rest = body.filter((i) => out[i] !== null);
  for (const i of rest) out[i] = stripEntryTime(out[i]!);
  const sep = separateByline(rest.map((i) => out[i]!));
  for (let j = 0; j < rest.length - sep.paragraphs.length; j++) out[rest[j]!] = null;
  const changed = out.some((l, i) => l === null || (i > 0 && l !== text.split('\n')[i]));
  const cleaned = changed ? out.filter((l): l is string => l !== null).join('\n').replace(/\n{3,}/g, '\n\n').trim() : text;
  return { text: cleaned, byline: sep.byline, published: sep.published, updated: sep.updated };
}

/** Builds an input from text/Markdown plus front matter. */
function textInput(file: string, title: string | null, paragraphs: string[], meta: FrontMatter, raw: string | null): ArticleInput {
  const headline = cleanLine(meta.title ?? null) ?? title;
  // Byline blocks and furniture in the body are not story text.
  const plain = raw === null ? null : cleanPlainStory(raw);
  const cleaned = raw === null ? cleanStoryParagraphs(paragraphs) : null;
  const found = plain ?? cleaned!;
  const byline = cleanLine(meta.byline ?? null)?.replace(/^by\s+/i, '') ?? found.byline;
  // Plain text keeps its own layout; a front-matter title goes on the first line.
  const text = cleaned ? composeArticleText(headline, cleaned.paragraphs, byline) : meta.title ? `${headline}\n\n${plain!.text}` : plain!.text;
  const url = meta.url && /^https?:\/\//i.test(meta.url) ? meta.url : null;
  const publishedAt = parseLooseDate(meta.date) ?? (found.published?.iso ?? null);
  return {
    text,
    title: headline,
    byline,
    url,
    guid: meta.guid ?? (url ? null : fileGuid(file)),
    publishedAt,
    // A header date that could not be read is kept as written (and counted by the ingest summary).
    publishedRaw: publishedAt ? null : (meta.date ?? null),
    updatedAt: parseLooseDate(meta.updated) ?? (found.updated?.iso ?? null),
    embargoUntil: parseLooseDate(meta.embargo),
    source: file,
  };
}

/**
 * Reads one story file into source items (a ninjs file may hold several stories).
 * Never throws: a file that cannot be read or understood becomes one failed item with the reason.
 * @param file path of a `.txt`, `.md`, `.html`/`.htm` or `.json` file
 * @param maxBytes size cap, default 10 MiB
 */
export async function readStoryFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<SourceItem[]> {
  const ext = path.extname(file).toLowerCase();
  try {
    const bytes = await readCapped(file, maxBytes);
    const decoded = decodeBytes(bytes);
    // JSON is mostly punctuation by nature; its parser and the ninjs schema judge it instead.
    if (ext !== '.json') assertLooksLikeText(decoded.text);
    switch (ext) {
      case '.json':
        return ninjsItems(decoded.text, file);
      case '.html':
      case '.htm':
        return [{ ok: true, ref: file, input: htmlToArticleInput(decoded.text, file) }];
      case '.md':
      case '.markdown': {
        const { meta, body } = splitFrontMatter(decoded.text.replace(/\r\n?/g, '\n'));
        const story = markdownToStory(body);
        if (story.paragraphs.length === 0) throw new Error('no story text in the file');
        return [{ ok: true, ref: file, input: textInput(file, story.title, story.paragraphs, meta, null) }];
      }
      case '.txt': {
        const { meta, body } = splitFrontMatter(decoded.text.replace(/\r\n?/g, '\n'));
        const text = cleanText(body);
        if (!text) throw new Error('no story text in the file');
        return [{ ok: true, ref: file, input: textInput(file, null, [], meta, text) }];
      }
      default:
        throw new Error(`unsupported file type ${ext || '(none)'}; expected one of ${STORY_EXTENSIONS.join(', ')}`);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'ENOENT' ? 'file not found (deleted?)' : e.code === 'EACCES' ? 'permission denied' : e.message;
    return [{ ok: false, ref: file, reason }];
  }
}
