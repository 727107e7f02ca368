/**
 * The ingest pipeline: article text → `parseArticle` → `index.upsert`, one story at a time.
 * Sources (folders, pages, feeds, ninjs) build `ArticleInput`s and hand them to `ingestInput`;
 * `ingestPaths` does that for files and folders. `readArticleFile` reads one file's raw text
 * for `cli parse`, whose offsets must be those of the file. A story that fails is reported and
 * skipped: nothing already indexed is lost.
 */
import { decodeBytes } from './charset.js';
import fs from 'node:fs';
import { z } from 'zod';
import type { ArticleIndex, ArticleInput, UpsertResult } from '../index/types.js';
import { parseArticle } from '../parse/index.js';
import type { ParsedArticle } from '../parse/types.js';
import { withStoryDate } from './dates.js';
import { DEFAULT_MAX_FILE_BYTES } from './files.js';
import { FileSource, FolderSource } from './folder.js';
import { runIngest, type StoreFn } from './runner.js';
import { tooLargeReason } from './size.js';
import type { Source } from './types.js';

/** Largest article file read, in bytes: the sources' cap (10 MiB). Larger files are refused with a clear message. */
export const MAX_ARTICLE_FILE_BYTES = DEFAULT_MAX_FILE_BYTES;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads an article file as UTF-8 text (a byte-order mark is kept, so offsets match the file
 * decoded as UTF-8); a file in another encoding (UTF-16 with its mark, Latin-1, Windows-1252) is
 * decoded as ingest decodes it. Clear errors for missing, oversized, binary and non-regular files.
 * @throws Error whose message starts with the file path
 */
export function readArticleFile(file: string, maxBytes = MAX_ARTICLE_FILE_BYTES): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (stat.isDirectory()) throw new Error(`${file}: is a folder, not an article file`);
  // A device or a pipe (/dev/zero) reports no size and never ends: only regular files are read.
  if (!stat.isFile()) throw new Error(`${file}: is not a regular file`);
  if (stat.size > maxBytes) {
    throw new Error(`${file}: ${tooLargeReason(stat.size, maxBytes)}`);
  }
  const buf = fs.readFileSync(file);
  const utf16 = (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
  if (!utf16 && buf.includes(0)) throw new Error(`${file}: looks like a binary file (it contains NUL bytes), not a story`);
  try {
    return utf8.decode(buf);
  } catch {
    // Not UTF-8 (a UTF-16 file with its byte-order mark, Latin-1, Windows-1252): decoded as ingest
    // decodes it, so the parse shown is the parse the bot indexes.
    return decodeBytes(buf).text;
  }
}

const isoDate = z
  .string()
  .refine((v) => v.trim() === '' || !Number.isNaN(Date.parse(v)), 'expected an ISO 8601 date or date-time')
  .nullish();

/** The fields of an `ArticleInput`, checked before anything is stored. */
export const ArticleInputSchema = z.object({
  text: z.string(),
  title: z.string().nullish(),
  byline: z.string().nullish(),
  url: z.string().nullish(),
  guid: z.string().nullish(),
  publishedAt: isoDate,
  publishedRaw: z.string().nullish(),
  updatedAt: isoDate,
  fetchedAt: isoDate,
  embargoUntil: isoDate,
  source: z.string().min(1),
});

/**
 * Checks a story before it is parsed or stored: the `ArticleInput` fields (`ArticleInputSchema`)
 * and that the text has at least one letter or digit.
 * @returns null when the story may be stored, else the reason ("publishedAt: expected an ISO
 *   8601 date or date-time", "no article text (…)")
 */
export function checkArticleInput(input: ArticleInput): string | null {
  const checked = ArticleInputSchema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return `${issue.path.join('.') || 'input'}: ${issue.message}`;
  }
  if (!/[\p{L}\p{N}]/u.test(input.text)) return 'no article text (the story is empty or has no letters or digits)';
  return null;
}

/** What a stored story's dates were like, for the ingest summary. */
export interface DateNotes {
  /** Stored without a publication time ("undated, first seen …"). */
  undated: boolean;
  /** The source's publication date as written, when it could not be read (kept raw), else null. */
  unreadableDate: string | null;
}

/** The date notes of a story as it is stored (after `withStoryDate`). */
export function dateNotes(input: ArticleInput): DateNotes {
  const published = Boolean(input.publishedAt && input.publishedAt.trim());
  const raw = input.publishedRaw?.trim();
  return { undated: !published, unreadableDate: !published && raw ? raw : null };
}

/** What happened to one story (or one file) in the pipeline. */
export type IngestOutcome =
  | ({
      ok: true;
      /** What the story came from: a file path, a URL. */
      ref: string;
      title: string | null;
      /** The parser's non-fatal warnings (truncated input, unbalanced quotation marks). */
      warnings: string[];
    } & UpsertResult &
      DateNotes)
  | { ok: false; ref: string; error: string };

/**
 * Parses one story and stores it. Never throws for bad input: empty text, invalid metadata
 * and storage failures come back as `{ ok: false, error }` and the index keeps what it had.
 * @param parse the parser (tests may pass a fake); default `parseArticle`
 */
export async function ingestInput(
  index: ArticleIndex,
  input: ArticleInput,
  ref: string = input.source,
  parse: (text: string) => ParsedArticle = parseArticle,
): Promise<IngestOutcome> {
  const bad = checkArticleInput(input);
  if (bad !== null) return { ok: false, ref, error: bad };
  try {
    const parsed = parse(input.text);
    const dated = withStoryDate(input, parsed);
    const result = await index.upsert(dated, parsed);
    return { ok: true, ref, title: input.title ?? parsed.title, warnings: parsed.warnings, ...result, ...dateNotes(dated) };
  } catch (err) {
    return { ok: false, ref, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Options of `ingestPaths`. */
export interface IngestPathsOptions {
  /** Called after each story or failed file, for logs. */
  onOutcome?: (outcome: IngestOutcome) => void;
  /**
   * Overrides the story's guid (by default a file's absolute `file:` URL when it carries none),
   * e.g. to identify the shipped examples by file name so that a moved checkout does not store them twice.
   */
  guidOf?: (ref: string) => string;
}

/**
 * Ingests story files and folders of them (`.txt`, `.md`, `.html`, `.json`, read by the folder
 * and file sources of `folder.ts`), each story parsed and stored through `ingestInput`.
 * Failures (missing paths, unreadable, binary, empty, oversized files) are reported per file
 * and the run goes on; no progress bar is drawn.
 * @returns one outcome per story or failed file, in ingestion order (files sorted by path)
 */
export async function ingestPaths(index: ArticleIndex, paths: string[], options: IngestPathsOptions = {}): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  const report = (o: IngestOutcome) => {
    outcomes.push(o);
    options.onOutcome?.(o);
  };
  const sources: Source[] = [];
  for (const p of paths) {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) report({ ok: false, ref: p, error: 'no such file or folder' });
    else sources.push(stat.isDirectory() ? new FolderSource(p) : new FileSource(p));
  }
  const store: StoreFn = async (input, ref) => {
    const outcome = await ingestInput(index, options.guidOf ? { ...input, guid: options.guidOf(ref) } : input, ref);
    report(outcome);
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome;
  };
  const summary = await runIngest(sources, store, {
    progress: false,
    onItem: (ref, status, reason) => {
      // Files that failed before reaching `store` (unreadable, binary, empty) are reported here.
      if (status === 'failed' && !outcomes.some((o) => o.ref === ref && !o.ok)) report({ ok: false, ref, error: reason ?? 'failed' });
    },
  });
  for (const e of summary.sourceErrors) report({ ok: false, ref: e.ref, error: e.reason });
  return outcomes;
}
