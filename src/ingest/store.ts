/**
 * The glue between sources and the index: a `StoreFn` that validates, parses and upserts one
 * story through the pipeline (`ingestInput`), turning a failed outcome into an error with its
 * reason so the runner can count it.
 */
import type { ArticleIndex } from '../index/types.js';
import type { ParsedArticle } from '../parse/types.js';
import { ingestInput } from './pipeline.js';
import type { StoreFn } from './runner.js';

/**
 * A `StoreFn` writing into `index`.
 * @param parse the parser, default `parseArticle` (tests may pass another)
 */
export function storeInIndex(index: ArticleIndex, parse?: (text: string) => ParsedArticle): StoreFn {
  return async (input, ref) => {
    const outcome = await ingestInput(index, input, ref, parse);
    if (!outcome.ok) throw new Error(outcome.error);
    return { status: outcome.status, storyId: outcome.storyId, revision: outcome.revision, warnings: outcome.warnings };
  };
}
