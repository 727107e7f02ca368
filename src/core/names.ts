/**
 * Name resolution, once for every command and every platform: from what a user typed
 * ("zakharova", "Maria Zakharova", "french", "paris", "zaharova", "ndlovu") to the entity
 * the index knows, or a clear "ambiguous" / "not found" with candidates.
 *
 * Order of evidence, strongest first; the first step that finds anything decides:
 *  1. the canonical name ("France", "Maria Zakharova"), case- and accent-insensitive;
 *  2. an alias the stories used: short forms, demonyms ("French"), metonyms ("Paris"),
 *     abbreviations ("UK"); pronouns and bare role words ("she", "the minister") never count;
 *  3. a person's surname ("Zakharova") or given name, or all the words of a longer name
 *     ("foreign ministry");
 *  4. a small typo (Levenshtein distance ≤ 1 for 4–5 letters, ≤ 2 for 6–8, ≤ 3 beyond);
 * then fuse.js offers "did you mean" suggestions. Several different entities at the
 * deciding step make the answer ambiguous, and the candidates are listed.
 *
 * Across stories one person may carry two keys ("person:maria-zakharova" in one story,
 * "person:zakharova" where only the surname was printed): a one-word person name is merged
 * into the only fuller person name ending with it.
 */
import { distance } from 'fastest-levenshtein';
import Fuse from 'fuse.js';
import { foldName } from '../index/keys.js';
import type { AliasRecord, EntitySummary } from '../index/types.js';
import type { MentionKind } from '../parse/types.js';

/** One entity as users see it: one or more cross-story keys merged. */
export interface NamedEntity extends EntitySummary {
  /** Every cross-story key merged into this entity (the first is `key`). */
  keys: string[];
}

/** How a resolution was reached, for the note in the reply. */
export type Match =
  | { how: 'name' }
  | { how: 'alias'; alias: string; kind: MentionKind | null }
  | { how: 'words' }
  | { how: 'typo'; matched: string };

/** The outcome of resolving a name. */
export type Resolution =
  | { status: 'found'; entity: NamedEntity; match: Match; /** Other entities the same words name less directly. */ alsoNamed: NamedEntity[] }
  | { status: 'ambiguous'; candidates: NamedEntity[]; match: Match }
  | { status: 'notFound'; suggestions: NamedEntity[] };

/** Mention kinds that never identify an entity on their own. */
const NOT_A_NAME: ReadonlySet<MentionKind> = new Set(['pronoun', 'description']);
/** Words too common to identify anything on their own in step 3. */
const STOP = new Set(['the', 'of', 'and', 'for', 'a', 'an', 'in', 'on', 'de', 'la', 'le', 'al', 'el', 'van', 'von', 'mr', 'ms', 'mrs', 'dr']);

/** Largest edit distance accepted as a typo for a query of `length` letters. */
export function typoTolerance(length: number): number {
  if (length < 4) return 0;
  if (length <= 5) return 1;
  if (length <= 8) return 2;
  return 3;
}

/** Folded query: accents and case gone, a leading "the" dropped ("the Kremlin" → "kremlin"). */
function foldQuery(q: string): string {
  return foldName(q).replace(/^the /, '');
}

const tokensOf = (folded: string) => folded.split(' ').filter(Boolean);

function mergeInto(target: NamedEntity, other: EntitySummary): void {
  target.keys.push(other.key);
  const addAll = (list: string[], more: string[]) => {
    for (const v of more) if (!list.some((x) => foldName(x) === foldName(v))) list.push(v);
  };
  for (const a of [{ text: other.name, kind: 'short' as const }, ...other.aliasDetails]) {
    if (foldName(a.text) !== foldName(target.name) && !target.aliasDetails.some((x) => foldName(x.text) === foldName(a.text))) {
      target.aliasDetails.push(a);
      target.aliases.push(a.text);
    }
  }
  addAll(target.roles, other.roles);
  addAll(target.affiliation, other.affiliation);
  target.mentionCount += other.mentionCount;
  target.storyCount += other.storyCount;
  target.quoteCount += other.quoteCount;
}

/** Builds the user-facing entities from the index's cross-story keys (see the module docstring). */
export function groupEntities(list: EntitySummary[]): NamedEntity[] {
  const groups: NamedEntity[] = list.map((e) => ({
    ...e,
    aliases: [...e.aliases],
    roles: [...e.roles],
    affiliation: [...e.affiliation],
    aliasDetails: e.aliasDetails.map((a) => ({ ...a })),
    keys: [e.key],
  }));
  const people = groups.filter((g) => g.type === 'person');
  const full = people.filter((g) => tokensOf(foldName(g.name)).length >= 2);
  const merged = new Set<NamedEntity>();
  for (const g of people) {
    const t = tokensOf(foldName(g.name));
    if (t.length !== 1) continue;
    const owners = full.filter((f) => tokensOf(foldName(f.name)).at(-1) === t[0]);
    if (owners.length === 1) {
      mergeInto(owners[0]!, g);
      merged.add(g);
    }
  }
  return groups.filter((g) => !merged.has(g));
}

interface Term {
  folded: string;
  entity: NamedEntity;
  step: 1 | 2 | 3;
  alias?: AliasRecord;
}

/** Resolves names against a fixed list of entities. Build once per index state; lookups are cheap. */
export class NameResolver {
  readonly entities: NamedEntity[];
  private readonly terms: Term[] = [];
  private readonly fuse: Fuse<Term>;

  constructor(list: EntitySummary[]) {
    this.entities = groupEntities(list);
    for (const e of this.entities) {
      const name = foldName(e.name);
      if (name) this.terms.push({ folded: name, entity: e, step: 1 });
      for (const a of e.aliasDetails) {
        if (a.kind && NOT_A_NAME.has(a.kind)) continue;
        const f = foldQuery(a.text);
        if (f && f !== name) this.terms.push({ folded: f, entity: e, step: 2, alias: a });
      }
      for (const t of new Set(tokensOf(name))) {
        if (t.length >= 3 && !STOP.has(t) && t !== name) this.terms.push({ folded: t, entity: e, step: 3 });
      }
    }
    this.fuse = new Fuse(this.terms, { keys: ['folded'], includeScore: true, threshold: 0.4, ignoreLocation: true });
  }

  /** Every entity whose term of `step` equals `q`, in index order. */
  private exact(q: string, step: 1 | 2 | 3): Term[] {
    return this.terms.filter((t) => t.step === step && t.folded === q);
  }

  /**
   * Resolves what a user typed.
   * @param query raw user text (already cleaned of invisible characters)
   */
  resolve(query: string): Resolution {
    const q = foldQuery(query);
    if (!q) return { status: 'notFound', suggestions: [] };
    const distinct = (terms: Term[]) => [...new Set(terms.map((t) => t.entity))];

    const byName = distinct(this.exact(q, 1));
    const byAlias = this.exact(q, 2);
    // A surname that two people's full names end with ("Ndlovu") is ambiguous, even where a story
    // used it as the short form of one of them or printed it alone as a name.
    const only = byName.length === 1 ? byName[0]! : null;
    const fullNameMatch = only !== null && !(only.type === 'person' && tokensOf(foldName(only.name)).length === 1);
    if (!q.includes(' ') && !fullNameMatch) {
      const owners = this.entities.filter((e) => e.type === 'person' && tokensOf(foldName(e.name)).length >= 2 && tokensOf(foldName(e.name)).at(-1) === q);
      if (owners.length >= 2) return { status: 'ambiguous', candidates: rank(owners), match: { how: 'words' } };
    }
    if (byName.length === 1) {
      return { status: 'found', entity: byName[0]!, match: { how: 'name' }, alsoNamed: distinct(byAlias).filter((e) => e !== byName[0]) };
    }
    if (byName.length > 1) return { status: 'ambiguous', candidates: byName, match: { how: 'name' } };

    const aliasEntities = distinct(byAlias);
    if (aliasEntities.length >= 1) {
      const first = byAlias[0]!;
      const match: Match = { how: 'alias', alias: first.alias!.text, kind: first.alias!.kind };
      if (aliasEntities.length === 1) return { status: 'found', entity: aliasEntities[0]!, match, alsoNamed: [] };
      return { status: 'ambiguous', candidates: aliasEntities, match };
    }

    // Step 3: every word of the query is a word of the name (surname, given name, "foreign ministry").
    const qt = tokensOf(q).filter((t) => !STOP.has(t));
    if (qt.length > 0) {
      const words = this.entities.filter((e) => {
        const nt = new Set(tokensOf(foldName(e.name)));
        return qt.every((t) => nt.has(t));
      });
      if (words.length === 1) return { status: 'found', entity: words[0]!, match: { how: 'words' }, alsoNamed: [] };
      if (words.length > 1) return { status: 'ambiguous', candidates: rank(words), match: { how: 'words' } };
    }

    // Step 4: a small typo in a name, alias or name word.
    const tol = typoTolerance(q.replace(/ /g, '').length);
    if (tol > 0) {
      let best = Infinity;
      let hits: Term[] = [];
      for (const t of this.terms) {
        if (Math.abs(t.folded.length - q.length) > tol) continue;
        const d = distance(q, t.folded);
        if (d > tol || d > best) continue;
        if (d < best) {
          best = d;
          hits = [];
        }
        hits.push(t);
      }
      const typo = distinct(hits);
      if (typo.length === 1) return { status: 'found', entity: typo[0]!, match: { how: 'typo', matched: hits[0]!.folded }, alsoNamed: [] };
      if (typo.length > 1) return { status: 'ambiguous', candidates: rank(typo), match: { how: 'typo', matched: hits[0]!.folded } };
    }

    return { status: 'notFound', suggestions: this.similar(q, 3) };
  }

  /** Entities whose names resemble `folded`, best first (fuse.js), for "did you mean". */
  private similar(folded: string, limit: number): NamedEntity[] {
    const out: NamedEntity[] = [];
    for (const r of this.fuse.search(folded, { limit: limit * 4 })) {
      if (!out.includes(r.item.entity)) out.push(r.item.entity);
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * Autocomplete: names starting with `prefix` (any word of the name or an alias), most
   * mentioned first, then fuzzy matches.
   * @param filter which entities qualify (e.g. only those with quotes)
   * @returns at most `limit` canonical names
   */
  suggest(prefix: string, limit: number, filter: (e: NamedEntity) => boolean = () => true): string[] {
    const n = Math.max(0, Math.min(25, Math.floor(limit)));
    const pool = this.entities.filter(filter);
    const p = foldQuery(prefix);
    if (!p) return rank(pool).slice(0, n).map((e) => e.name);
    const starts = (f: string) => f.startsWith(p) || tokensOf(f).some((t) => t.startsWith(p));
    const first = rank(
      pool.filter((e) => starts(foldName(e.name)) || e.aliasDetails.some((a) => !(a.kind && NOT_A_NAME.has(a.kind)) && starts(foldName(a.text)))),
    );
    const names = first.map((e) => e.name);
    if (names.length < n) {
      for (const e of this.similar(p, n * 2)) if (filter(e) && !names.includes(e.name)) names.push(e.name);
    }
    return [...new Set(names)].slice(0, n);
  }
}

/** Most mentioned first, then most quoted, then by name. */
export function rank(list: NamedEntity[]): NamedEntity[] {
  return [...list].sort((a, b) => b.mentionCount - a.mentionCount || b.quoteCount - a.quoteCount || a.name.localeCompare(b.name));
}
