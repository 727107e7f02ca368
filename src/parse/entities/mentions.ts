/**
 * Candidate mentions: the capitalised runs of the text ("Maria van der Berg", "Central Bank of
 * Chile", "French President Emmanuel Macron"), each a candidate the typing stage reads, and the
 * sentences written in headline case, whose capitals are no evidence of a name.
 */
import { lookupCountry } from '../countries.js';
import { CUE_FORMS, FUNCTION_WORDS, NAME_PARTICLES, ORG_KEYWORDS, PRE_TITLE_HEADS } from '../lexicon.js';
import type { Token } from '../tokens.js';
import { isGivenName } from './doc.js';
import { OF_KEYWORDS } from './lexicon.js';

/** A maximal run of capitalised words: one candidate mention. */
export interface Chunk {
  toks: Token[];
  /** A nickname quoted inside the name ("Juan “Chico” Manriquez"): its text, not among `toks`. */
  nickname?: string;
}

const isNameWord = (t: Token): boolean => t.word && t.cap;

/** Prepositions, determiners and adverbs that Title Case capitalises but that never open a name ("By Saying", "Just Got"). */
const NAME_OPENERS_NEVER = /^(to|by|for|of|in|on|at|with|from|as|a|an|my|our|your|their|its|so|any|many|just|no|not|how|why|what|when|if|into|onto|about|after|before|over|under)$/;
/**
 * A nickname in quotation marks right after the run (at token j) and a capitalised surname after
 * it: the quoted words (one or two, capitalised), the surname's tokens and the index after them;
 * null when the run does not end in a given name or initials, or the shape does not hold.
 */
function midNameNickname(tokens: Token[], run: Token[], j: number): { nickname: string; surname: Token[]; next: number } | null {
  const last = run[run.length - 1]!;
  if (!(isGivenName(last.lower) || /^(\p{Lu}\.)+$/u.test(last.base))) return null;
  const open = tokens[j];
  if (!open || !/^[“"‘']$/.test(open.text) || open.sentence !== last.sentence) return null;
  const nick: Token[] = [];
  let k = j + 1;
  while (k < tokens.length && tokens[k]!.word && tokens[k]!.cap && nick.length < 3) nick.push(tokens[k++]!);
  const close = tokens[k];
  if (!nick.length || nick.length > 2 || !close || !/^[”"’']$/.test(close.text)) return null;
  const surname: Token[] = [];
  k++;
  while (k < tokens.length && isNameWord(tokens[k]!) && tokens[k]!.sentence === last.sentence && !FUNCTION_WORDS.has(tokens[k]!.lower) && surname.length < 3) {
    surname.push(tokens[k]!);
    if (tokens[k]!.possessive) break;
    k++;
    if (tokens[k] && tokens[k]!.start - tokens[k - 1]!.end > 1) break;
  }
  if (!surname.length) return null;
  return { nickname: nick.map((t) => t.base).join(' '), surname, next: k };
}

/** Days of the week: after a name they date the event ("in Miami Tuesday"). */
const WEEKDAY = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)$/;

/**
 * Splits the tokens into maximal runs of capitalised words in one sentence, with name particles
 * ("de la Cruz", "van Rensburg"), suffixes and "of"/"for"/"and" inside formal names ("Central
 * Bank of Chile") kept inside. A run ends at a possessive, punctuation or a line break; a
 * sentence-initial function word ("The", "However") opens none.
 */
export function chunks(tokens: Token[]): Chunk[] {
  const out: Chunk[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const positional = t.initial && FUNCTION_WORDS.has(t.lower) && t.text !== t.text.toUpperCase();
    let pe = i;
    while (tokens[pe] && tokens[pe]!.word && !tokens[pe]!.cap && NAME_PARTICLES.has(tokens[pe]!.lower) && pe - i < 3) pe++;
    const afterParticles = tokens[pe];
    const particleStart = pe > i && !(tokens[i - 1]?.cap && tokens[i - 1]!.word) && afterParticles && isNameWord(afterParticles) && afterParticles.start - tokens[pe - 1]!.end <= 1 && !FUNCTION_WORDS.has(afterParticles.lower);
    if (particleStart) {
      const run: Token[] = tokens.slice(i, pe + 1);
      let j = pe + 1;
      while (j < tokens.length && isNameWord(tokens[j]!) && !run[run.length - 1]!.possessive && tokens[j]!.start - tokens[j - 1]!.end <= 1) run.push(tokens[j++]!);
      out.push({ toks: run });
      i = j;
      continue;
    }
    // a function word never opens a name outside a headline's first word either ("To Portray", "By Saying", "A Sept.");
    // "The" opens organisation names and is typed later
    const functionStart = (NAME_OPENERS_NEVER.test(t.lower) || (FUNCTION_WORDS.has(t.lower) && t.lower !== 'the' && !isGivenName(t.lower))) && t.text !== t.text.toUpperCase();
    if (!isNameWord(t) || positional || functionStart) {
      i++;
      continue;
    }
    const run: Token[] = [t];
    let j = i + 1;
    while (j < tokens.length) {
      const prev = run[run.length - 1]!;
      if (prev.possessive || prev.sentence !== tokens[j]!.sentence) break;
      const u = tokens[j]!;
      if (u.start - prev.end > 1) break; // punctuation or line break between
      if (isNameWord(u) && !(FUNCTION_WORDS.has(u.lower) && u.lower !== 'the')) {
        if (u.lower === 'the') break;
        // "in Miami Tuesday", "Clinton said Friday": a weekday after a name is the time of the event,
        // not part of the name (but "Super Tuesday", "Black Friday" are names of days)
        if (WEEKDAY.test(u.lower) && !(run.length === 1 && /^(super|black|good|cyber|ash|holy|easter|palm|bloody|mega)$/.test(prev.lower))) break;
        run.push(u);
        j++;
        continue;
      }
      // Name particles and suffixes: "de la Cruz", "van Rensburg", "Hollis III", "Whitcombe Jr.".
      if (u.word && NAME_PARTICLES.has(u.lower)) {
        let k = j;
        while (k < tokens.length && tokens[k]!.word && NAME_PARTICLES.has(tokens[k]!.lower) && tokens[k]!.start - tokens[k - 1]!.end <= 1) k++;
        const next = tokens[k];
        if (next && isNameWord(next) && next.start - tokens[k - 1]!.end <= 1) {
          for (let q = j; q <= k; q++) run.push(tokens[q]!);
          j = k + 1;
          continue;
        }
        break;
      }
      // "of" / "for" / "and" inside organisation, place and country names.
      const keywordAhead = (): boolean => {
        for (let q = j + 1; q < tokens.length && q <= j + 5 && tokens[q]!.word && (tokens[q]!.cap || tokens[q]!.lower === 'the'); q++) if (ORG_KEYWORDS.has(tokens[q]!.lower)) return true;
        return false;
      };
      // ... but a person's name ends before its "of" phrase: "Corinne Abell of the Harbor Gazette".
      const personSoFar = !run.some((r) => OF_KEYWORDS.has(r.lower)) && run.length >= 2 && isGivenName(run[0]!.lower) && !ORG_KEYWORDS.has(run[run.length - 1]!.lower);
      if (u.word && (u.lower === 'of' || u.lower === 'for' || u.lower === 'and') && !personSoFar && (run.some((r) => OF_KEYWORDS.has(r.lower)) || keywordAhead())) {
        let k = j + 1;
        if (tokens[k]?.lower === 'the' && u.lower === 'of') k++;
        const next = tokens[k];
        // "… Tyrone Woods and Glen Doherty": "and" before a given name starts the next person
        // nor after a title and its name ("Rhode Island Gov. Gina Raimondo and New Mexico Gov. …")
        if (next && isNameWord(next) && next.sentence === u.sentence && !(u.lower === 'and' && (lookupCountry(next.base).length || isGivenName(next.lower) || run.some((r) => PRE_TITLE_HEADS.has(r.lower))))) {
          for (let q = j; q <= k; q++) run.push(tokens[q]!);
          j = k + 1;
          continue;
        }
      }
      break;
    }
    // "Juan “Chico” Manriquez", "C.L. “Butch” Otter": a nickname quoted between a given name (or
    // initials) and the surname is an alias; the name is the words around it (AP Stylebook, "nicknames").
    const mid = midNameNickname(tokens, run, j);
    if (mid) {
      out.push({ toks: [...run, ...mid.surname], nickname: mid.nickname });
      i = mid.next;
      continue;
    }
    out.push({ toks: run });
    i = j;
  }
  return out;
}

/**
 * Sentences written in headline case: at least four words, and nine in ten of the words after
 * the first capitalised (Title Case headlines, all-caps crossheads), where capitals do not mark names,
 * with no lowercase word but small function words (one allowed in ten words or more, never a
 * reporting verb: "“…,” Sen. X, Gov. Y and Gov. Z said" is an attribution);
 * not a comma-separated list (a commas-to-words ratio of 1:4 or more), which is names.
 * @returns the indexes of those sentences
 */
export function headlineSentences(tokens: Token[]): Set<number> {
  const words = new Map<number, [number, number, number, number]>();
  const commas = new Map<number, number>();
  for (const t of tokens) {
    if (t.text === ',' && !t.quoted) commas.set(t.sentence, (commas.get(t.sentence) ?? 0) + 1);
    if (!t.word || t.quoted) continue;
    const c = words.get(t.sentence) ?? [0, 0, 0, 0];
    c[0]++;
    if (t.cap && !t.initial) c[1]++;
    // Title Case leaves only small function words in lowercase; a lowercase verb ("“…,” said Sen.
    // Susan Collins") marks an ordinary sentence whose capitals are names
    if (!t.cap && !FUNCTION_WORDS.has(t.lower) && /\p{L}/u.test(t.text)) c[CUE_FORMS.has(t.lower) ? 3 : 2]++;
    words.set(t.sentence, c);
  }
  const out = new Set<number>();
  // a comma-separated list of names ("Iowa: Tim Albrecht, Brad Anderson, Rob Barron, …") is capitalised throughout
  // but is no headline: headlines carry few commas
  for (const [s, [n, caps, lowerContent, lowerCues]] of words) if (n >= 4 && caps >= 0.9 * (n - 1) && lowerCues === 0 && lowerContent <= (n >= 10 ? 1 : 0) && !((commas.get(s) ?? 0) >= 2 && (commas.get(s) ?? 0) * 4 >= n)) out.add(s);
  return out;
}
