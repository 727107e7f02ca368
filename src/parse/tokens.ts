/**
 * Word tokens with offsets, per sentence. Abbreviations keep their period ("Dr.", "U.S.",
 * "Jr."), possessives are marked ("Zakharova’s" → base "Zakharova"), and a capitalised
 * word with a lowercase hyphen suffix is split ("San Francisco-based" → "Francisco", "-based").
 */
import { HONORIFICS, NAME_SUFFIXES, PRE_TITLE_HEADS } from './lexicon.js';
import type { Sentence } from './types.js';

/** One token. */
export interface Token {
  /** Surface text ("Zakharova’s"). */
  text: string;
  /** Text without a possessive ending ("Zakharova"). */
  base: string;
  lower: string;
  start: number;
  end: number;
  /** Index into the token array. */
  i: number;
  sentence: number;
  /** Word of letters (possibly with ' - . inside) rather than a number or punctuation. */
  word: boolean;
  /** First letter is uppercase. */
  cap: boolean;
  possessive: boolean;
  /** Inside a top-level quotation (speech or term). */
  quoted: boolean;
  /** First word of its sentence, or first word after an opening quotation mark or a colon. */
  initial: boolean;
}

/** Invisible format characters that may sit inside a word (zero-width space/joiners, word joiner, soft hyphen, BOM). */
export const INVISIBLE = /[\u200B-\u200D\u2060\u00AD\uFEFF]/gu;
const TOKEN = /(?:\p{Lu}\.){2,}|[\p{L}\p{M}][\p{L}\p{M}\p{N}\u200B-\u200D\u2060\u00AD\uFEFF]*(?:[’'\-.][\p{L}\p{M}\p{N}\u200B-\u200D\u2060\u00AD\uFEFF]+)*|\p{N}+(?:[.,]\p{N}+)*|[^\s\u200B-\u200D\u2060\u00AD\uFEFF]/gu;

/** Abbreviations whose period belongs to the word. */
const ABBREV = new Set([...HONORIFICS, ...PRE_TITLE_HEADS, ...NAME_SUFFIXES].filter((w) => w.endsWith('.')).map((w) => w.slice(0, -1)));
for (const w of ['inc', 'ltd', 'co', 'corp', 'st', 'calif', 'sept', 'jan', 'feb', 'aug', 'oct', 'nov', 'dec', 'gov', 'sen', 'rep', 'no', 'vs', 'mt', 'ft']) ABBREV.add(w);

/**
 * Tokenises the sentences of an article.
 * @param quoted predicate telling whether an offset lies inside a top-level quotation
 */
export function tokenize(text: string, sentences: Sentence[], quoted: (at: number) => boolean): Token[] {
  const out: Token[] = [];
  for (const s of sentences) {
    const body = text.slice(s.start, s.end);
    let initial = true;
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(body); m; m = TOKEN.exec(body)) {
      let t = m[0];
      let start = s.start + m.index;
      const isWord = /^\p{L}/u.test(t);
      if (!isWord) {
        out.push(mk(t, start, s.index, false, quoted(start), false));
        if (/[“‘"'«:(—–]/.test(t)) initial = true;
        continue;
      }
      // Split "Francisco-based", "UK-" style suffixes: capitalised stem, lowercase suffix.
      const hy = /^(\p{Lu}[\p{L}\p{M}’'.]*)-(\p{Ll}[\p{L}-]*)$/u.exec(t);
      if (hy) {
        out.push(mk(hy[1]!, start, s.index, true, quoted(start), initial));
        out.push(mk('-' + hy[2]!, start + hy[1]!.length, s.index, true, quoted(start), false));
        initial = false;
        continue;
      }
      // Keep the period of a known abbreviation or an initial ("P.").
      const after = body[m.index + t.length];
      if (after === '.' && (ABBREV.has(t.toLowerCase()) || /^\p{Lu}$/u.test(t))) {
        t += '.';
        TOKEN.lastIndex++;
      }
      out.push(mk(t, start, s.index, true, quoted(start), initial));
      initial = false;
      start = 0;
    }
  }
  out.forEach((t, i) => (t.i = i));
  return out;
}

function mk(text: string, start: number, sentence: number, word: boolean, quoted: boolean, initial: boolean): Token {
  const visible = text.replace(INVISIBLE, '');
  const poss = word && /[’']s$/u.test(visible) && visible.length > 2;
  const base = poss ? visible.slice(0, -2) : visible;
  return {
    text,
    base,
    lower: base.toLowerCase(),
    start,
    end: start + text.length,
    i: 0,
    sentence,
    word,
    cap: word && /^\p{Lu}/u.test(visible),
    possessive: poss,
    quoted,
    initial,
  };
}
