/**
 * Turning user text into a safe SQLite FTS5 query.
 *
 * FTS5's query language gives meaning to `"`, `*`, `^`, `:`, `(`, `)`, `+`, `-` and to the
 * bare words AND, OR, NOT and NEAR (https://sqlite.org/fts5.html, section 3). User text must
 * never reach it raw: `U.S.`, `10:30`, `don't`, `title:`, a lone `"` or `NEAR` would be read as
 * syntax and fail. Here every whitespace-separated word becomes a quoted phrase of its letter
 * and digit runs (`U.S.` → `"U S"`, `10:30` → `"10 30"`, `don't` → `"don t"`), which is how the
 * unicode61 tokenizer splits the indexed text too; operators are never emitted except a prefix
 * `*` after a phrase when the user typed a trailing `*`, and `OR` between phrases on request.
 */

/** Most phrases a query keeps; the rest of a long question is dropped. */
export const MAX_QUERY_PHRASES = 32;

/** Zero-width, bidi-control and other format characters (Unicode category Cf), removed before matching. */
const FORMAT_CHARS = /\p{Cf}/gu;
/** A run of characters the unicode61 tokenizer keeps in a token. */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Builds an FTS5 MATCH expression from arbitrary user text.
 * @param mode `and`: every word must match (FTS5's implicit AND); `or`: any word may
 * @returns the expression, or null when the text holds no searchable word (only punctuation, empty)
 */
export function toFtsQuery(text: string, mode: 'and' | 'or' = 'and'): string | null {
  const phrases = ftsPhrases(text);
  if (phrases.length === 0) return null;
  return phrases.join(mode === 'and' ? ' ' : ' OR ');
}

/**
 * The quoted FTS5 phrases of user text, one per word (see `toFtsQuery`), at most `MAX_QUERY_PHRASES`.
 * `ftsPhrases('U.S. trade*')` → `['"u s"', '"trade"*']`.
 */
export function ftsPhrases(text: string): string[] {
  const phrases: string[] = [];
  for (const word of text.normalize('NFKC').replace(FORMAT_CHARS, '').split(/\s+/)) {
    const tokens = word.match(TOKEN);
    if (!tokens) continue;
    const prefix = /[\p{L}\p{N}\p{M}]\*+$/u.test(word) ? '*' : '';
    phrases.push(`"${tokens.join(' ').toLowerCase()}"${prefix}`);
    if (phrases.length >= MAX_QUERY_PHRASES) break;
  }
  return phrases;
}
