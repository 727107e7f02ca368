/**
 * The ingest pipeline: article text → `parseArticle` → `index.upsert`, one story at a time,
 * and the plain-text file reader that feeds it. Sources (folders, pages, feeds, ninjs) build
 * `ArticleInput`s and hand them to `ingestInput`; `ingestPaths` does that for `.txt` files and
 * folders of them. A story that fails is reported and skipped: nothing already indexed is lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { ArticleIndex, ArticleInput, UpsertResult } from '../index/types.js';
import { parseArticle } from '../parse/index.js';
import type { ParsedArticle } from '../parse/types.js';

/** Largest article file read, in bytes (10 MiB). Larger files are refused with a clear message. */
export const MAX_ARTICLE_FILE_BYTES = 10 * 1024 * 1024;

/** Extension of the plain-text story files `ingestPaths` reads from folders. */
export const TEXT_STORY_EXTENSION = '.txt';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads an article file as UTF-8 text (a byte-order mark is kept, so offsets match the file
 * decoded as UTF-8), with a clear error for missing, oversized, binary or non-UTF-8 files.
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
  if (stat.size > maxBytes) {
    throw new Error(`${file}: too large (${(stat.size / 1048576).toFixed(1)} MiB; the limit is ${(maxBytes / 1048576).toFixed(0)} MiB)`);
  }
  const buf = fs.readFileSync(file);
  if (buf.includes(0)) throw new Error(`${file}: looks like a binary file (it contains NUL bytes), not article text`);
  try {
    return utf8.decode(buf);
  } catch {
    throw new Error(`${file}: is not UTF-8 text (save it as UTF-8 and try again)`);
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
  updatedAt: isoDate,
  embargoUntil: isoDate,
  source: z.string().min(1),
});

/** What happened to one story (or one file) in the pipeline. */
export type IngestOutcome =
  | ({
      ok: true;
      /** What the story came from: a file path, a URL. */
      ref: string;
      title: string | null;
      /** The parser's non-fatal warnings (truncated input, unbalanced quotation marks). */
      warnings: string[];
    } & UpsertResult)
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
  const checked = ArticleInputSchema.safeParse(input);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    return { ok: false, ref, error: `${issue.path.join('.') || 'input'}: ${issue.message}` };
  }
  if (!/[\p{L}\p{N}]/u.test(input.text)) return { ok: false, ref, error: 'no article text (the story is empty or has no letters or digits)' };
  try {
    const parsed = parse(input.text);
    const result = await index.upsert(input, parsed);
    return { ok: true, ref, title: input.title ?? parsed.title, warnings: parsed.warnings, ...result };
  } catch (err) {
    return { ok: false, ref, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Lists the `.txt` story files under the given files and folders (folders recursively, hidden
 * entries skipped), in sorted order so ingestion order is repeatable. Files named explicitly
 * are kept whatever their extension.
 * @returns the files, and a problem line for each path that could not be read
 */
export function listStoryFiles(paths: string[]): { files: string[]; problems: { ref: string; error: string }[] } {
  const files: string[] = [];
  const problems: { ref: string; error: string }[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ ref: dir, error: (err as Error).message });
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && e.name.toLowerCase().endsWith(TEXT_STORY_EXTENSION)) files.push(full);
    }
  };
  for (const p of paths) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch {
      problems.push({ ref: p, error: 'no such file or folder' });
      continue;
    }
    if (stat.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, problems };
}

/** Options of `ingestPaths`. */
export interface IngestPathsOptions {
  /** Called after each file, for progress bars and logs. */
  onOutcome?: (outcome: IngestOutcome, done: number, total: number) => void;
  /**
   * The story's guid from its file path, so an edited file becomes a new revision of the same
   * story. Default: the file's absolute `file:` URL.
   */
  guidOf?: (file: string) => string;
}

/**
 * Ingests `.txt` files and folders of them. Each file is one story: headline on the first line,
 * then the body. Failures (unreadable, binary, empty, oversized) are reported per file and the
 * run goes on.
 * @returns one outcome per file or unreadable path, in ingestion order
 */
export async function ingestPaths(index: ArticleIndex, paths: string[], options: IngestPathsOptions = {}): Promise<IngestOutcome[]> {
  const { files, problems } = listStoryFiles(paths);
  const outcomes: IngestOutcome[] = problems.map((p) => ({ ok: false as const, ...p }));
  const guidOf = options.guidOf ?? ((f: string) => pathToFileURL(path.resolve(f)).href);
  let done = 0;
  for (const file of files) {
    let outcome: IngestOutcome;
    try {
      const text = readArticleFile(file);
      outcome = await ingestInput(index, { text, guid: guidOf(file), source: file }, file);
    } catch (err) {
      outcome = { ok: false, ref: file, error: (err as Error).message.replace(`${file}: `, '') };
    }
    outcomes.push(outcome);
    options.onOutcome?.(outcome, ++done, files.length);
  }
  return outcomes;
}
