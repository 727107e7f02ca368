/**
 * Helpers for the parser tests: look up quotes, speakers and entities in a `ParsedArticle`
 * by a fragment of their text, and the name-matching rule of the shared scorer
 * (/work/shared/tools/score.mjs, re-implemented here because importing it runs its CLI).
 */
import { parseArticle } from '../../src/parse/index.js';
import type { Entity, ParsedArticle, Quote } from '../../src/parse/index.js';

export { parseArticle };

/**
 * The quote whose text contains `fragment`, of the given kind, else preferring `direct`, then `term`, then `indirect`.
 * @throws when no quote contains the fragment, listing the quotes that were found
 */
export function quoteWith(p: ParsedArticle, fragment: string, kind?: Quote['kind']): Quote {
  const all = p.quotes.filter((q) => q.text.includes(fragment) && (!kind || q.kind === kind));
  const q = all.find((x) => x.kind === 'direct') ?? all.find((x) => x.kind === 'term') ?? all[0];
  if (!q) throw new Error(`no ${kind ?? ''} quote contains ${JSON.stringify(fragment)}; quotes: ${JSON.stringify(p.quotes.map((x) => `${x.kind}: ${x.text}`))}`);
  return q;
}

/** Speaker name of the direct quote containing `fragment`, or null when it has none. */
export function speakerOf(p: ParsedArticle, fragment: string): string | null {
  return quoteWith(p, fragment, 'direct').speaker?.name ?? null;
}

/** The entity whose canonical name equals `name`, or undefined. */
export function entityNamed(p: ParsedArticle, name: string): Entity | undefined {
  return p.entities.find((e) => e.name === name);
}

/** Entities of one type, by canonical name. */
export function namesOfType(p: ParsedArticle, type: Entity['type']): string[] {
  return p.entities.filter((e) => e.type === type).map((e) => e.name);
}

// --- The scorer's matching rules (score.mjs), as the training scripts implement them. ---

export { nth } from '../../scripts/train/corpus.js';
import { sameName } from '../../scripts/train/corpus.js';

/**
 * True when a predicted speaker name matches one of the acceptable gold names:
 * equal after normalisation, or compatible person-name tokens (same surname, no conflicting first name).
 */
export const nameMatches = (pred: string | null | undefined, acceptable: string[]): boolean => sameName(pred, acceptable);

/** Length of the overlap of two half-open ranges. */
export const overlap = (a0: number, a1: number, b0: number, b1: number): number => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
