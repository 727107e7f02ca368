/**
 * Bylines kept out of the story text. Pages, feeds and story files often print the byline block
 * as the first paragraphs of the body: `By Jane Doe, Staff Writer`, `Dana Whitlock July 10,
 * 2015`, `By Dana Whitlock | Published 10 July 2015`, or a date line alone. Left in the body, the
 * parser reads them as sentences (a person "Dana Whitlock July"). This module recognises such
 * blocks, takes the name as the byline and the date as the publication (or update) time.
 */
import { parseLooseDate, splitBylineDate, type FoundDate } from './dates.js';
import { stripFurniture, type FurnitureResult } from './furniture.js';

/** What a byline block holds. */
export interface BylineBlock {
  /** The name(s), without "By" (null for a date line alone). */
  byline: string | null;
  /** The date the block prints, or null. */
  date: FoundDate | null;
  /** True when the date is labelled as an update ("Updated 3:15 PM …"). */
  updated: boolean;
}

/** A personal name as bylines print it: two to five words, each capitalised or a name particle. */
const NAME = /^(?:\p{Lu}[\p{L}'’.-]*)(?:\s+(?:\p{Lu}[\p{L}'’.-]*|de|da|del|della|der|di|du|la|le|van|von|bin|al|ibn|y|and|&))*$/u;

/** First words after "By" that start a sentence, not a name ("By Friday", "By March", "By The time"). */
const NOT_A_NAME = /^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|noon|midnight|dawn|then|now|the|this|that|late|early|contrast|comparison|law|far|day|night)$/i;

/** Longest paragraph taken for a byline block, in characters. */
const MAX_BLOCK = 160;

/**
 * Reads a paragraph as a byline block: it opens with "By" and a capitalised word, or it is a name
 * followed by a date, or it is only a date (optionally labelled "Published", "Updated"). A
 * sentence is never one: blocks are short and do not end in a full stop (an abbreviation aside).
 * @returns the block, or null when the paragraph is story text
 */
export function readBylineBlock(paragraph: string): BylineBlock | null {
  const p = paragraph.replace(/\s+/g, ' ').trim();
  if (!p || p.length > MAX_BLOCK || p.split(' ').length > 24) return null;
  if (/[.!?]["”’]?$/.test(p) && !/\b(?:[A-Z][a-z]{0,2}|[ap]\.m)\.$/.test(p)) return null;
  const split = splitBylineDate(p);
  if (/^[Bb][Yy][:\s]+\p{Lu}/u.test(p)) {
    const byline = (split ? split.byline : p.replace(/^by[:\s]+/i, '').trim()) || null;
    // "By Jane Okafor, Staff Writer", "By Reuters": a name first. "By Friday, 40 traders…": a sentence.
    const first = (byline ?? '').split(/\s*[,|·•—–]\s*/)[0] ?? '';
    const words = first.split(' ');
    if (byline && (NAME.test(first) || /^\p{Lu}{2,}$/u.test(first)) && words.length <= 6 && !NOT_A_NAME.test(words[0]!)) {
      return { byline, date: split?.date ?? null, updated: split?.updated ?? false };
    }
    return null;
  }
  if (split) {
    if (split.byline === null) return { byline: null, date: split.date, updated: split.updated };
    const name = split.byline.split(/\s*[,|·•]\s*/)[0]!;
    if (NAME.test(name) && name.split(' ').length >= 2 && name.split(' ').length <= 6) return { byline: split.byline, date: split.date, updated: split.updated };
    return null;
  }
  // A date line alone ("Published: 10 July 2015").
  const bare = p.replace(/^(?:published|posted|updated|last updated)\b[:\s]*/i, '');
  const iso = /\d/.test(bare) && bare.length <= 60 ? parseLooseDate(bare) : null;
  return iso ? { byline: null, date: { iso, raw: bare }, updated: /^(?:updated|last updated)\b/i.test(p) } : null;
}

/** The opening paragraphs of a story with its byline blocks taken out. */
export interface SeparatedByline {
  paragraphs: string[];
  /** The first name found, or null. */
  byline: string | null;
  /** The first publication date found (not labelled "Updated"), or null. */
  published: FoundDate | null;
  /** The first update date found, or null. */
  updated: FoundDate | null;
}

/**
 * Takes the byline blocks (see `readBylineBlock`) off the start of a story's paragraphs: at most
 * `max` leading paragraphs are looked at, and the first that is story text ends the look.
 */
export function separateByline(paragraphs: readonly string[], max = 3): SeparatedByline {
  let byline: string | null = null;
  let published: FoundDate | null = null;
  let updated: FoundDate | null = null;
  let i = 0;
  for (; i < paragraphs.length && i < max; i++) {
    const block = readBylineBlock(paragraphs[i]!);
    if (!block) break;
    byline ??= block.byline;
    if (block.date && block.updated) updated ??= block.date;
    else if (block.date) published ??= block.date;
  }
  // Never take the whole story: a story that is only a byline keeps it.
  if (i >= paragraphs.length) return { paragraphs: [...paragraphs], byline: null, published: null, updated: null };
  return { paragraphs: paragraphs.slice(i), byline, published, updated };
}

/** A story's paragraphs cleaned of furniture and byline blocks, with what the blocks said. */
export interface CleanedStory extends SeparatedByline {
  /** Furniture taken out, by rule (see `furniture.ts`). */
  removed: FurnitureResult['removed'];
}

/**
 * The body paragraphs of a page, feed item or story file made story text: furniture removed
 * (`stripFurniture`), then the byline blocks at the top separated (`separateByline`).
 */
export function cleanStoryParagraphs(paragraphs: readonly string[]): CleanedStory {
  const f = stripFurniture(paragraphs);
  return { ...separateByline(f.paragraphs), removed: f.removed };
}
