/**
 * Cue stage: which tokens are reporting verbs (cues) in use as verbs. The lexicon
 * (`CUE_FORMS`: every inflected form of each reporting-verb lemma) is in ../lexicon.ts; this
 * stage decides, from the words around a form, whether it reports speech here ("she said",
 * "warned that") or is something else ("a stark warning", "to counter", "state media",
 * "dismissed reports that").
 */
import { CUE_FORMS } from '../lexicon.js';
import type { Token } from '../tokens.js';
import type { Doc } from './doc.js';

/** A lowercase reporting-verb form outside quotation marks. */
export const isCueWord = (t: Token | undefined): boolean => !!t && t.word && !t.cap && CUE_FORMS.has(t.lower) && !t.quoted;

/** Lemma of a cue form ("told" → "tell"), or undefined. */
export const cueLemma = (t: Token | undefined): string | undefined => (t ? CUE_FORMS.get(t.lower) : undefined);

/** Bare forms that double as nouns or infinitives and are cues only with a subject before them. */
const BARE_FORM_CUES = /^(say|warn|note|argue|insist|claim|contend|estimate|believe|fear|expect|agree|suggest|predict|report|tell|add|concede|acknowledge|admit|maintain)$/;

/**
 * True when the token at `t` is a reporting verb used as a verb. Not after "to" (an
 * infinitive), not a gerund after a determiner ("a warning"), and a bare form ("say", "warn")
 * only after its subject (a reference, a pronoun, a plural noun or a name) or before "that".
 */
export function isCue(d: Doc, t: Token | undefined): boolean {
  if (!isCueWord(t)) return false;
  const { tokens, refAt } = d;
  const p1 = tokens[t!.i - 1];
  const p2 = tokens[t!.i - 2];
  // "went on to say" / "goes on to say": the infinitive carries the speech of the clause's subject.
  if (p1?.lower === 'to') return p2?.lower === 'on' && /^(went|go|goes|going|gone)$/.test(tokens[t!.i - 3]?.lower ?? '');
  if (/ing$/.test(t!.lower) && (/^(a|an|the|his|her|its|their|this|our|any|no)$/.test(p1?.lower ?? '') || (/^(a|an|the|his|her|its|their)$/.test(p2?.lower ?? '') && p1?.word && !p1.cap))) return false;
  const bare = CUE_FORMS.get(t!.lower) === t!.lower;
  if (bare && !BARE_FORM_CUES.test(t!.lower)) return false;
  if (bare && d.tokens[t!.i + 1]?.lower === 'that' && p1?.word) return true;
  if (bare && !(p1 && (refAt.has(p1.i) || /^(they|we|i|you|who|that)$/.test(p1.lower) || (p1.word && !p1.cap && /s$/.test(p1.lower)) || p1.cap))) return false;
  return true;
}

/** True when a cue word at token k is used as a noun ("dismissed reports that", "the statement"). */
export function nounUse(d: Doc, k: number): boolean {
  const t = d.tokens[k]!;
  // "member states", "the United States": a plural noun, not the verb "states"
  // "offered states billions": the object of another verb
  if (t.lower === 'states' && /ed$/.test(d.tokens[k - 1]?.lower ?? '')) return true;
  if (t.lower === 'states' && /^(member|the|united|gulf|baltic|arab|nordic|several|other|all|some|many|these|those|two|three|both|european|island|coastal|southern|northern|western|eastern)$/.test(d.tokens[k - 1]?.lower ?? '')) return true;
  const p = d.tokens[k - 1];
  // "Trump’s remarks", "the union’s warning": after a possessive every cue form is a noun
  if (p?.possessive) return true;
  if (!/^(reports?|claims?|calls?|statements?|warnings?|promises?|pledges?|estimates?|forecasts?|notes?|remarks?|comments?)$/.test(t.lower)) return false;
  return !p || /^(the|a|an|his|her|their|its|dismissed|denied|rejected|media|news|press|recent|earlier|some|these|those|such|of|amid)$/.test(p.lower) || CUE_FORMS.has(p.lower);
}
