/**
 * What a watch sees in a story (pure): the items an alert is about. For an entity watch, each
 * direct quote and reported speech of the entity (`q:<quote key>`), and the story itself
 * (`story`) when it quotes or mentions the entity at all; for a words watch, each quote holding
 * all the words, and the story when its headline and text hold them all. Items are what makes an
 * alert happen once: the store remembers them per (watch, story), so a revision alerts again only
 * for a quote whose words are new.
 *
 * An entity is matched by its cross-story keys, and a person's one-word name matches a watched
 * person whose full name ends with it (a story that prints only "Zakharova"), as name resolution
 * merges them (`groupEntities` in src/core/names.ts).
 */
import { entityKey, foldName, quoteKey } from '../index/keys.js';
import type { Entity, ParsedArticle, Quote } from '../parse/types.js';
import { sameWord } from '../core/topic.js';

/** A watch as matching needs it. */
export interface WatchTerms {
  kind: 'entity' | 'words';
  /** Entity keys (entity watches) or folded words (words watches). */
  keys: readonly string[];
}

/** What a watch found in one story. */
export interface StoryMatch {
  /** `story` and `q:<quote key>` items, in reading order (`story` first). */
  items: string[];
  /** The quote each `q:` item stands for (the first with those words). */
  quotes: Map<string, Quote>;
  /** The sentence to show when no quote is: where the entity is first mentioned, or the first holding the words. */
  sentence: number | null;
}

/** The item of a quote: its words' key (`quoteKey`), so the same words are one item. */
export function quoteItem(q: Quote): string | null {
  const key = quoteKey(q.text);
  return key === null ? null : `q:${key}`;
}

/** Whether a story entity is the watched entity (see the module docstring). */
function isWatched(e: Entity, keys: ReadonlySet<string>, surnames: ReadonlySet<string>): boolean {
  const key = entityKey(e.type, e.name);
  if (keys.has(key)) return true;
  const words = foldName(e.name).split(' ');
  return e.type === 'person' && words.length === 1 && surnames.has(words[0]!);
}

/** Every folded word of a text. */
const wordsOf = (text: string) => foldName(text).split(' ').filter(Boolean);
/** Whether `have` holds every word of `want` (plural and possessive forms count, see `sameWord`). */
const holdsAll = (have: readonly string[], want: readonly string[]) => want.every((w) => have.some((h) => sameWord(w, h)));

/** Matches one story against a watch. */
export function matchStory(watch: WatchTerms, story: { title: string; parsed: ParsedArticle }): StoryMatch {
  const { parsed } = story;
  const quotes = new Map<string, Quote>();
  const items: string[] = [];
  const addQuote = (q: Quote) => {
    const item = quoteItem(q);
    if (item && !quotes.has(item)) {
      quotes.set(item, q);
      items.push(item);
    }
  };
  const spoken = parsed.quotes.filter((q) => q.kind !== 'term');
  if (watch.kind === 'entity') {
    const keys = new Set(watch.keys);
    const surnames = new Set(watch.keys.filter((k) => k.startsWith('person:') && k.includes('-')).map((k) => k.split('-').at(-1)!));
    const mine = parsed.entities.filter((e) => isWatched(e, keys, surnames));
    if (mine.length === 0) return { items: [], quotes, sentence: null };
    const ids = new Set(mine.map((e) => e.id));
    for (const q of spoken) if (q.speaker?.entityId && ids.has(q.speaker.entityId)) addQuote(q);
    const first = mine.flatMap((e) => e.mentions).filter((m) => m.kind !== 'pronoun').sort((a, b) => a.start - b.start)[0];
    return { items: ['story', ...items], quotes, sentence: first?.sentence ?? null };
  }
  const want = watch.keys;
  if (want.length === 0) return { items: [], quotes, sentence: null };
  const all = [...wordsOf(story.title), ...parsed.sentences.flatMap((s) => wordsOf(s.text))];
  if (!holdsAll(all, want)) return { items: [], quotes, sentence: null };
  for (const q of spoken) if (holdsAll(wordsOf(q.text), want)) addQuote(q);
  // The sentence with the most of the words (the first among equals).
  let sentence: number | null = null;
  let best = 0;
  for (const s of parsed.sentences) {
    const w = wordsOf(s.text);
    const n = want.filter((x) => w.some((h) => sameWord(x, h))).length;
    if (n > best) {
      best = n;
      sentence = s.index;
    }
  }
  return { items: ['story', ...items], quotes, sentence };
}
