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
 * then "did you mean" suggestions by relative edit distance (see `similar`). Several different entities at the
 * deciding step make the answer ambiguous, and the candidates are listed.
 *
 * Across stories one person may carry two keys ("person:maria-zakharova" in one story,
 * "person:zakharova" where only the surname was printed): a one-word person name is merged
 * into the only fuller person name ending with it.
 */
import { distance } from 'fastest-levenshtein';
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
  // Full person names by their last word, so each one-word name finds its owners at once.
  const byLast = new Map<string, NamedEntity[]>();
  for (const g of people) {
    const t = tokensOf(foldName(g.name));
    if (t.length >= 2) byLast.set(t.at(-1)!, [...(byLast.get(t.at(-1)!) ?? []), g]);
  }
  const merged = new Set<NamedEntity>();
  for (const g of people) {
    const t = tokensOf(foldName(g.name));
    if (t.length !== 1) continue;
    const owners = byLast.get(t[0]!) ?? [];
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

/**
 * Resolves names against a fixed list of entities. Build once per index state; lookups are cheap:
 * names, words and terms are indexed in the constructor (a few thousand entities with tens of
 * thousands of terms at 100,000 stories), and typo and similarity distances run over distinct
 * term strings, not over every entity's copy of them.
 */
export class NameResolver {
  readonly entities: NamedEntity[];
  private readonly terms: Term[] = [];
  /** Terms by `${step}:${folded}`. */
  private readonly byTerm = new Map<string, Term[]>();
  /** Terms by folded text, any step (typo and fuzzy matching run over these keys). */
  private readonly byText = new Map<string, Term[]>();
  /** Each entity's folded name and its words. */
  private readonly folded = new Map<NamedEntity, { name: string; tokens: string[]; aliases: string[] }>();
  /** Entities by each word of their name, in entity order. */
  private readonly byWord = new Map<string, NamedEntity[]>();
  /** People with a name of two or more words, by its last word. */
  private readonly byLastWord = new Map<string, NamedEntity[]>();
  private readonly order = new Map<NamedEntity, number>();

  constructor(list: EntitySummary[]) {
    this.entities = groupEntities(list);
    const push = <K,>(map: Map<K, NamedEntity[]>, k: K, e: NamedEntity) => {
      const l = map.get(k);
      if (!l) map.set(k, [e]);
      else if (l.at(-1) !== e) l.push(e);
    };
    this.entities.forEach((e, i) => {
      this.order.set(e, i);
      const name = foldName(e.name);
      const tokens = tokensOf(name);
      this.folded.set(e, { name, tokens, aliases: e.aliasDetails.filter((a) => !(a.kind && NOT_A_NAME.has(a.kind))).map((a) => foldName(a.text)) });
      for (const t of new Set(tokens)) push(this.byWord, t, e);
      if (e.type === 'person' && tokens.length >= 2) push(this.byLastWord, tokens.at(-1)!, e);
      if (name) this.terms.push({ folded: name, entity: e, step: 1 });
      for (const a of e.aliasDetails) {
        if (a.kind && NOT_A_NAME.has(a.kind)) continue;
        const f = foldQuery(a.text);
        if (f && f !== name) this.terms.push({ folded: f, entity: e, step: 2, alias: a });
      }
      for (const t of new Set(tokens)) {
        if (t.length >= 3 && !STOP.has(t) && t !== name) this.terms.push({ folded: t, entity: e, step: 3 });
      }
    });
    for (const t of this.terms) {
      const k = `${t.step}:${t.folded}`;
      this.byTerm.set(k, [...(this.byTerm.get(k) ?? []), t]);
      const x = this.byText.get(t.folded);
      if (x) x.push(t);
      else this.byText.set(t.folded, [t]);
    }
  }

  /** Every entity whose term of `step` equals `q`, in index order. */
  private exact(q: string, step: 1 | 2 | 3): Term[] {
    return this.byTerm.get(`${step}:${q}`) ?? [];
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
    const fullNameMatch = only !== null && !(only.type === 'person' && this.folded.get(only)!.tokens.length === 1);
    if (!q.includes(' ') && !fullNameMatch) {
      const owners = this.byLastWord.get(q) ?? [];
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
      // The entities holding the query's rarest word, kept when they hold every other word too.
      const lists = qt.map((t) => this.byWord.get(t) ?? []).sort((a, b) => a.length - b.length);
      const words = lists[0]!.filter((e) => {
        const nt = this.folded.get(e)!.tokens;
        return qt.every((t) => nt.includes(t));
      });
      if (words.length === 1) return { status: 'found', entity: words[0]!, match: { how: 'words' }, alsoNamed: [] };
      if (words.length > 1) return { status: 'ambiguous', candidates: rank(words), match: { how: 'words' } };
    }

    // Step 4: a small typo in a name, alias or name word.
    const tol = typoTolerance(q.replace(/ /g, '').length);
    if (tol > 0) {
      let best = Infinity;
      let hits: Term[] = [];
      for (const [text, terms] of this.byText) {
        if (Math.abs(text.length - q.length) > tol) continue;
        const d = distance(q, text);
        if (d > tol || d > best) continue;
        if (d < best) {
          best = d;
          hits = [];
        }
        hits.push(...terms);
      }
      hits.sort((a, b) => this.order.get(a.entity)! - this.order.get(b.entity)!);
      const typo = distinct(hits);
      if (typo.length === 1) return { status: 'found', entity: typo[0]!, match: { how: 'typo', matched: hits[0]!.folded }, alsoNamed: [] };
      if (typo.length > 1) return { status: 'ambiguous', candidates: rank(typo), match: { how: 'typo', matched: hits[0]!.folded } };
    }

    return { status: 'notFound', suggestions: this.similar(q, 3) };
  }

  /**
   * Entities whose names resemble `folded`, best first, for "did you mean" and autocomplete:
   * Levenshtein distance (fastest-levenshtein) over the distinct term strings, relative to the
   * longer string (`whole`, at most 0.4), or to the query against the same-length start of each
   * term (`prefix`, for what a user is still typing, at most one edit in three letters).
   */
  private similar(folded: string, limit: number, mode: 'whole' | 'prefix' = 'whole'): NamedEntity[] {
    if (folded.length < 3) return [];
    const scored: { text: string; score: number }[] = [];
    for (const text of this.byText.keys()) {
      if (mode === 'whole') {
        const longer = Math.max(text.length, folded.length);
        if (Math.abs(text.length - folded.length) > longer * 0.4) continue;
        const score = distance(folded, text) / longer;
        if (score <= 0.4) scored.push({ text, score });
      } else {
        if (text.length < folded.length) continue;
        const score = distance(folded, text.slice(0, folded.length)) / folded.length;
        if (score <= 0.34) scored.push({ text, score });
      }
    }
    scored.sort((a, b) => a.score - b.score || a.text.localeCompare(b.text));
    const out: NamedEntity[] = [];
    for (const { text } of scored) {
      for (const t of this.byText.get(text)!) {
        if (!out.includes(t.entity)) out.push(t.entity);
        if (out.length >= limit) return out;
      }
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
      pool.filter((e) => {
        const f = this.folded.get(e)!;
        return starts(f.name) || f.aliases.some(starts);
      }),
    );
    const names = first.map((e) => e.name);
    if (names.length < n) {
      for (const e of this.similar(p, n * 2, 'prefix')) if (filter(e) && !names.includes(e.name)) names.push(e.name);
    }
    return [...new Set(names)].slice(0, n);
  }
}

/** Most mentioned first, then most quoted, then by name. */
export function rank(list: NamedEntity[]): NamedEntity[] {
  return [...list].sort((a, b) => b.mentionCount - a.mentionCount || b.quoteCount - a.quoteCount || a.name.localeCompare(b.name));
}
