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

/**
 * Query parameters that only say how a reader arrived (campaign and click trackers), never which
 * story: Google Analytics' `utm_*` and `_ga`/`_gl`, ad click ids (`gclid`, `dclid`, `gbraid`,
 * `wbraid`, `fbclid`, `msclkid`, `yclid`, `twclid`, `ttclid`, `li_fat_id`), mail and social
 * trackers (`mc_cid`, `mc_eid`, `igshid`, `mkt_tok`, `ocid`, `cmpid`, `s_cid`). Matched case-insensitively.
 */
const TRACKING_PARAM = /^(utm_[a-z0-9_]*|_ga|_gl|gclid|gclsrc|dclid|gbraid|wbraid|fbclid|msclkid|yclid|twclid|ttclid|li_fat_id|mc_cid|mc_eid|igshid|mkt_tok|ocid|cmpid|s_cid)$/i;

/**
 * A story URL as it identifies the story: tracking parameters (see `TRACKING_PARAM`) and the
 * fragment removed, everything else as given (`https://n.example/a?id=7&utm_source=rss#top` →
 * `https://n.example/a?id=7`). A URL with neither, and text that is not an absolute URL, is
 * returned trimmed, exactly as given.
 */
export function storyUrl(url: string): string {
  const t = url.trim();
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return t;
  }
  const params = [...u.searchParams];
  const keep = params.filter(([k]) => !TRACKING_PARAM.test(k));
  // Untouched when there is nothing to drop, so identities stored before this rule stay as they were.
  if (keep.length === params.length && !u.hash && !t.endsWith('#')) return t;
  u.hash = '';
  if (keep.length !== params.length) {
    u.search = '';
    for (const [k, v] of keep) u.searchParams.append(k, v);
  }
  return u.href;
}
