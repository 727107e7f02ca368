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

// --- The scorer's matching rules (score.mjs), re-implemented. ---

const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'sir', 'dame', 'prof', 'professor', 'president', 'prime', 'minister', 'gen', 'general', 'sen', 'senator', 'rep', 'gov', 'governor', 'judge', 'justice', 'rev', 'lord', 'lady', 'king', 'queen', 'prince', 'princess', 'chancellor', 'secretary', 'mayor', 'the']);

/** Normalises a name as score.mjs does: NFKC, lowercase, possessive ’s dropped, punctuation to spaces. */
export const norm = (s: string | null | undefined): string =>
  String(s ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const nameTokens = (s: string): string[] => norm(s).split(' ').filter((t) => t && !TITLES.has(t));

/**
 * True when a predicted speaker name matches one of the acceptable gold names:
 * equal after normalisation, or compatible person-name tokens (same surname, no conflicting first name).
 */
export function nameMatches(pred: string | null | undefined, acceptable: string[]): boolean {
  if (!pred) return false;
  const p = norm(pred);
  const pt = nameTokens(pred);
  for (const g of acceptable) {
    const gn = norm(g);
    const gt = nameTokens(g);
    if (!gt.length || !pt.length) {
      if (p === gn) return true;
      continue;
    }
    if (p === gn) return true;
    if (gt.length >= 2 && pt.length >= 2) {
      if (gt[gt.length - 1] === pt[pt.length - 1] && gt[0] === pt[0]) return true;
      if (gt.join(' ') === pt.join(' ')) return true;
    } else {
      const short = gt.length === 1 ? gt : pt;
      const long = gt.length === 1 ? pt : gt;
      if (long[long.length - 1] === short[0] || (long.length === 1 && long[0] === short[0])) return true;
    }
  }
  return false;
}

/** Start offset of the n-th (1-based) occurrence of `needle` in `hay`, or -1. */
export function nth(hay: string, needle: string, n: number): number {
  let i = -1;
  for (let k = 0; k < n; k++) {
    i = hay.indexOf(needle, i + 1);
    if (i === -1) return -1;
  }
  return i;
}

/** Length of the overlap of two half-open ranges. */
export const overlap = (a0: number, a1: number, b0: number, b1: number): number => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
