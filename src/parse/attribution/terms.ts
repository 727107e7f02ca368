/**
 * Term stage: quotations that are not speech — titles and names of things (“Operation Jade
 * Mirror”), so-called and "known as" names, and labels ("the “legacy” collection, a label …").
 * Such a quotation becomes a `term`, never a quote with a speaker.
 */
import { nicknameIntro } from '../entities/nicknames.js';
import { FUNCTION_WORDS, LABEL_NOUNS, NAMING_CUES } from '../lexicon.js';
import type { QuoteSpan } from '../quotemarks.js';
import type { Sentence } from '../types.js';
import type { Doc } from './doc.js';

/** True when a quoted text looks like a title or name: its content words are capitalised (at least two, or a single word). */
export function titleLike(q: string): boolean {
  const words = q.replace(/[.,!?;:]+$/, '').split(/\s+/).filter(Boolean);
  if (!words.length || words.length > 8) return false;
  const content = words.filter((w, k) => k === 0 || !FUNCTION_WORDS.has(w.toLowerCase()) || /^\p{Lu}/u.test(w));
  const caps = content.filter((w) => /^[\p{Lu}\d]/u.test(w));
  // "Stations are not." is a sentence, not a title: a title capitalises at least two words (or is one word).
  return caps.length === content.length && (caps.length >= 2 || (words.length === 1 && !/[.!?]$/.test(q.trim())));
}

const LABEL_AFTER = new RegExp(`^\\s*(?:[\\w-]+\\s+){0,2}?[\\w-]*,?\\s+(?:a|an|the)\\s+(?:[\\w-]+\\s+)?(${[...LABEL_NOUNS].join('|')})\\b`);
const WORK_AFTER = /^\s*,?\s*(?:a|an)\s+(?:memoir|book|report|study|film|documentary|programme|program|series|campaign|crackdown|operation|novel|album|song|play|plan|initiative|project|designation|law|bill)\b/;
const KNOWN_AS = /\b(known|referred to)(?: [\w’']+){0,3} as$/i;

/** Why a quotation is a term, if it is one. */
export interface TermReading {
  /** The quotation names a thing and is no speech. */
  term: boolean;
  /** Introduced by "known as" / "referred to as": a nickname of the sentence's subject. */
  knownAs: boolean;
}

/**
 * Reads whether quotation q is a term: a short quotation after a naming cue ("so-called",
 * "dubbed", "known as", "called" after a non-pronoun, a nickname intro such as "who calls himself"), a quotation followed by a label noun
 * or a kind of work ("“Null Island”, a term …", "“Tidewater”, a memoir"), or a title-cased
 * quotation with no attribution after it.
 * @param openTok index of the opening mark's token
 * @param attributed whether an attribution follows the quotation
 */
export function readTerm(d: Doc, q: QuoteSpan, sOpen: Sentence, openTok: number, attributed: boolean): TermReading {
  const { tokens, text, refAt } = d;
  const qText = text.slice(q.start, q.end);
  const prevWords = tokens.slice(Math.max(0, openTok - 4), openTok).filter((t) => t.word && t.sentence === sOpen.index);
  const prevLows = prevWords.map((t) => t.lower);
  const calledAsName = prevWords.length >= 2 && prevWords[prevWords.length - 1]!.lower === 'called' && !/^(he|she|they|we|i|you|who|what|which|critics|officials|analysts)$/.test(prevWords[prevWords.length - 2]!.lower) && !refAt.has(prevWords[prevWords.length - 2]!.i);
  const lead = text.slice(Math.max(sOpen.start, q.open - 40), q.open).trim();
  const knownAs = KNOWN_AS.test(lead);
  // "who calls himself “Dutch”", "whom fans call “Dutch”", "goes by “Dutch”": a nickname (entities/nicknames.ts).
  const nickname = nicknameIntro(lead, qText);
  const namingBefore = prevLows.slice(-2).some((w) => NAMING_CUES.has(w)) || calledAsName || knownAs || nickname || /\bcode name$/.test(text.slice(Math.max(0, q.open - 12), q.open).trim());
  const after = text.slice(q.close + 1, Math.min(text.length, q.close + 40));
  const labelAfter = LABEL_AFTER.test(after) || WORK_AFTER.test(after);
  const titled = titleLike(qText) && !attributed;
  const soCalledFragment = namingBefore && qText.split(/\s+/).length <= 8;
  return { term: soCalledFragment || labelAfter || titled, knownAs };
}
