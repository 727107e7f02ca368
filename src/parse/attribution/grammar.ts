/**
 * Clause grammar for attribution: the subject of a reporting verb, the attribution right
 * after a closing quotation mark, "according to X". These are the clear-cut conventions of
 * news copy (AP Stylebook and Reuters Handbook on attribution: `“…,” Zakharova said`,
 * `said Mark Rutte, the NATO secretary-general`, `X, a spokeswoman for Y, said`), applied
 * with a light reading of clause structure: comma segments, introductory phrases, asides
 * (relative and participle clauses) and appositives.
 *
 * Every function returns a `Subject`: the speaker and the reference that named it (null
 * when the speaker is a bare noun phrase such as "Analysts in Moscow").
 */
import { CUE_FORMS, DIRECT_CUES, FUNCTION_WORDS, ROLE_HEADS, SOURCE_NOUNS, TITLE_MODIFIERS } from '../lexicon.js';
import type { Speaker } from '../types.js';
import { isCue } from './cues.js';
import { INTRO_WORDS, modifiesTitle, OPENING_CONJUNCTIONS } from './coref.js';
import { ANON_HEADS } from './mentions.js';
import { quotesWithin, sentStartTok, tokAt, type Doc, type Ref } from './doc.js';
import { titleLike } from './terms.js';

/** A speaker and the referring expression that named it (null for a bare noun phrase). */
export interface Subject {
  speaker: Speaker;
  ref: Ref | null;
}

const SKIP_BEFORE_CUE = new Set(['also', 'only', 'later', 'then', 'again', 'repeatedly', 'has', 'have', 'had', 'is', 'was', 'were', 'will', 'would', 'explicitly', 'previously', 'further', 'earlier', 'already', 'often', 'once', 'publicly', 'privately', 'reportedly', 'simply', 'just', 'never', 'not', 'quickly', 'flatly', 'firmly', 'openly', 'recently', 'separately', 'subsequently', 'initially', 'first']);
/** Subordinating conjunctions: a clause's own subject starts after one ("… when Speaker X lamented"). */
const SUBORDINATORS = /^(when|while|because|since|after|before|although|though|if|where|whereas|until|once)$/;
/** Prepositions of place that attach a location to a noun phrase ("officials in Sweden"). */
const LOCATIVE_PREPOSITIONS = new Set(['in', 'at', 'from', 'near', 'across', 'inside', 'outside', 'throughout', 'around', 'within']);
export const TIME_WORDS = /^(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|earlier|later|recently|again|also|only|previously|privately|publicly)$/;
export const NAME_PARTICLE_RE = /^(de|del|della|dela|delos|van|von|der|den|di|da|dos|du|le|al|el|bin|ibn)$/;

/** Speaker for a reference (an entity, an anonymous phrase, or a relative's antecedent), or null. */
export function speakerOfRef(d: Doc, r: Ref | undefined): Subject | null {
  if (!r) return null;
  if (r.kind === 'relative') {
    // ", who announced": the reference right before the comma.
    const ante = findRefEndingBefore(d, r.t0 - 1);
    return ante ? speakerOfRef(d, ante) : null;
  }
  if (r.entity) {
    return { speaker: { name: r.entity.name, entityId: r.entity.id }, ref: r };
  }
  if (r.phrase) return { speaker: { name: cleanPhrase(r.phrase), entityId: null }, ref: r };
  return null;
}

/** The nearest non-pronoun reference ending at or before token k (skipping commas), within 14 tokens. */
function findRefEndingBefore(d: Doc, k: number): Ref | undefined {
  let q = k;
  while (q >= 0 && d.tokens[q]!.text === ',') q--;
  for (; q >= 0 && q > k - 14; q--) {
    const r = d.refAt.get(q);
    if (r && r.kind !== 'pronoun' && r.kind !== 'relative') return r;
  }
  return undefined;
}

/** Comma-separated segments (quotations opaque) of tokens [from, to). */
function segments(d: Doc, from: number, to: number): number[][] {
  const segs: number[][] = [[]];
  for (let k = from; k < to; k++) {
    const t = d.tokens[k]!;
    if (t.text === ',' && !t.quoted) segs.push([]);
    else segs[segs.length - 1]!.push(k);
  }
  return segs.filter((s) => s.length);
}
function isIntroSeg(d: Doc, seg: number[], idx: number): boolean {
  let first = d.tokens[seg[0]!]!;
  // a conjunction opening the sentence opens no phrase: "And Sen. Rob Portman, another incumbent, said"
  // is a subject segment, "But in a statement, she said" an introduction
  if (OPENING_CONJUNCTIONS.test(first.lower) && seg.length > 1) first = d.tokens[seg[1]!]!;
  // sentence-opening participles: "Asked about …,", "Preceded at the lectern by …,"
  return idx === 0 && (INTRO_WORDS.has(first.lower) || (/ing$/.test(first.lower) && !first.cap) || (/ly$/.test(first.lower) && first.word && !first.cap) || (/ed$/.test(first.lower) && first.word && !d.refAt.get(first.i)));
}
function isAsideSeg(d: Doc, seg: number[]): boolean {
  const first = d.tokens[seg[0]!]!;
  // "retired paramedic Huw Jenkins" is an appositive name, not a participle clause
  if (TITLE_MODIFIERS.has(first.lower)) return false;
  return /^(who|which|whose|asked|speaking|because|where|when)$/.test(first.lower) || (/(ed|ing)$/.test(first.lower) && !first.cap && !/^(the|a|an)$/.test(first.lower));
}
/** The reference a segment names: its first person or anonymous source, else organisation, else any. */
function segRef(d: Doc, seg: number[]): Ref | undefined {
  const rs = seg.map((x) => d.refAt.get(x)).filter((r): r is Ref => (!!r && r.kind !== 'relative' && r.kind !== 'pronoun') || (!!r && r.kind === 'pronoun' && !!(r.entity || r.phrase)));
  return rs.find((r) => r.entity?.type === 'person' || r.kind === 'anon') ?? rs.find((r) => r.entity?.type === 'organization') ?? rs[0];
}
function segSpeaker(d: Doc, seg: number[]): Subject | null {
  const r = segRef(d, seg);
  if (r && seg.indexOf(r.t0) <= 4) return speakerOfRef(d, r);
  return genericNP(d, seg) ?? (r ? speakerOfRef(d, r) : null);
}

/** A noun phrase without a known referent as a speaker: "Analysts in Moscow", "Congolese officials", "critics". */
export function genericNP(d: Doc, seg: number[]): Subject | null {
  const { tokens, text } = d;
  const words = seg.map((k) => tokens[k]!);
  if (!words.length || words.length > 12) return null;
  // A quoted title inside the phrase names the source: the bank’s quarterly “Monetary Policy Report”.
  const q = quotesWithin(d, words[0]!.start, words[words.length - 1]!.end + 1).find((s) => titleLike(text.slice(s.start, s.end)));
  if (/^(that|to|of|in|on|at|for|with|as|by)$/.test(words[0]!.lower)) return null;
  if (q) return { speaker: { name: text.slice(q.start, q.end).replace(/[,.]$/, ''), entityId: null }, ref: null };
  if (/^(while|and|but|as|whereas)$/.test(words[0]!.lower)) words.shift();
  if (!words.length) return null;
  let end = words.length;
  for (let k = 1; k < words.length; k++) {
    const w = words[k]!;
    const prevLow = words[k - 1]!.lower;
    if (/^(in|within|at|from|near|on|for|with|published|who|which|that|alike)$/.test(w.lower) && !/^(familiar|close)$/.test(prevLow)) {
      end = k;
      break;
    }
  }
  const span = words.slice(0, end);
  const last = span[span.length - 1]!;
  if (!last.word || (FUNCTION_WORDS.has(last.lower) && !/^(officials|analysts|critics)$/.test(last.lower))) return null;
  if (span.some((t) => CUE_FORMS.has(t.lower) && !t.cap && !SOURCE_NOUNS.has(t.lower))) return null;
  return { speaker: { name: text.slice(span[0]!.start, last.end), entityId: null }, ref: null };
}

/**
 * Subject of the reporting verb at token k: the reference right before it (skipping adverbs
 * and time words: "Zakharova also said", "officials on Tuesday said"), a bare noun phrase there,
 * else (after a comma, or for a participle or coordinated verb) the head segment of the clause.
 */
export function subjectOf(d: Doc, k: number): Subject | null {
  const { tokens, refAt } = d;
  let s0 = sentStartTok(d, k);
  // A sentence that opens with the quotation (“…,” Harlan Osei, 64, said): the clause starts after it.
  if (/^[“"‘'«„]$/.test(tokens[s0]?.text ?? '') || tokens[s0]?.quoted) {
    let z = s0;
    while (z < k && (tokens[z]!.quoted || /^[“”"‘’'«»„,]$/.test(tokens[z]!.text))) z++;
    if (z < k) s0 = z;
  }
  // "Bryne went on to say": the subject of "went".
  if (tokens[k - 1]?.lower === 'to' && tokens[k - 2]?.lower === 'on' && /^(went|go|goes|going|gone)$/.test(tokens[k - 3]?.lower ?? '')) k -= 3;
  // "Rubio was asked by moderator Gerard Baker whether …": the agent of a passive "asked" speaks the question.
  if (/^(asked|questioned|pressed|told)$/.test(tokens[k]!.lower) && /^(was|were|is|are|been|being)$/.test(tokens[k - 1]?.lower ?? '') && tokens[k + 1]?.lower === 'by') {
    const agent = firstNamedSpeaker(d, k + 2, k + 10, tokens[k]!.sentence, false);
    if (agent) return agent;
  }
  // A participle or a coordinated verb shares the subject of the reporting verb it follows:
  // "…,” Lewandowski added, saying it should be “…”; "Nefzi said, adding, “…”";
  // "Lazar said he welcomed extradition and added, “…”".
  const shared = sharedSubjectCue(d, s0, k);
  if (shared >= 0) {
    const sp = subjectOf(d, shared);
    if (sp) return sp;
  }
  // "quoted Smith as saying": the object of "quoted" speaks.
  if (tokens[k]!.lower === 'saying' && tokens[k - 1]?.lower === 'as') {
    for (let z = k - 2; z >= s0 && z >= k - 8; z--) {
      if (/^(quoted|quotes|quoting)$/.test(tokens[z]!.lower)) {
        const r = refAt.get(z + 1) ?? refAt.get(z + 2);
        if (r && r.t1 < k - 1) return speakerOfRef(d, r);
        break;
      }
    }
  }
  let q = k - 1;
  for (;;) {
    const t = tokens[q];
    if (!t || q < s0) break;
    if (SKIP_BEFORE_CUE.has(t.lower) || TIME_WORDS.test(t.lower)) {
      q--;
      // "on Tuesday", "last week" between the subject and its verb
      if (/^(on|last|this)$/.test(tokens[q]?.lower ?? '') && TIME_WORDS.test(t.lower)) q--;
      continue;
    }
    if (/^(week|month|year|night|morning|evening)$/.test(t.lower) && /^(last|this|next)$/.test(tokens[q - 1]?.lower ?? '')) {
      q -= 2;
      continue;
    }
    break;
  }
  const participle = /ing$/.test(tokens[k]!.lower);
  // "Anthony Anton, president and CEO of the Restaurant Association stated": an appositive whose
  // closing comma is missing stands before the verb; the person before it speaks.
  if (q >= s0 && !(refAt.get(q)?.entity?.type === 'person')) {
    let b = q;
    while (b > s0 && tokens[b - 1]!.text !== ',' && q - b < 12) b--;
    const named = tokens[b - 1]?.text === ',' ? refAt.get(b - 2) : undefined;
    if (ROLE_HEADS.has(tokens[b]!.lower) && named?.entity?.type === 'person' && !tokens[named.t1]?.possessive) {
      const sp = speakerOfRef(d, named);
      if (sp) return sp;
    }
  }
  if (q >= s0) {
    const t = tokens[q]!;
    const r = refAt.get(q);
    if (r && (r.kind !== 'relative' || !participle)) {
      // Coordinated subjects ("Edward Dovere and Gabriel Debenedetti wrote"): the first one named.
      const before = tokens[r.t0 - 1]?.lower === 'and' ? refAt.get(r.t0 - 2) : undefined;
      if (before && before.entity?.type === 'person' && r.entity?.type === 'person' && !tokens[before.t1]?.possessive && before.t0 >= s0) {
        const sp = speakerOfRef(d, before);
        if (sp) return sp;
      }
      const head = placeModifiedSubject(d, s0, q, r.t0);
      if (head) return head;
      const sp = speakerOfRef(d, r);
      if (sp) return sp;
    }
    if (!participle && t.text !== ',' && !/^(and|but|or)$/.test(t.lower) && !t.quoted && t.text !== '”' && t.text !== '’') {
      // A noun phrase without a referent directly before the verb; stop at a comma, a quotation,
      // or the relative word of an object clause ("a campaign that officials say …").
      let b = q;
      while (b > s0 && tokens[b - 1]!.text !== ',' && !tokens[b - 1]!.quoted && !/^[“”"‘’:;]$/.test(tokens[b - 1]!.text) && !/^(that|which|but|and|whom)$/.test(tokens[b - 1]!.lower) && !SUBORDINATORS.test(tokens[b - 1]!.lower) && q - b < 10) b--;
      // "… when House Speaker Paul D. Ryan of Wisconsin lamented": the person that phrase names, before its "of"/"from" tail
      const subordinate = SUBORDINATORS.test(tokens[b - 1]?.lower ?? '');
      for (let z = b; subordinate && z <= q; z++) {
        if (/^(of|from|in|at|for|to|with|by|on)$/.test(tokens[z]!.lower)) break;
        const pr = refAt.get(z);
        if (pr && pr.entity?.type === 'person' && !tokens[pr.t1]?.possessive && pr.t0 >= b) {
          const sp = speakerOfRef(d, pr);
          if (sp) return sp;
        }
      }
      // "Sources within the UK and French governments indicated": a coordination inside a phrase
      // that modifies an unnamed source; the subject is the whole phrase, not its last conjunct.
      if (tokens[b - 1]?.lower === 'and') {
        for (let z = b - 2; z >= s0 && z >= b - 10; z--) {
          if (/^(within|inside|in|at|from|of|close)$/.test(tokens[z]!.lower) && ANON_HEADS.has(tokens[z - 1]?.lower ?? '')) {
            let h = z - 1;
            while (h > s0 && tokens[h - 1]!.word && !tokens[h - 1]!.quoted && /^(senior|top|two|three|several|some|many|other|unnamed|anonymous|government|diplomatic|military|western|european|u\.s\.)$/i.test(tokens[h - 1]!.lower)) h--;
            let e = q;
            while (e > z && /^(alike|both|too|also|all)$/.test(tokens[e]!.lower)) e--;
            return { speaker: { name: cleanPhrase(d.text.slice(tokens[h]!.start, tokens[e]!.end)), entityId: null }, ref: null };
          }
          if (/^[,;:“”"]$/.test(tokens[z]!.text)) break;
        }
      }
      const seg: number[] = [];
      for (let z = b; z <= q; z++) seg.push(z);
      const g = genericNP(d, seg);
      if (g && !/^(he|she|it|they|we|i|you)$/i.test(g.speaker.name)) return g;
    }
  }
  return mainSubject(d, s0, k);
}

/**
 * The speaker named first in tokens [from, to) of sentence si, skipping possessive modifiers: a
 * person or an unnamed source, or also an organisation when `bodies` is set. Null when none is.
 */
function firstNamedSpeaker(d: Doc, from: number, to: number, si: number, bodies: boolean): Subject | null {
  const { tokens, refAt } = d;
  for (let z = from; z < to && z < tokens.length && tokens[z]!.sentence === si; z++) {
    const r = refAt.get(z);
    if (r && !tokens[r.t1]?.possessive && (r.entity?.type === 'person' || r.kind === 'anon' || (bodies && r.entity?.type === 'organization'))) {
      const sp = speakerOfRef(d, r);
      if (sp) return sp;
    }
    if (!bodies && /^[,;:]$/.test(tokens[z]!.text)) break;
  }
  return null;
}

/**
 * The reporting verb whose subject the verb at k shares, or -1: for a participle right after
 * "<cue>," ("added, saying"), that cue; for a verb coordinated by "and" ("said … and added"),
 * the nearest earlier reporting verb of the sentence outside quotations.
 */
function sharedSubjectCue(d: Doc, s0: number, k: number): number {
  const { tokens } = d;
  const t = tokens[k]!;
  if (/ing$/.test(t.lower) && tokens[k - 1]?.text === ',' && k - 2 >= s0 && isCue(d, tokens[k - 2]) && !tokens[k - 2]!.quoted) return k - 2;
  if (tokens[k - 1]?.lower === 'and' && !/ing$/.test(t.lower)) {
    for (let z = k - 2; z >= s0; z--) {
      const u = tokens[z]!;
      if (u.quoted) continue;
      if (isCue(d, u) && !/ing$/.test(u.lower)) return z;
    }
  }
  return -1;
}

/**
 * "Officials in Sweden said", "union members at the port of Gothenburg said": the name right
 * before the verb sits in a place phrase that modifies the subject, so the subject is the noun
 * phrase before the preposition (a person, organisation or source named there, else that phrase
 * as a description), not the place. Null when the clause has no such shape.
 * @param q last token before the verb; t0 first token of the name ending at q
 */
function placeModifiedSubject(d: Doc, s0: number, q: number, t0: number): Subject | null {
  const { tokens, refAt } = d;
  let b = q;
  // the subject's phrase starts after a subordinator ("… is notable in part because House Speaker Paul Ryan has said")
  while (b > s0 && tokens[b - 1]!.text !== ',' && !tokens[b - 1]!.quoted && !/^[“”"‘’:;]$/.test(tokens[b - 1]!.text) && !/^(that|which|but|and|whom|who|whether|as|so|is|was|are|were)$/.test(tokens[b - 1]!.lower) && !SUBORDINATORS.test(tokens[b - 1]!.lower) && q - b < 10) b--;
  let p = -1;
  // "Jeffrey Lewis of the James Martin Center wrote": an "of" phrase naming a body, after a person, modifies that person
  const bodyBefore = refAt.get(q)?.entity?.type !== 'person';
  for (let z = b + 1; z < t0; z++) {
    if (LOCATIVE_PREPOSITIONS.has(tokens[z]!.lower) || (bodyBefore && tokens[z]!.lower === 'of' && refAt.get(z - 1)?.entity?.type === 'person')) {
      p = z;
      break;
    }
  }
  if (p < 0) return null;
  const head: number[] = [];
  for (let z = b; z < p; z++) head.push(z);
  if (head.some((z) => !tokens[z]!.word || tokens[z]!.quoted || CUE_FORMS.has(tokens[z]!.lower) || /^(who|which|that|whose|when|if)$/.test(tokens[z]!.lower))) return null;
  // A person or source named there first ("NATO Secretary-General Mark Rutte in Brussels"), then an organisation.
  const named = head.map((z) => refAt.get(z)).filter((hr): hr is Ref => hr !== undefined && hr.t0 >= b && !tokens[hr.t1]?.possessive);
  const who = named.find((hr) => hr.kind === 'anon' || hr.entity?.type === 'person') ?? named.find((hr) => hr.entity !== null && hr.entity.type !== 'country' && hr.entity.type !== 'place');
  if (who) return speakerOfRef(d, who);
  return genericNP(d, head);
}

/** Determiners and possessive pronouns that open a description rather than a name ("the spokeswoman", "his aide"). */
const DESCRIPTION_OPENERS = /^(a|an|the|his|her|their|its|our|one|another)$/;

/**
 * The first person or unnamed source a segment is named by: a reference within its first six
 * tokens that is not a possessive modifier ("Sanders's chief strategist" names Sanders's
 * strategist, not Sanders). For a segment opening with a description, null.
 */
function nameSegmentRef(d: Doc, seg: number[]): Ref | undefined {
  const first = d.tokens[seg[0]!]!;
  if (DESCRIPTION_OPENERS.test(first.lower) || first.possessive || (first.word && !first.cap && !TITLE_MODIFIERS.has(first.lower) && !/^[a-z-]+$/.test(first.lower))) return undefined;
  for (const x of seg.slice(0, 6)) {
    const r = d.refAt.get(x);
    // a subject pronoun opening the segment is its subject ("She refused a request from Haldane …, saying")
    if (r && r.kind === 'pronoun' && r.t0 === seg[0] && /^(he|she|they|we)$/.test(d.tokens[r.t0]!.lower) && (r.entity || r.phrase)) return r;
    if (!r || r.kind === 'relative' || r.kind === 'pronoun' || d.tokens[r.t1]?.possessive) continue;
    // "Clinton campaign spokesman Brian Fallon": the first name modifies the title of the second
    if (modifiesTitle(d, r, d.refs[(d.refIndex.get(r) ?? -2) + 1])) continue;
    if (r.entity?.type === 'person' || r.kind === 'anon') {
      // the rest of the name's segment must not open another clause ("Smith and Jones", fine; "Smith, who")
      return r;
    }
  }
  return undefined;
}

/**
 * The subject of a clause in [s0, k) whose verb follows a comma: skipping introductory phrases
 * and asides (relative and participle clauses), the first segment named by a person
 * ("Tad Devine, Sanders's chief strategist, said"; "the trade minister, Jean-Baptiste Kasongo,
 * said"), else the last segment that opens with a reference, else the head segment's phrase.
 * Appositives (AP Stylebook, "appositives"): a description set off by commas after a name
 * describes that name and is never the subject.
 */
export function mainSubject(d: Doc, s0: number, k: number): Subject | null {
  const { tokens } = d;
  const segs = segments(d, s0, k);
  const cands = segs.filter((seg, idx) => !isIntroSeg(d, seg, idx) && !isAsideSeg(d, seg));
  for (const seg of cands) {
    const r = nameSegmentRef(d, seg);
    if (r) return speakerOfRef(d, r);
  }
  // Prefer the last candidate segment that opens with a reference before the verb segment.
  for (let z = cands.length - 1; z >= 0; z--) {
    const seg = cands[z]!;
    const r = segRef(d, seg);
    if ((r && r.t0 === seg[0] && !tokens[r.t1]?.possessive) || (r && seg.indexOf(r.t0) <= 2 && (r.entity?.type === 'person' || r.kind === 'anon') && !tokens[r.t1]?.possessive)) {
      const segIsVerbSeg = seg.includes(k - 1) && seg.some((x) => CUE_FORMS.has(tokens[x]!.lower));
      if (!segIsVerbSeg || z === 0) {
        if (z > 0 && /^(a|an|the)$/.test(tokens[seg[0]!]!.lower) && !(r.entity?.type === 'person')) continue; // an appositive description ("an advocacy group"): keep looking left
        return speakerOfRef(d, r);
      }
    }
  }
  return cands[0] ? segSpeaker(d, cands[0]) : null;
}

/** An attribution found right after a quotation: its speaker, the cue as written, and the cue's token. */
export interface TrailingAttribution extends Subject {
  cue: string;
  cueTok: number;
  inverted: boolean;
}

/**
 * Attribution starting at token k right after a closing quotation mark, within sentence si:
 * inverted (`“…,” said Mark Rutte, the NATO secretary-general`, `said a senior official`) or
 * normal (`“…,” Zakharova said`, `“…,” the spokeswoman told reporters`, `… said in a statement`).
 */
export function attributionAfter(d: Doc, k: number, si: number): TrailingAttribution | null {
  const { tokens, refAt, text } = d;
  let z = k;
  while (z < tokens.length && tokens[z]!.text === ',') z++;
  let t = tokens[z];
  // “It is settled.” Lund said. — a quotation closed by . ? or ! ends its sentence, and a short
  // sentence of a name and a reporting verb right after it is its attribution.
  if (t && t.sentence === si + 1 && !t.quoted && closesWithStop(d, k - 1) && shortAttributionSentence(d, z)) si = t.sentence;
  if (!t || t.sentence !== si || t.quoted) return null;
  if (/^(while|and|but|as|whereas|because|although|though|when|after|before|if|so|which|who|that|with|where)$/.test(t.lower)) return null;
  if (isCue(d, t) && DIRECT_CUES.has(CUE_FORMS.get(t.lower)!) && !/ing$/.test(t.lower)) {
    const head = invertedSubject(d, z, si);
    return head ? { ...head, cue: t.text, cueTok: z, inverted: true } : null;
  }
  // normal: “…,” NP (adv) cue — the NP opens with a name, a determiner or a pronoun
  if (!(t.cap || /^(the|a|an|his|her|their|its|one|two|he|she|they|we|i|it)$/.test(t.lower) || NAME_PARTICLE_RE.test(t.lower))) return null;
  let commas = 0;
  for (let y = z; y < tokens.length && y - z < 12 + 14 * commas; y++) {
    const u = tokens[y]!;
    if (u.sentence !== si || u.quoted) return null;
    if (/^[.;:!?“”"‘’]$/.test(u.text)) return null;
    // “…,” Kwame Mensah, a spokesman for the board, told Reuters / “…,” Trump, 70, said: an
    // appositive (a description, an age, a party tag) set off by commas between the name and its verb.
    if (u.text === ',' && y > z) {
      if (++commas > 2 || !(tokens[y + 1]?.word || /^\d/.test(tokens[y + 1]?.text ?? ''))) return null;
      continue;
    }
    if (isCue(d, u) && DIRECT_CUES.has(CUE_FORMS.get(u.lower)!) && y > z) {
      const sp = subjectOf(d, y);
      if (!sp) return null;
      let cueText = u.text;
      const obj = tokens[y + 1];
      if (CUE_FORMS.get(u.lower) === 'tell' && obj && obj.sentence === si && obj.word) {
        let e = y + 1;
        if (/^(the|a|an)$/.test(obj.lower)) while (tokens[e + 1]?.cap && tokens[e + 1]!.sentence === si) e++;
        cueText = text.slice(u.start, tokens[e]!.end);
      } else if (/^in$/.test(obj?.lower ?? '') && /^(a|its)$/.test(tokens[y + 2]?.lower ?? '') && tokens[y + 3]?.lower === 'statement') {
        cueText = text.slice(u.start, tokens[y + 3]!.end);
      }
      return { ...sp, cue: cueText, cueTok: y, inverted: false };
    }
  }
  return null;
}

/** Prepositions that open a post-modifier of a noun phrase's head ("X of Y", "X from Y"). */
const POST_HEAD_PREPS = /^(of|from|at|in|for|with|on)$/;

/**
 * The speaker named after an inverted cue at token z ("said Mark Rutte, the NATO
 * secretary-general"; "said Huckabee campaign spokesman Hogan Gidley"; "said Rubio’s deputy
 * campaign manager, Rich Beeson"; "said a spokeswoman for the hotels, Jennifer Rodstrom"): the
 * rightmost named person of the noun phrase before the first comma (titles and modifiers come
 * first in English noun phrases, the head last), else a name opening the appositive after it,
 * else an unnamed source or organisation there, else the phrase itself.
 */
function invertedSubject(d: Doc, z: number, si: number): Subject | null {
  const { tokens, refAt } = d;
  const seg: number[] = [];
  let y = z + 1;
  for (; y < tokens.length && tokens[y]!.sentence === si && !/^[,.;:!?“”"]$/.test(tokens[y]!.text) && y - z < 14; y++) seg.push(y);
  const refs: Ref[] = [];
  for (const x of seg) {
    const r = refAt.get(x);
    if (r && r.kind !== 'relative' && r.t0 >= z + 1 && !refs.includes(r)) refs.push(r);
  }
  const own = refs.filter((r) => !tokens[r.t1]?.possessive);
  const person = own.filter((r) => r.entity?.type === 'person' || (r.kind === 'pronoun' && (r.entity || r.phrase)));
  // the head of an English noun phrase comes before its prepositional phrases: in "said Gov. Phil
  // Bryant of Mississippi" or "said Joel Pollak of Breitbart California" the speaker is the name before "of"
  const prep = seg.find((x) => POST_HEAD_PREPS.test(tokens[x]!.lower));
  const beforePrep = prep === undefined ? [] : person.filter((r) => r.t1 < prep);
  if (beforePrep.length) return speakerOfRef(d, beforePrep[beforePrep.length - 1]);
  if (person.length) return speakerOfRef(d, person[person.length - 1]);
  if (tokens[y]?.text === ',') {
    const next: number[] = [];
    for (let w = y + 1; w < tokens.length && tokens[w]!.sentence === si && !/^[,.;:!?“”"]$/.test(tokens[w]!.text) && w - y < 8; w++) next.push(w);
    const r = next.length ? nameSegmentRef(d, next) : undefined;
    if (r && r.entity) return speakerOfRef(d, r);
  }
  const other = own.find((r) => r.kind === 'anon') ?? own.find((r) => r.entity?.type === 'organization') ?? own[0];
  if (other && (other.kind === 'anon' || other.t0 === z + 1 || other.t0 === z + 2)) {
    const sp = speakerOfRef(d, other);
    if (sp) return sp;
  }
  return genericNP(d, seg.slice(0, 10));
}

/** True when token k is a closing quotation mark right after . ? or ! (the quotation ends its sentence). */
function closesWithStop(d: Doc, k: number): boolean {
  const c = d.tokens[k];
  return !!c && /^[”"’'»“]$/.test(c.text) && /[.?!]/.test(d.text[c.start - 1] ?? '');
}

/** A sentence from token z that is a name or pronoun, a reporting verb and at most five more words, in one paragraph. */
function shortAttributionSentence(d: Doc, z: number): boolean {
  const { tokens } = d;
  const si = tokens[z]!.sentence;
  const prev = tokens[z - 1];
  if (!prev || d.sentences[prev.sentence]?.paragraph !== d.sentences[si]?.paragraph) return false;
  let n = 0;
  let cue = -1;
  for (let y = z; y < tokens.length && tokens[y]!.sentence === si; y++) {
    if (tokens[y]!.quoted || tokens[y]!.lower === 'that') return false;
    if (cue < 0 && isCue(d, tokens[y]) && y > z) cue = y;
    n++;
  }
  return cue > 0 && n - (cue - z) <= 7 && cue - z <= 6;
}

/** "According to X" (or "As X puts it, …", the columnist's framing) in sentence si: X as a speaker. */
export function accordingTo(d: Doc, si: number): Subject | null {
  const { tokens, refAt, text } = d;
  const s = d.sentences[si]!;
  const as = /^(?:And |But )?[Aa]s\s+(.{2,80}?)\s+(?:puts|put|says|said|noted|notes|writes|wrote|argues|argued|observed|observes)\s+it\b/.exec(text.slice(s.start, s.end));
  if (as) {
    const from = tokAt(d, s.start + as.index + as[0].indexOf(as[1]!));
    const framer = firstNamedSpeaker(d, from, from + 12, si, true);
    if (framer) return framer;
  }
  const m = /\b[Aa]ccording to\s+/.exec(text.slice(s.start, s.end));
  if (!m) return null;
  const k = tokAt(d, s.start + m.index + m[0].length);
  const r = refAt.get(k) ?? refAt.get(k + 1);
  // "according to a statement from the Nordic Council": the author named after a thing that carries words
  if (r && r.t0 <= k + 1 && !r.entity && r.kind !== 'anon' && /^(from|by|of)$/.test(tokens[r.t1 + 1]?.lower ?? '')) {
    const z = /^(the|a|an)$/.test(tokens[r.t1 + 2]?.lower ?? '') ? r.t1 + 3 : r.t1 + 2;
    const author = firstNamedSpeaker(d, z, z + 1, si, true);
    if (author) return author;
  }
  if (r && r.t0 <= k + 1) {
    const sp = speakerOfRef(d, r);
    if (sp) return sp;
  }
  const seg: number[] = [];
  for (let y = k; y < tokens.length && tokens[y]!.sentence === si && !/^[,.;:]$/.test(tokens[y]!.text) && y - k < 10; y++) seg.push(y);
  return genericNP(d, seg);
}

/** Normalises an anonymous-source phrase for display: whitespace collapsed, lowercase article. */
export function cleanPhrase(p: string): string {
  return p.replace(/\s+/g, ' ').replace(/^(A|An|The|One|Two)\b/, (m) => m.toLowerCase()).trim();
}
