/**
 * Sentence splitting for news copy.
 *
 * A boundary is a run of `.`, `!`, `?` or `…`, optionally followed by closing quotation
 * marks or brackets, then whitespace, then a token that can open a sentence (capital
 * letter, digit, opening quotation mark). It is not a boundary when the period ends:
 * a title or other abbreviation that never ends a sentence ("Mr.", "Gen.", "Sept."),
 * an initial ("Walter P. Dunmore", "R.J. Whitcombe"), or a dotted abbreviation
 * ("U.S.", "a.m.") that is followed by a word that cannot start a sentence.
 * `!` and `?` inside a quotation followed by a lowercase word ("“Stop!” she said") do not
 * end the sentence either, because the next token is lowercase.
 */
import { insideSpans } from './search.js';
import type { Paragraph, Sentence, Span } from './types.js';

/** Abbreviations that are (nearly) never sentence-final: titles, months before a day, "No." before a number. */
const NEVER_FINAL = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'cpt', 'sgt', 'cmdr', 'adm', 'brig', 'gov',
  'sen', 'rep', 'rev', 'fr', 'hon', 'pres', 'supt', 'det', 'insp', 'st', 'mt', 'ft', 'vs', 'v', 'no', 'nos', 'vol',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'approx', 'est', 'fig', 'p', 'pp',
  'ald', 'atty', 'gens', 'messrs', 'mmes', 'msgr', 'sens', 'reps', 'govs',
]);

/** Abbreviations that may end a sentence when the next word is a typical sentence opener. */
const MAYBE_FINAL = new Set([
  'inc', 'ltd', 'co', 'corp', 'jr', 'sr', 'llc', 'plc', 'bros', 'etc', 'ave', 'blvd', 'rd', 'calif', 'mass', 'ariz',
  'colo', 'conn', 'fla', 'ga', 'ill', 'ind', 'kan', 'ky', 'la', 'md', 'mich', 'minn', 'miss', 'mo', 'mont', 'neb', 'nev',
  'okla', 'ore', 'pa', 'tenn', 'tex', 'va', 'vt', 'wash', 'wis', 'wyo', 'dept', 'univ', 'assn', 'intl',
]);

/** Words that commonly open a sentence; after "U.S." or "Inc." they signal a boundary. */
const OPENERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those', 'but', 'and', 'in',
  'on', 'at', 'for', 'as', 'if', 'when', 'while', 'after', 'before', 'since', 'his', 'her', 'its', 'their', 'our',
  'there', 'however', 'meanwhile', 'yet', 'still', 'some', 'many', 'most', 'officials', 'according',
]);

const BOUNDARY = /[.!?…]+["'”’»)\]]*(?=\s)/g;

/** Classifies the token before a period; returns whether the period can end the sentence given the next word. */
function periodEnds(before: string, nextWord: string): boolean {
  // Token before the period, e.g. "Mr", "U.S", "P", "R.J", "a.m".
  const tok = /([\p{L}.]+)$/u.exec(before)?.[1] ?? '';
  const bare = tok.replace(/\.$/, '');
  const low = bare.toLowerCase();
  const nextLow = nextWord.toLowerCase();
  if (!bare) return true;
  if (NEVER_FINAL.has(low)) return false;
  // A single capital letter: an initial ("Walter P. Dunmore"), unless followed by an opener ("… Plan B. The …").
  if (/^\p{Lu}$/u.test(bare)) return OPENERS.has(nextLow) && nextWord !== nextWord.toUpperCase();
  // Dotted abbreviations: "U.S", "a.m", "R.J".
  if (/^(?:\p{L}\.)+\p{L}$/u.test(bare)) return OPENERS.has(nextLow);
  if (MAYBE_FINAL.has(low)) return OPENERS.has(nextLow);
  return true;
}

/**
 * Splits each paragraph into sentences. Sentences never cross paragraph boundaries.
 * @param text the whole article text
 * @param paragraphs paragraphs from the layout stage
 * @param quotes closed quotations (text spans between the marks): a sentence boundary inside one is not
 *   taken, so a multi-sentence quote stays in one sentence with its attribution
 * @returns sentences in order, trimmed, with offsets into `text`
 */
export function splitSentences(text: string, paragraphs: Paragraph[], quotes: Span[] = []): Sentence[] {
  const out: Sentence[] = [];
  // A boundary strictly inside a closed quotation is not taken.
  const inside = insideSpans(quotes, true);
  for (const p of paragraphs) {
    const body = text.slice(p.start, p.end);
    let start = 0;
    BOUNDARY.lastIndex = 0;
    for (let m = BOUNDARY.exec(body); m; m = BOUNDARY.exec(body)) {
      const end = m.index + m[0].length;
      if (inside(p.start + end - 1)) continue;
      const rest = body.slice(end);
      const next = /^\s+(["'“‘«(\[]?)([\p{L}\p{N}][\p{L}\p{N}’'-]*)/u.exec(rest);
      if (!next) continue;
      const opener = next[1]!;
      const word = next[2]!;
      const first = word[0]!;
      const startsUpper = /[\p{Lu}\p{N}]/u.test(first);
      if (!startsUpper && !opener) continue;
      if (!startsUpper && opener) {
        // “...” followed by a quote opening in lowercase: a continuation, not a new sentence.
        continue;
      }
      // a period closed by a quotation mark ends the quotation's sentence (“We said no.” Sen. Wu …)
      if (/^\.$/.test(m[0]) || (/^\.[)\]]+$/.test(m[0]))) {
        const before = body.slice(start, m.index);
        if (!periodEnds(before, word)) continue;
      }
      pushSentence(out, text, p, p.start + start, p.start + end);
      start = end + (rest.length - rest.trimStart().length);
    }
    if (start < body.length) pushSentence(out, text, p, p.start + start, p.end);
  }
  return out;
}

function pushSentence(out: Sentence[], text: string, p: Paragraph, s: number, e: number): void {
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  if (e <= s) return;
  out.push({ index: out.length, paragraph: p.index, start: s, end: e, text: text.slice(s, e) });
}
