/**
 * Evidence: what in a candidate mention and around it supports each type. A person's: an
 * honorific, a reporting verb next to the name ("said Ortega", "Ortega said"), an appositive
 * role or who-clause, a title before the name, a given name from the lists. A country's or
 * place's: the country data and gazetteer. An organisation's: an acronym, a news outlet's name.
 * A capital's city reading: a place preposition or a city body beside it. Each test is small
 * and named so that a wrong type can be traced to the evidence that gave it.
 */
import { lookupCountry } from '../countries.js';
import { HONORIFICS, LOCATIVE_PREPS, NAME_SUFFIXES, NEWS_OUTLETS, PRE_TITLE_HEADS, ROLE_HEADS } from '../lexicon.js';
import type { Token } from '../tokens.js';
import { fold, isGivenName, type EntityDoc } from './doc.js';
import { CITY_BODIES, CITY_OF_NOUNS, CITY_PREPS, KINSHIP_NOUNS, MEETING_NOUNS, PERSON_RELATIVES, PLACE_OF, SPEECH_AFTER_NAME, SPEECH_BEFORE_NAME } from './lexicon.js';
import { personByShort } from './merging.js';

/** True when a role noun appears within a few tokens after index k, before a comma or period (an appositive role). */
export function roleAhead(d: EntityDoc, k: number): boolean {
  const { tokens } = d;
  for (let q = k; q < Math.min(tokens.length, k + 6); q++) {
    const t = tokens[q]!;
    if (t.text === ',' || t.text === '.') return false;
    if (ROLE_HEADS.has(t.lower)) return true;
  }
  return false;
}

/** "Grimm, 45, a nurse": an age set off by commas after the name ending at `last` (AP Stylebook, "ages"). */
export function ageAfter(d: EntityDoc, last: Token): boolean {
  const { tokens } = d;
  const age = tokens[last.i + 2];
  return tokens[last.i + 1]?.text === ',' && !!age && /^\d{1,3}$/.test(age.text) && Number(age.text) < 120 && /^[,.]$/.test(tokens[last.i + 3]?.text ?? '');
}

/** "his daughter Ivanka", "his wife, Jane,": a kinship noun before the name starting at `first`. */
export function kinshipBefore(d: EntityDoc, first: Token): boolean {
  const { tokens } = d;
  const kin = tokens[first.i - 1]?.text === ',' ? tokens[first.i - 2] : tokens[first.i - 1];
  return !!kin && KINSHIP_NOUNS.has(kin.lower) && !kin.cap;
}

/**
 * Evidence that a run (usually one word) is a person: an honorific ("Mr. Ortega"), inverted
 * attribution ("said Ortega"; not "told Reuters", whose object is often an outlet), a reporting
 * verb after it ("Ortega said"), a kinship noun before it ("his daughter Ivanka", "his wife, Jane"),
 * or an appositive ("Ortega, who …", "Ortega, the agency's director").
 */
export function personEvidence(d: EntityDoc, toks: Token[]): boolean {
  const { tokens } = d;
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  if (HONORIFICS.has(first.lower)) return true;
  const prev = tokens[first.i - 1];
  const next = tokens[last.i + 1];
  const next2 = tokens[last.i + 2];
  // "said Florida’s Rick Wilson": a possessive after the verb owns the speaker, it is not one.
  if (prev && SPEECH_BEFORE_NAME.has(prev.lower) && !LOCATIVE_PREPS.has(prev.lower) && !last.possessive) return true;
  if (next && SPEECH_AFTER_NAME.has(next.lower)) return true;
  if (ageAfter(d, last) || kinshipBefore(d, first)) return true;
  // an appositive after "Bryant of Mississippi, a former backer" describes the head before "of", not the PP's object
  if (prev && /^(of|from)$/.test(prev.lower)) return false;
  if (next?.text === ',' && next2 && (PERSON_RELATIVES.has(next2.lower) || ((next2.lower === 'a' || next2.lower === 'an' || next2.lower === 'the') && roleAhead(d, next2.i)))) return true;
  return false;
}

/**
 * Evidence strong enough to keep a gazetteer or locative name a person: an honorific, a
 * reporting verb after it, or (for one word) a person already known by that name. The first
 * word of a longer run is no short reference ("New" of "New York" is not the "New" of "New Yorkers").
 */
export function strongPersonEvidence(d: EntityDoc, toks: Token[]): boolean {
  const first = toks[0]!;
  const next = d.tokens[toks[toks.length - 1]!.i + 1];
  return HONORIFICS.has(first.lower) || (!!next && SPEECH_AFTER_NAME.has(next.lower)) || (toks.length === 1 && !!personByShort(d, [first.base], first.start));
}

/**
 * Whether the words before a run put it among places, whatever follows it: a place preposition
 * or "of"/"on" ("Sen. Jeff Merkley of Oregon, who …", "the senator from Vermont said", "the
 * Committee on Benghazi said"), a list of places ("Alabama, Georgia and Virginia said"), or the
 * state after its city ("Manchester, New Hampshire,"). Used for gazetteer names only, after known
 * people's short names have been read (so "according to Carson" stays Ben Carson once he is named).
 */
export function placeContextBefore(d: EntityDoc, first: Token): boolean {
  const { tokens, tokenEntity, byId } = d;
  const b1 = tokens[first.i - 1];
  const b2 = tokens[first.i - 2];
  if (!b1 || b1.sentence !== first.sentence) return false;
  if (b1.word && (LOCATIVE_PREPS.has(b1.lower) || PLACE_OF.has(b1.lower))) return true;
  const b2Type = b2 && tokenEntity[b2.i] ? byId.get(tokenEntity[b2.i]!)?.type : undefined;
  if ((b1.lower === 'and' || b1.lower === 'or') && (b2Type === 'place' || b2Type === 'country')) return true;
  return b1.text === ',' && b2Type === 'place';
}

/**
 * Whether a capital's mention names the city (AP style: a capital stands for its government
 * only where it acts as one): a place preposition before it ("in Lisbon", unless "talks in
 * Moscow"), "the mayor of Paris", or a city body after it ("Lisbon's mayor", "the Lisbon tram operator").
 */
export function cityContext(d: EntityDoc, toks: Token[]): boolean {
  const { tokens } = d;
  const first = toks[0]!;
  const last = toks[toks.length - 1]!;
  const before = tokens[first.i - 1];
  const after = tokens[last.i + 1];
  const after2 = tokens[last.i + 2];
  if (before?.word && CITY_PREPS.has(before.lower) && !MEETING_NOUNS.has(tokens[first.i - 2]?.lower ?? '')) return true;
  if (before?.lower === 'of' && CITY_OF_NOUNS.has(tokens[first.i - 2]?.lower ?? '')) return true;
  if (last.possessive && after?.word && CITY_BODIES.has(after.lower)) return true;
  if (!last.possessive && after?.word && !after.cap && CITY_BODIES.has(after.lower) && !/^(said|says)$/.test(after2?.lower ?? '')) return true;
  return false;
}

/**
 * Whether token t of a run is an acronym ("NATO", "IMF"); a dotted one ("N.A.T.O.") only when
 * it stands alone, since "R.J. Whitcombe" is initials. Name suffixes ("III") and title words
 * ("CEO") are not acronyms of bodies.
 * @param runLength number of tokens in the run t belongs to
 */
export function isAcronym(t: Token, runLength: number): boolean {
  return (t.base.includes('.') ? runLength === 1 && /^(\p{Lu}\.){2,6}$/u.test(t.base) : /^\p{Lu}{2,6}$/u.test(t.base)) && !NAME_SUFFIXES.has(t.lower) && !PRE_TITLE_HEADS.has(t.lower);
}

/** Whether a surface form is any country form (name, alias, demonym, capital). */
export const isCountryForm = (s: string): boolean => lookupCountry(s).length > 0;

/**
 * The name of a news agency or outlet named bare ("told Reuters", "according to the Guardian"),
 * or null: an organisation, never a person.
 * @param before the token before the run ("the" joins outlets whose name carries it)
 */
export function outletName(surface: string, before: Token | undefined): string | null {
  return NEWS_OUTLETS.has(fold(surface)) || (before?.lower === 'the' && NEWS_OUTLETS.has(`the ${fold(surface)}`)) ? surface : null;
}

/**
 * Index of the last title word in a capitalised run that is followed by more name words, or -1
 * ("French President Emmanuel Macron" → 1). "Prime" alone does not end a title; in "Secretary of
 * State John F. Kerry", "Minister of Finance Ana Ruiz" the "of" phrase belongs to the title, up
 * to a known given name (else the name is the last two words).
 * @param lows the run's words, lowercase
 */
export function lastTitleIndex(lows: string[]): number {
  let idx = -1;
  for (let k = 0; k < lows.length - 1; k++) {
    const w = lows[k]!;
    const parts = w.split('-');
    if (PRE_TITLE_HEADS.has(w) || parts.some((p) => PRE_TITLE_HEADS.has(p) && p !== 'vice')) idx = k;
  }
  if (idx >= 0 && lows[idx + 1] === 'of') {
    let j = idx + 2;
    while (j < lows.length - 2 && !isGivenName(lows[j]!)) j++;
    if (j < lows.length) idx = j - 1;
  }
  return idx;
}
