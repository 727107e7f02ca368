/**
 * Keys and folding for names, shared by the index (cross-story entity keys) and the core
 * (name resolution), so that both read "Zelenskyy", "ZELENSKYY" and "Zelénskyy" the same way.
 */
import type { EntityType } from '../parse/types.js';

/**
 * Folds a name for comparison: NFKD, diacritics and format characters (zero-width, bidi
 * controls) removed, lower case, possessive `'s` dropped, punctuation turned into spaces,
 * whitespace collapsed. `"Zakharova’s"` → `"zakharova"`, `"U.S."` → `"u s"`.
 */
export function foldName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\p{Mn}\p{Cf}]/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The cross-story key of an entity: `${type}:${folded name with hyphens}`.
 * `entityKey('person', 'Maria Zakharova')` → `"person:maria-zakharova"`.
 */
export function entityKey(type: EntityType, name: string): string {
  return `${type}:${foldName(name).replace(/ /g, '-')}`;
}
