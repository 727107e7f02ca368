/**
 * The module each parse worker thread loads (see `parse-pool.ts`): one task is one story's text,
 * its result the `ParsedArticle`, structured-cloned back to the ingesting thread. Kept to the
 * parser call alone so that a worker loads nothing but `src/parse`.
 */
import { parseArticle } from '../parse/index.js';
import type { ParsedArticle } from '../parse/types.js';

/**
 * Parses one story in the worker thread.
 * @param text the story's text, as `parseArticle` takes it
 * @returns the parse (pure data; `parseArticle` never throws for a string)
 * @throws TypeError when the task is not a string (a bug in the caller, reported as a failed item)
 */
export default function parseInWorker(text: unknown): ParsedArticle {
  if (typeof text !== 'string') throw new TypeError(`expected the story's text as a string, got ${typeof text}`);
  return parseArticle(text);
}
